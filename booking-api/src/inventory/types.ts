// The inventory's vocabulary: what a seat looks like to the booking flow, what a hold asks
// for and what it answers, and the checks every input passes before it reaches Redis.
import {
  type BerthType,
  berthTypes,
  type ClassCode,
  classCodes,
  type Quota,
  quotas,
} from '@tatkal/drizzle/schema';

export interface SeatRef {
  seatId: number;
  /** As painted on the coach: B1, S4. */
  coach: string;
  berthNumber: number;
  berthType: BerthType;
  classCode: string;
  quota: string;
}

export type HoldRequest =
  /**
   * Named seats, any order; the hold lists them in this order. With classCode and quota
   * (both or neither) every seat must be of that class and quota, checked in the same
   * script before anything is held (`seat_class_mismatch`).
   */
  | { kind: 'seats'; seatIds: number[]; classCode?: string; quota?: string }
  /** Auto-allocation: one preference per passenger; the hold lists seats in passenger order. */
  | {
      kind: 'berths';
      classCode: string;
      quota: string;
      count: number;
      preferences: Array<BerthType | null>;
    };

export interface HoldInput {
  journeyId: number;
  request: HoldRequest;
  holder: { subject: string; tokenJti: string };
  ttlMs: number;
  nowMs: number;
  /** Chosen by the caller (e.g. from an idempotency key); a random id otherwise. */
  holdId?: string;
}

export type HoldRefusal =
  | 'seats_unavailable'
  | 'not_enough_berths'
  | 'unknown_seat'
  | 'mixed_class_or_quota'
  | 'seat_class_mismatch'
  | 'token_has_live_hold'
  | 'inventory_missing';

export type HoldOutcome =
  | { ok: true; holdId: string; seats: SeatRef[]; expiresAtMs: number }
  | {
      ok: false;
      reason: HoldRefusal;
      /** seats_unavailable: the named seats that are held or sold; unknown_seat: the unknown ids. */
      unavailableSeatIds?: number[];
      /** not_enough_berths: how many berths of the class and quota are free. */
      available?: number;
      /** token_has_live_hold: the token's live hold, so its holder can book or release it. */
      liveHold?: { holdId: string; seats: SeatRef[]; expiresAtMs: number };
    };

export type SeatState = 'free' | 'held' | 'sold';

/** Most seats one hold may take: bounds a script's work (business limits are the API's). */
export const maxSeatsPerHold = 16;
/**
 * Times are epoch milliseconds below 10^14 (year 5138): hold records are JSON encoded by
 * Redis' cjson, which keeps 14 significant digits.
 */
export const maxTimeMs = 1e14;

export { type BerthType, berthTypes, type ClassCode, classCodes, type Quota, quotas };

/** "<class>|<quota>|<coach>|<berth number>|<berth type>", as stored in the `seats` hash. */
export function encodeSeatMeta(seat: Omit<SeatRef, 'seatId'>): string {
  return [seat.classCode, seat.quota, seat.coach, seat.berthNumber, seat.berthType].join('|');
}

export function decodeSeatMeta(seatId: number, meta: string): SeatRef {
  const [classCode, quota, coach, berthNumber, berthType] = meta.split('|');
  if (
    classCode === undefined ||
    quota === undefined ||
    coach === undefined ||
    berthNumber === undefined ||
    !isBerthType(berthType)
  ) {
    throw new RangeError(`seat ${seatId} has malformed metadata ${JSON.stringify(meta)}`);
  }
  return { seatId, coach, berthNumber: Number(berthNumber), berthType, classCode, quota };
}

export function isBerthType(value: unknown): value is BerthType {
  return typeof value === 'string' && (berthTypes as readonly string[]).includes(value);
}

export function assertTime(what: string, value: number): void {
  if (!Number.isSafeInteger(value) || value < 0 || value >= maxTimeMs) {
    throw new RangeError(`${what} must be epoch milliseconds below 1e14, got ${value}`);
  }
}

export function assertDuration(what: string, value: number, min = 1): void {
  if (!Number.isSafeInteger(value) || value < min || value >= maxTimeMs) {
    throw new RangeError(`${what} must be a whole number of milliseconds >= ${min}, got ${value}`);
  }
}

export function assertSeatIds(seatIds: readonly number[], options: { max?: number } = {}): void {
  const max = options.max ?? Number.POSITIVE_INFINITY;
  if (seatIds.length === 0 || seatIds.length > max) {
    throw new RangeError(`between 1 and ${max} seat ids are needed, got ${seatIds.length}`);
  }
  const seen = new Set<number>();
  for (const seatId of seatIds) {
    if (!Number.isSafeInteger(seatId) || seatId < 1) {
      throw new RangeError(`seat ids are positive integers, got ${seatId}`);
    }
    if (seen.has(seatId)) throw new RangeError(`seat ${seatId} is named twice`);
    seen.add(seatId);
  }
}

const holdIdPattern = /^[A-Za-z0-9_-]{1,64}$/;

export function assertHoldId(holdId: string): void {
  if (!holdIdPattern.test(holdId)) {
    throw new RangeError(
      `hold ids are 1-64 letters, digits, "_" or "-", got ${JSON.stringify(holdId)}`,
    );
  }
}

export function assertHolderPart(what: string, value: string): void {
  if (value.length === 0 || value.length > 256) {
    throw new RangeError(`${what} must be 1-256 characters, got ${value.length}`);
  }
}
