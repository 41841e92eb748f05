// A hold after it was made: read it, release it, or seal it as booked once PostgreSQL
// committed the booking.
import { inventoryKeyList, inventoryKeys } from './keys.ts';
import { toArray, toInteger, toSeatRefs } from './replies.ts';
import {
  failOnErrorCode,
  InventoryCode,
  type RedisLike,
  registerInventoryScripts,
  unexpectedReply,
} from './scripts.ts';
import { assertDuration, assertHoldId, assertSeatIds, assertTime, type SeatRef } from './types.ts';

export type ReleaseOutcome = 'released' | 'not_found' | 'not_yours' | 'booked';

export interface HoldView {
  holdId: string;
  /** Named seats in request order; auto-allocated seats in passenger order. */
  seats: SeatRef[];
  subject: string;
  tokenJti: string;
  expiresAtMs: number;
  state: 'held' | 'booked';
}

export interface MarkHoldBookedOptions {
  /** How long the booked record stays (default bookedRetentionMs). */
  retainMs?: number;
  /**
   * Who booked: recorded when the hold's own record is gone already (it expired and was
   * swept before the commit), so the booked record still names its subject.
   */
  holder?: { subject: string; tokenJti: string };
}

/** How long a booked hold's record stays readable (and refuses release) by default: 24 h. */
export const bookedRetentionMs = 24 * 60 * 60 * 1000;

/**
 * Frees a live hold's seats. With `subject`, only that subject's hold is released
 * ('not_yours' otherwise); without it (operators, a failed PostgreSQL commit) any hold is.
 * An expired or unknown hold is 'not_found'; a booked one is never released.
 */
export async function releaseHold(
  redis: RedisLike,
  prefix: string,
  journeyId: number,
  holdId: string,
  options: { subject?: string; nowMs: number },
): Promise<ReleaseOutcome> {
  assertHoldId(holdId);
  assertTime('nowMs', options.nowMs);
  if (options.subject === '') throw new RangeError('subject must not be empty when given');
  registerInventoryScripts(redis);
  const reply = await redis.inventoryReleaseHold(
    ...inventoryKeyList(inventoryKeys(prefix, journeyId)),
    holdId,
    options.subject ?? '',
    options.nowMs,
  );
  switch (reply) {
    case 1:
      return 'released';
    case InventoryCode.NotFound:
      return 'not_found';
    case InventoryCode.NotYours:
      return 'not_yours';
    case InventoryCode.Booked:
      return 'booked';
    default:
      failOnErrorCode('release-hold', reply);
      throw unexpectedReply('release-hold', reply);
  }
}

/**
 * A hold as of `nowMs`, or null when it is unknown, expired, or booked longer ago than its
 * retention. Reads only; an expired hold is swept by the next script that touches it.
 */
export async function readHold(
  redis: RedisLike,
  prefix: string,
  journeyId: number,
  holdId: string,
  nowMs: number,
): Promise<HoldView | null> {
  assertHoldId(holdId);
  assertTime('nowMs', nowMs);
  registerInventoryScripts(redis);
  const script = 'read-hold';
  const reply = await redis.inventoryReadHold(
    ...inventoryKeyList(inventoryKeys(prefix, journeyId)),
    holdId,
    nowMs,
  );
  if (reply === 0) return null;
  failOnErrorCode(script, reply);
  const [state, expiresAtMs, subject, tokenJti] = toArray(script, reply);
  if (
    (state !== 'held' && state !== 'booked') ||
    typeof subject !== 'string' ||
    typeof tokenJti !== 'string'
  ) {
    throw unexpectedReply(script, reply);
  }
  return {
    holdId,
    seats: toSeatRefs(script, toArray(script, reply), 4),
    subject,
    tokenJti,
    expiresAtMs: toInteger(script, reply, expiresAtMs),
    state,
  };
}

/**
 * After the PostgreSQL commit: the seats become sold unconditionally (even if the hold
 * expired meanwhile or another hold took them, that other hold is dropped: PostgreSQL is the
 * truth and its booking will fail there) and the hold becomes 'booked', so it can be neither
 * released nor used again. Seats of the hold the booking did not take are freed. Safe to
 * repeat. Resolves to how many seats were not sold before.
 */
export async function markHoldBooked(
  redis: RedisLike,
  prefix: string,
  journeyId: number,
  holdId: string,
  seatIds: number[],
  nowMs: number,
  options: MarkHoldBookedOptions = {},
): Promise<number> {
  assertHoldId(holdId);
  assertSeatIds(seatIds);
  assertTime('nowMs', nowMs);
  const retainMs = options.retainMs ?? bookedRetentionMs;
  assertDuration('retainMs', retainMs, 0);
  registerInventoryScripts(redis);
  const reply = await redis.inventoryMarkHoldBooked(
    ...inventoryKeyList(inventoryKeys(prefix, journeyId)),
    holdId,
    nowMs,
    retainMs,
    options.holder?.subject ?? '',
    options.holder?.tokenJti ?? '',
    ...seatIds,
  );
  failOnErrorCode('mark-hold-booked', reply);
  return toInteger('mark-hold-booked', reply, reply);
}
