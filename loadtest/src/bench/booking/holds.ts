// Hold throughput: holdSeats (one EVALSHA of hold-seats.lua per hold, named
// two-seat holds on seats nobody holds) from N concurrent callers on one
// ioredis connection, against a trivial script (INCR of one key) through
// defineCommand on the same kind of connection with the same callers.
//
// A hold run must never find its seats taken, so each run uses up fresh
// inventories (the seeded journey's, built once by rebuildInventory from
// PostgreSQL, then copied key by key under more prefixes; the keys keep their
// {journey:<id>} hash tag) and ends at the deadline or when they run out. The releases that free them again for the next run are timed
// too, as `release_rps`, but are not part of `hold_rps`.
import { once } from 'node:events';
import type { DbClient } from '@tatkal/drizzle';
import { closeRedis, createRedisClient } from '@tatkal/waiting-room/service';
import type { Redis, Result } from 'ioredis';
import type { Cleanup, Progress } from '../cleanup.ts';
import {
  auditInventory,
  holdSeats,
  inventoryKeyList,
  inventoryKeys,
  rebuildInventory,
  registerInventoryScripts,
  releaseHold,
} from './booking-api.ts';
import { closedLoop, cursor, type LoopResult } from './closed-loop.ts';
import { opCost, readRedisCounters } from './cost.ts';
import { describeRun, type RatePair, type RateRun, rateRun, summariseRates } from './figures.ts';
import { seatPairs } from './journeys.ts';

declare module 'ioredis' {
  interface RedisCommander<Context> {
    benchTrivialScript(key: string): Result<number, Context>;
  }
}

const trivialLua = "return redis.call('INCR', KEYS[1])";
/** A Tatkal hold's lifetime: none expires during the bench. */
const holdTtlMs = 10 * 60_000;

export interface HoldSettings {
  callers: number;
  inventories: number;
  durationS: number;
  warmupS: number;
  rounds: number;
}

export interface HoldReport {
  pair: RatePair;
  holdRuns: RateRun[];
  baselineRuns: RateRun[];
  releaseRuns: RateRun[];
  /** Median of the release runs (each frees the holds of the run before it). */
  releaseRps: number | null;
  inventories: number;
  holdsPerInventory: number;
  /** auditInventory over every inventory after the last release: seats and counters. */
  inventoryMismatches: number;
}

interface HoldWork {
  prefix: string;
  seatIds: number[];
}

interface MadeHold {
  prefix: string;
  holdId: string;
}

