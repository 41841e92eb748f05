// What the inventory says, in bulk: counts per class and quota for the availability page,
// and every seat's state for audits.
import { sweepPerCall } from './hold-seats.ts';
import { inventoryKeyList, inventoryKeys } from './keys.ts';
import { toArray, toInteger } from './replies.ts';
import {
  failOnErrorCode,
  InventoryCode,
  InventoryError,
  type RedisLike,
  registerInventoryScripts,
  unexpectedReply,
} from './scripts.ts';
import { assertTime, classCodes, quotas, type SeatState } from './types.ts';

export interface PoolAvailability {
  classCode: string;
  quota: string;
  free: number;
  held: number;
  sold: number;
}

const poolOrder = (classCode: string, quota: string) =>
  (classCodes as readonly string[]).indexOf(classCode) * quotas.length +
  (quotas as readonly string[]).indexOf(quota);

/**
 * Free, held and sold seats per class and quota (classes and quotas in vocabulary order),
 * from counters every seat transition keeps exact, after sweeping expired holds (bounded:
 * holds beyond the bound still count as held until the next sweep). Throws InventoryError
 * 'InventoryMissing' when the journey's inventory is not built.
 */
export async function readAvailability(
  redis: RedisLike,
  prefix: string,
  journeyId: number,
  nowMs: number,
): Promise<PoolAvailability[]> {
  assertTime('nowMs', nowMs);
  registerInventoryScripts(redis);
  const script = 'read-availability';
  const reply = await redis.inventoryReadAvailability(
    ...inventoryKeyList(inventoryKeys(prefix, journeyId)),
    nowMs,
    sweepPerCall,
  );
  if (reply === InventoryCode.InventoryMissing) {
    throw new InventoryError(script, InventoryCode.InventoryMissing, 'InventoryMissing');
  }
  failOnErrorCode(script, reply);
  const flat = toArray(script, reply);
  const pools = new Map<string, { total: number; held: number; sold: number }>();
  for (let i = 0; i + 1 < flat.length; i += 2) {
    const match = /^([^|]+)\|([^|:]+):(total|held|sold)$/.exec(String(flat[i]));
    if (!match) throw unexpectedReply(script, reply);
    const [, classCode = '', quota = '', field = ''] = match;
    const key = `${classCode}|${quota}`;
    const pool = pools.get(key) ?? { total: 0, held: 0, sold: 0 };
    pool[field as 'total' | 'held' | 'sold'] = toInteger(script, reply, flat[i + 1]);
    pools.set(key, pool);
  }
  return [...pools.entries()]
    .map(([key, { total, held, sold }]) => {
      const [classCode = '', quota = ''] = key.split('|');
      return { classCode, quota, free: total - held - sold, held, sold };
    })
    .sort((a, b) => poolOrder(a.classCode, a.quota) - poolOrder(b.classCode, b.quota));
}

export type SnapshotState = SeatState | 'held_expired' | 'unknown_sold' | 'unknown_held';
const snapshotCodes: readonly SnapshotState[] = [
  'free',
  'held',
  'sold',
  'held_expired',
  'unknown_sold',
  'unknown_held',
];

export interface RawSnapshot {
  /** The counters as stored: "<class>|<quota>:total|held|sold" -> count. */
  counts: Map<string, number>;
  states: Map<number, SnapshotState>;
}

/**
 * Every seat's raw state and the counters, in one atomic read: 'held_expired' is a seat whose
 * hold is over by `nowMs` but not swept yet; 'unknown_sold' and 'unknown_held' are seat ids
 * with a value but no metadata.
 */
export async function readRawSnapshot(
  redis: RedisLike,
  prefix: string,
  journeyId: number,
  nowMs: number,
): Promise<RawSnapshot> {
  assertTime('nowMs', nowMs);
  registerInventoryScripts(redis);
  const script = 'read-snapshot';
  const reply = await redis.inventoryReadSnapshot(
    ...inventoryKeyList(inventoryKeys(prefix, journeyId)),
    nowMs,
  );
  failOnErrorCode(script, reply);
  const [countsFlat, seatsFlat] = toArray(script, reply).map((part) => toArray(script, part));
  if (!countsFlat || !seatsFlat) throw unexpectedReply(script, reply);
  const counts = new Map<string, number>();
  for (let i = 0; i + 1 < countsFlat.length; i += 2) {
    counts.set(String(countsFlat[i]), toInteger(script, reply, countsFlat[i + 1]));
  }
  const states = new Map<number, SnapshotState>();
  for (let i = 0; i + 1 < seatsFlat.length; i += 2) {
    const state = snapshotCodes[toInteger(script, reply, seatsFlat[i + 1])];
    if (state === undefined) throw unexpectedReply(script, reply);
    states.set(toInteger(script, reply, seatsFlat[i]), state);
  }
  return { counts, states };
}

/**
 * Every seat of the journey and its state, for audits against PostgreSQL. With `nowMs`, a
 * seat whose hold is over by then reads 'free' (it is free for anyone holding at that time);
 * without it, as stored. Seat ids Redis has a value for but no metadata read as their value.
 */
export async function inventorySnapshot(
  redis: RedisLike,
  prefix: string,
  journeyId: number,
  options: { nowMs?: number } = {},
): Promise<Map<number, SeatState>> {
  const raw = await readRawSnapshot(redis, prefix, journeyId, options.nowMs ?? 0);
  const states = new Map<number, SeatState>();
  for (const [seatId, state] of raw.states) {
    if (state === 'held_expired') states.set(seatId, options.nowMs === undefined ? 'held' : 'free');
    else if (state === 'unknown_sold') states.set(seatId, 'sold');
    else if (state === 'unknown_held') states.set(seatId, 'held');
    else states.set(seatId, state);
  }
  return states;
}
