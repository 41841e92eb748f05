// The booking API's seat inventory in Redis: holds (all or nothing, one Lua script each),
// their expiry, the sold seats mirrored from PostgreSQL, availability counts, and the
// rebuild and audit against PostgreSQL. Layout and reasons: docs/adr/0007-seat-inventory.md.
export {
  auditInventory,
  type CountMismatch,
  type InventoryAudit,
  type SeatMismatch,
} from './audit.ts';
export {
  inventorySnapshot,
  type PoolAvailability,
  type RawSnapshot,
  readAvailability,
  readRawSnapshot,
  type SnapshotState,
} from './availability.ts';
export { holdSeats, newHoldId, sweepPerCall } from './hold-seats.ts';
export {
  bookedRetentionMs,
  type HoldView,
  type MarkHoldBookedOptions,
  markHoldBooked,
  type ReleaseOutcome,
  readHold,
  releaseHold,
} from './holds.ts';
export {
  type InventoryKeyList,
  type InventoryKeys,
  inventoryKeyList,
  inventoryKeyPattern,
  inventoryKeys,
  layoutVersion,
} from './keys.ts';
export { type JourneyTruth, readJourneyTruth } from './postgres.ts';
export {
  ensureInventory,
  type RebuildOptions,
  type RebuildResult,
  rebuildInventory,
} from './rebuild.ts';
export {
  InventoryCode,
  type InventoryCodeName,
  InventoryError,
  type RedisLike,
  registerInventoryScripts,
} from './scripts.ts';
export { markSeatsSold, returnSeats, sweepExpiredHolds } from './seat-state.ts';
export {
  type BerthType,
  type HoldInput,
  type HoldOutcome,
  type HoldRefusal,
  type HoldRequest,
  maxSeatsPerHold,
  type SeatRef,
  type SeatState,
} from './types.ts';