export async function measureHolds(
  cleanup: Cleanup,
  context: {
    db: DbClient;
    redisUrl: string;
    /** A separate connection, for INFO and the inventory copies. */
    probe: Redis;
    prefix: string;
    journeyId: number;
  },
  settings: HoldSettings,
  progress: Progress,
): Promise<HoldReport> {
  const { db, journeyId } = context;
  const redis = createRedisClient({ url: context.redisUrl, connectionName: 'tatkal-bench-holds' });
  const closeConnection = cleanup.defer('holds Redis connection', () => closeRedis(redis));
  if (redis.status !== 'ready') await once(redis, 'ready');
  registerInventoryScripts(redis);
  redis.defineCommand('benchTrivialScript', { numberOfKeys: 1, lua: trivialLua });
  const trivialKey = `${context.prefix}:trivial`;

  const pairs = await seatPairs(db, journeyId);
  const prefixes = Array.from(
    { length: settings.inventories },
    (_, i) => `${context.prefix}:inv${i}`,
  );
  progress(`building ${prefixes.length} inventories of journey ${journeyId}`);
  await buildInventories(context.probe, db, redis, prefixes, journeyId);
  const work: HoldWork[] = prefixes.flatMap((prefix) =>
    pairs.map((seatIds) => ({ prefix, seatIds })),
  );

  const measured = async (loop: () => Promise<LoopResult>) => {
    const redisBefore = await readRedisCounters(context.probe);
    const cpuBefore = process.cpuUsage();
    const result = await loop();
    const cpuAfter = process.cpuUsage();
    const redisAfter = await readRedisCounters(context.probe);
    return rateRun(
      result,
      opCost(
        result.ops,
        { before: cpuBefore, after: cpuAfter },
        { before: redisBefore, after: redisAfter },
      ),
    );
  };

  let holder = 0;
  const holdRun = async (durationS: number) => {
    const made: MadeHold[] = [];
    const run = await measured(() =>
      closedLoop({
        callers: settings.callers,
        durationMs: durationS * 1000,
        next: cursor(work),
        run: async (item: HoldWork) => {
          holder += 1;
          const outcome = await holdSeats(redis, item.prefix, {
            journeyId,
            request: { kind: 'seats', seatIds: item.seatIds },
            holder: { subject: `bench-${holder}`, tokenJti: `jti-${holder}` },
            ttlMs: holdTtlMs,
            nowMs: Date.now(),
          });
          if (!outcome.ok) throw new Error(`hold refused: ${outcome.reason}`);
          made.push({ prefix: item.prefix, holdId: outcome.holdId });
        },
      }),
    );
    return { run, made };
  };
  const releaseRun = async (made: MadeHold[]) => {
    const run = await measured(() =>
      closedLoop({
        callers: settings.callers,
        durationMs: 600_000,
        next: cursor(made),
        run: async (hold: MadeHold) => {
          const outcome = await releaseHold(redis, hold.prefix, journeyId, hold.holdId, {
            nowMs: Date.now(),
          });
          if (outcome !== 'released') throw new Error(`release: ${outcome}`);
        },
      }),
    );
    if (run.ops !== made.length) {
      throw new Error(`released ${run.ops} of ${made.length} holds`);
    }
    return run;
  };
  const baselineRun = (durationS: number) =>
    measured(() =>
      closedLoop({
        callers: settings.callers,
        durationMs: durationS * 1000,
        next: () => trivialKey,
        run: (key: string) => redis.benchTrivialScript(key),
      }),
    );

  if (settings.warmupS > 0) {
    await baselineRun(settings.warmupS);
    const warm = await holdRun(settings.warmupS);
    await releaseRun(warm.made);
  }
  const holdRuns: RateRun[] = [];
  const baselineRuns: RateRun[] = [];
  const releaseRuns: RateRun[] = [];
  for (let round = 0; round < settings.rounds; round += 1) {
    const baseline = await baselineRun(settings.durationS);
    progress(`trivial EVALSHA: ${describeRun('calls', baseline)}`);
    baselineRuns.push(baseline);
    const { run, made } = await holdRun(settings.durationS);
    progress(`holdSeats: ${describeRun('holds', run)}`);
    if (run.failures > 0 || run.elapsedS < 1) {
      throw new Error(
        `hold run not usable: ${describeRun('holds', run)} (raise BENCH_HOLD_INVENTORIES if the work ran out within a second)`,
      );
    }
    holdRuns.push(run);
    const release = await releaseRun(made);
    progress(`releaseHold: ${describeRun('releases', release)}`);
    releaseRuns.push(release);
  }

  let inventoryMismatches = 0;
  for (const prefix of prefixes) {
    const audit = await auditInventory(db.db, redis, prefix, journeyId, Date.now());
    inventoryMismatches += audit.mismatches.length + audit.countMismatches.length;
  }
  await closeConnection();
  const releases = summariseRates(releaseRuns, releaseRuns);
  return {
    pair: summariseRates(holdRuns, baselineRuns),
    holdRuns,
    baselineRuns,
    releaseRuns,
    releaseRps: releaseRuns.length > 0 ? releases.real : null,
    inventories: prefixes.length,
    holdsPerInventory: pairs.length,
    inventoryMismatches,
  };
}

/**
 * rebuildInventory from PostgreSQL under the first prefix, then COPY of each
 * of its keys under the others: the same inventory, without reading
 * PostgreSQL hundreds of times.
 */
async function buildInventories(
  probe: Redis,
  db: DbClient,
  redis: Redis,
  prefixes: readonly string[],
  journeyId: number,
): Promise<void> {
  const [template, ...copies] = prefixes;
  if (template === undefined) return;
  await rebuildInventory(db.db, redis, template, journeyId);
  const source = inventoryKeyList(inventoryKeys(template, journeyId));
  const existing = (
    await Promise.all(source.map(async (key) => ((await probe.exists(key)) ? key : null)))
  ).filter((key): key is string => key !== null);
  const layers = source.length;
  for (let start = 0; start < copies.length; start += 50) {
    const pipeline = probe.pipeline();
    for (const prefix of copies.slice(start, start + 50)) {
      const target = inventoryKeyList(inventoryKeys(prefix, journeyId));
      for (let i = 0; i < layers; i += 1) {
        const from = source[i];
        const to = target[i];
        if (from !== undefined && to !== undefined && existing.includes(from)) {
          pipeline.copy(from, to);
        }
      }
    }
    const replies = (await pipeline.exec()) ?? [];
    const failed = replies.find(([error, copied]) => error !== null || copied !== 1);
    if (failed) throw new Error(`copying an inventory failed: ${String(failed[0] ?? failed[1])}`);
  }
}
