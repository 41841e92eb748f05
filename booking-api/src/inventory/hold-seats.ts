import { randomFillSync } from 'node:crypto';
import { journeyKeyList } from './keys.ts';
import { toArray, toInteger, toSeatIds, toSeatRefs } from './replies.ts';
import {
  failOnErrorCode,
  InventoryCode,
  type RedisLike,
  registerInventoryScripts,
  unexpectedReply,
} from './scripts.ts';
import {
  assertDuration,
  assertHolderPart,
  assertHoldId,
  assertSeatIds,
  assertTime,
  classCodes,
  type HoldInput,
  type HoldOutcome,
  isBerthType,
  maxSeatsPerHold,
  quotas,
} from './types.ts';

/** How many expired holds an availability call drops before doing its own work. */
export const sweepPerCall = 50;
/**
 * A hold sweeps nothing: that was a ZRANGE on every hold, and the drops it made were paid by
 * whichever visitor came next. Correctness does not need it (a seat whose hold is over is
 * settled by the script that meets it); the periodic sweep (sweepExpiredHolds) and
 * availability reads drop the records.
 */
const holdSweepLimit = 0;

const script = 'hold-seats';

// Random bytes drawn in batches: one randomFillSync per 256 holds instead of one
// randomBytes call (and its buffer) per hold, still 128 fresh CSPRNG bits per id.
const idBytes = 16;
const entropy = Buffer.alloc(idBytes * 256);
let entropyAt = entropy.length;

/** A fresh hold id: 128 random bits, base64url. */
export function newHoldId(): string {
  if (entropyAt === entropy.length) {
    randomFillSync(entropy);
    entropyAt = 0;
  }
  const id = entropy.toString('base64url', entropyAt, entropyAt + idBytes);
  entropyAt += idBytes;
  return id;
}

function assertPool(classCode: string, quota: string): void {
  if (!(classCodes as readonly string[]).includes(classCode)) {
    throw new RangeError(`unknown class ${JSON.stringify(classCode)}`);
  }
  if (!(quotas as readonly string[]).includes(quota)) {
    throw new RangeError(`unknown quota ${JSON.stringify(quota)}`);
  }
}

function requestArgs(request: HoldInput['request']): Array<string | number> {
  if (request.kind === 'seats') {
    assertSeatIds(request.seatIds, { max: maxSeatsPerHold });
    const { classCode, quota } = request;
    if (classCode === undefined && quota === undefined) return ['seats', '', ...request.seatIds];
    if (classCode === undefined || quota === undefined) {
      throw new RangeError('named seats: give both classCode and quota, or neither');
    }
    assertPool(classCode, quota);
    return ['seats', `${classCode}|${quota}`, ...request.seatIds];
  }
  const { classCode, quota, count, preferences } = request;
  assertPool(classCode, quota);
  if (!Number.isSafeInteger(count) || count < 1 || count > maxSeatsPerHold) {
    throw new RangeError(`count must be 1-${maxSeatsPerHold}, got ${count}`);
  }
  if (preferences.length !== count) {
    throw new RangeError(
      `one preference per passenger: ${count} passengers, ${preferences.length} preferences`,
    );
  }
  for (const preference of preferences) {
    if (preference !== null && !isBerthType(preference)) {
      throw new RangeError(`unknown berth preference ${JSON.stringify(preference)}`);
    }
  }
  return ['berths', classCode, quota, ...preferences.map((preference) => preference ?? '-')];
}

/**
 * Holds every requested seat for the token, or none (one atomic script,
 * src/lua/hold-seats.lua). A seat whose hold is over counts as free even before any sweep
 * (the script settles it); dropping expired records is the periodic sweep's job. A refusal
 * writes nothing. Input that breaks the contract throws RangeError before Redis is touched.
 */
export async function holdSeats(
  redis: RedisLike,
  prefix: string,
  input: HoldInput,
): Promise<HoldOutcome> {
  const holdId = input.holdId ?? newHoldId();
  assertHoldId(holdId);
  assertTime('nowMs', input.nowMs);
  assertDuration('ttlMs', input.ttlMs);
  assertTime('nowMs + ttlMs', input.nowMs + input.ttlMs);
  assertHolderPart('holder.subject', input.holder.subject);
  assertHolderPart('holder.tokenJti', input.holder.tokenJti);
  const args = requestArgs(input.request);
  registerInventoryScripts(redis);
  const reply = await redis.inventoryHoldSeats(
    ...journeyKeyList(prefix, input.journeyId),
    holdId,
    input.nowMs,
    input.ttlMs,
    input.holder.subject,
    input.holder.tokenJti,
    holdSweepLimit,
    ...args,
  );
  failOnErrorCode(script, reply);
  const items = toArray(script, reply);
  const status = toInteger(script, reply, items[0]);
  switch (status) {
    case 1:
      return {
        ok: true,
        holdId,
        expiresAtMs: toInteger(script, reply, items[1]),
        seats: toSeatRefs(script, items, 2),
      };
    case InventoryCode.InventoryMissing:
      return { ok: false, reason: 'inventory_missing' };
    case InventoryCode.TokenHasLiveHold:
      return {
        ok: false,
        reason: 'token_has_live_hold',
        liveHold: {
          holdId: String(items[1]),
          expiresAtMs: toInteger(script, reply, items[2]),
          seats: toSeatRefs(script, items, 3),
        },
      };
    case InventoryCode.UnknownSeat:
      return { ok: false, reason: 'unknown_seat', unavailableSeatIds: toSeatIds(script, items, 1) };
    case InventoryCode.MixedClassOrQuota:
      return { ok: false, reason: 'mixed_class_or_quota' };
    case InventoryCode.SeatClassMismatch:
      return { ok: false, reason: 'seat_class_mismatch' };
    case InventoryCode.SeatsUnavailable:
      return {
        ok: false,
        reason: 'seats_unavailable',
        unavailableSeatIds: toSeatIds(script, items, 1),
      };
    case InventoryCode.NotEnoughBerths:
      return {
        ok: false,
        reason: 'not_enough_berths',
        available: toInteger(script, reply, items[1]),
      };
    default:
      throw unexpectedReply(script, reply);
  }
}
