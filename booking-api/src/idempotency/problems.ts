// Refusals of the Idempotency-Key middleware, each with a stable `code`.
// Statuses follow the IETF Idempotency-Key draft where it speaks (missing key
// 400, reused key 422, concurrent duplicate 409); see ADR 0009.
import { Problem } from '@tatkal/waiting-room/service';

export class IdempotencyKeyRequired extends Problem {
  constructor() {
    super({
      status: 400,
      code: 'idempotency_key_required',
      title: 'Idempotency-Key required',
      detail:
        'This request creates something; send an Idempotency-Key header (a fresh random value, reused only for retries of this same request).',
    });
    this.name = 'IdempotencyKeyRequired';
  }
}

export class IdempotencyKeyInvalid extends Problem {
  constructor() {
    super({
      status: 422,
      code: 'idempotency_key_invalid',
      title: 'Idempotency-Key invalid',
      detail: 'The Idempotency-Key header must be 1 to 255 visible ASCII characters (no spaces).',
    });
    this.name = 'IdempotencyKeyInvalid';
  }
}

export class IdempotencyKeyReused extends Problem {
  constructor() {
    super({
      status: 422,
      code: 'idempotency_key_reused',
      title: 'Idempotency-Key reused',
      detail:
        'This Idempotency-Key was already used for a different request (method, path or body); use a new key for a new request.',
    });
    this.name = 'IdempotencyKeyReused';
  }
}

export class IdempotencyRequestInFlight extends Problem {
  constructor(retryAfterSec: number) {
    super({
      status: 409,
      code: 'idempotency_request_in_flight',
      title: 'Request already in progress',
      detail:
        'A request with this Idempotency-Key is still being processed; retry after a moment to get its result.',
      extensions: { retryAfter: retryAfterSec },
      headers: { 'retry-after': String(retryAfterSec) },
    });
    this.name = 'IdempotencyRequestInFlight';
  }
}
