// Idempotency-Key: the hono middleware for creating POSTs and the purge job's verb.
export { canonicalBody, requestFingerprint } from './fingerprint.ts';
export {
  type IdempotencyOptions,
  idempotency,
  idempotencyKeyHeader,
  isStoredStatus,
  replayedHeader,
  type StoredResponse,
} from './middleware.ts';
export {
  IdempotencyKeyInvalid,
  IdempotencyKeyRequired,
  IdempotencyKeyReused,
  IdempotencyRequestInFlight,
} from './problems.ts';
export { type ClaimTesting, purgeExpiredIdempotencyKeys } from './store.ts';
