// Builds a journey's inventory from PostgreSQL, and only from PostgreSQL (DESIGN §5), while
// holds and bookings go on: metadata and allocation order are rewritten, then every seat is
// made to agree with PostgreSQL in small atomic chunks, then the counters are recounted.
// docs/adr/0007-seat-inventory.md explains why it is built in place rather than swapped in.
import type { Database } from '@tatkal/drizzle';
import { chunks } from './chunks.ts';
import { inventoryKeyList, inventoryKeys } from './keys.ts';
import { readJourneyTruth } from './postgres.ts';
import { toArray, toInteger } from './replies.ts';
import { failOnErrorCode, type RedisLike, registerInventoryScripts } from './scripts.ts';
import { assertTime, encodeSeatMeta } from './types.ts';

export interface RebuildResult {
  /** Seats of the journey. */
  seats: number;
  /** Seats sold after the rebuild (PostgreSQL's live assignments, plus any sold meanwhile). */
  sold: number;
  /** Seats held by live holds the rebuild kept (or taken meanwhile). */
  held: number;
}

export interface RebuildOptions {
  /** The clock that decides which holds are over (default Date.now()). */
  nowMs?: number;
  /**
   * Runs after PostgreSQL was read and before Redis is changed: where a booking racing the
   * rebuild lands in the worst case (tests use it to put one there).
   */
  afterPostgresRead?: () => Promise<void>;
}

const seatsPerChunk = 200;

export async function rebuildInventory(
  db: Database,
  redis: RedisLike,
  prefix: string,
  journeyId: number,
  options: RebuildOptions = {},
): Promise<RebuildResult> {
  const nowMs = options.nowMs ?? Date.now();
  assertTime('nowMs', nowMs);
  registerInventoryScripts(redis);
  const keys = inventoryKeys(prefix, journeyId);
  const list = inventoryKeyList(keys);

  // What Redis says before PostgreSQL is read: a sold seat is freed below only if it still
  // has this value, so a booking committed after the PostgreSQL read is never undone.
  const [seen, knownSeatIds] = await Promise.all([
    redis.hgetall(keys.taken),
    redis.hkeys(keys.seats),
  ]);
  // The field "" is the encoding anchor finish-rebuild.lua writes, not a seat.
  delete seen[''];
  const truth = await readJourneyTruth(db, journeyId);
  if (truth.seats.length === 0) throw new RangeError(`journey ${journeyId} has no seats`);
  await options.afterPostgresRead?.();

  for (const chunk of chunks(truth.seats, seatsPerChunk)) {
    const reply = await redis.inventoryLoadSeats(
      ...list,
      ...chunk.flatMap((seat) => [seat.seatId, encodeSeatMeta(seat)]),
    );
    failOnErrorCode('load-seats', reply);
  }

  const pools = new Map<string, number[]>();
  for (const seat of truth.seats) {
    const pool = `${seat.classCode}|${seat.quota}`;
    const seatIds = pools.get(pool) ?? [];
    seatIds.push(seat.seatId);
    pools.set(pool, seatIds);
  }
  failOnErrorCode(
    'replace-pools',
    await redis.inventoryReplacePools(
      ...list,
      ...[...pools].flatMap(([pool, seatIds]) => [pool, seatIds.join(',')]),
    ),
  );

  const inJourney = new Set(truth.seats.map((seat) => seat.seatId));
  const strangers = new Set(
    [...knownSeatIds, ...Object.keys(seen)].map(Number).filter((id) => !inJourney.has(id)),
  );
  const triples: Array<[number, '1' | '0' | 'x']> = [
    ...truth.seats.map((seat): [number, '1' | '0'] => [
      seat.seatId,
      truth.sold.has(seat.seatId) ? '1' : '0',
    ]),
    ...[...strangers].map((seatId): [number, 'x'] => [seatId, 'x']),
  ];
  for (const chunk of chunks(triples, seatsPerChunk)) {
    const reply = await redis.inventoryApplyTruth(
      ...list,
      nowMs,
      ...chunk.flatMap(([seatId, state]) => [seatId, state, seen[String(seatId)] ?? '']),
    );
    failOnErrorCode('apply-truth', reply);
  }

  const reply = await redis.inventoryFinishRebuild(...list, nowMs);
  failOnErrorCode('finish-rebuild', reply);
  const [seats, held, sold] = toArray('finish-rebuild', reply).map((value) =>
    toInteger('finish-rebuild', reply, value),
  );
  if (seats === undefined || held === undefined || sold === undefined) {
    throw new Error(`finish-rebuild: unexpected reply ${JSON.stringify(reply)}`);
  }
  return { seats, sold, held };
}

const building = new Map<string, Promise<unknown>>();

/**
 * Builds the journey's inventory if it is not built (on start, or when a script reports
 * inventory_missing, e.g. after Redis lost its data). Concurrent callers in one process share
 * one rebuild; callers in other processes may rebuild at the same time, which is safe.
 */
export async function ensureInventory(
  db: Database,
  redis: RedisLike,
  prefix: string,
  journeyId: number,
): Promise<void> {
  const keys = inventoryKeys(prefix, journeyId);
  if ((await redis.hget(keys.meta, 'ready')) === '1') return;
  const key = `${prefix}\n${journeyId}`;
  let pending = building.get(key);
  if (!pending) {
    pending = rebuildInventory(db, redis, prefix, journeyId).finally(() => building.delete(key));
    building.set(key, pending);
  }
  await pending;
}
