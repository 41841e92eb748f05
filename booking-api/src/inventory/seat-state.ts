// Seat transitions that do not go through a hold: repairs from PostgreSQL, seats given back
// by cancelled or expired bookings, and the periodic sweep of expired holds.
import { chunks, seatsPerCall } from './chunks.ts';
import { inventoryKeyList, inventoryKeys } from './keys.ts';
import { toArray, toInteger } from './replies.ts';
import { failOnErrorCode, type RedisLike, registerInventoryScripts } from './scripts.ts';
import { assertSeatIds, assertTime } from './types.ts';

/** Runs a per-seat script over the seats in chunks; resolves to the sum of its counts. */
async function eachChunk(
  script: 'mark-seats-sold' | 'return-seats',
  redis: RedisLike,
  prefix: string,
  journeyId: number,
  seatIds: number[],
): Promise<number> {
  assertSeatIds(seatIds);
  registerInventoryScripts(redis);
  const keys = inventoryKeyList(inventoryKeys(prefix, journeyId));
  let changed = 0;
  for (const chunk of chunks(seatIds, seatsPerCall)) {
    const reply =
      script === 'mark-seats-sold'
        ? await redis.inventoryMarkSeatsSold(...keys, ...chunk)
        : await redis.inventoryReturnSeats(...keys, ...chunk);
    failOnErrorCode(script, reply);
    changed += toInteger(script, reply, reply);
  }
  return changed;
}

/**
 * Repair: PostgreSQL found these seats sold. Each becomes sold; a hold that had one of them is
 * dropped whole. Resolves to how many were not sold before.
 */
export function markSeatsSold(
  redis: RedisLike,
  prefix: string,
  journeyId: number,
  seatIds: number[],
): Promise<number> {
  return eachChunk('mark-seats-sold', redis, prefix, journeyId, seatIds);
}

/**
 * A cancelled or expired booking gave these seats back (the caller has checked PostgreSQL):
 * sold seats become free; held and free seats stay as they are. Resolves to how many were
 * freed.
 */
export function returnSeats(
  redis: RedisLike,
  prefix: string,
  journeyId: number,
  seatIds: number[],
): Promise<number> {
  return eachChunk('return-seats', redis, prefix, journeyId, seatIds);
}

/**
 * Drops up to `limit` holds whose expiry passed by `nowMs` (their seats become free) and
 * booked records past retention. For a periodic job; resolves to how many were dropped.
 */
export async function sweepExpiredHolds(
  redis: RedisLike,
  prefix: string,
  journeyId: number,
  nowMs: number,
  limit = 1000,
): Promise<number> {
  assertTime('nowMs', nowMs);
  if (!Number.isSafeInteger(limit) || limit < 0) {
    throw new RangeError(`limit must be a non-negative integer, got ${limit}`);
  }
  registerInventoryScripts(redis);
  const script = 'sweep-expired-holds';
  const reply = await redis.inventorySweepExpiredHolds(
    ...inventoryKeyList(inventoryKeys(prefix, journeyId)),
    nowMs,
    limit,
  );
  failOnErrorCode(script, reply);
  return toInteger(script, reply, toArray(script, reply)[0]);
}
