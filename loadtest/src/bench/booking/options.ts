// The booking bench's knobs, read once from the environment (BENCH_*). The
// names it shares with `pnpm bench:waiting-room` mean the same there.

import { integerFrom, phasesFrom } from '../options.ts';

export const bookingPhases = ['holds', 'commits', 'contention'] as const;
export type BookingPhase = (typeof bookingPhases)[number];

export interface BookingBenchOptions {
  pgAdminUrl: string;
  redisUrl: string;
  /** Seconds of each measured run. */
  durationS: number;
  /** Seconds of unmeasured load per side before a pair's first run. */
  warmupS: number;
  /** Baseline/real pairs per comparison; medians are reported. */
  rounds: number;
  /** Concurrent callers of holdSeats and of the trivial script, on one ioredis connection. */
  holdCallers: number;
  /** Inventories (copies of the seeded journey's, 476 two-seat pairs each) the holds use up. */
  holdInventories: number;
  /** Pool connections, concurrent createBooking callers and pgbench clients. */
  pgClients: number;
  /** Journeys whose 80 sleeper-Tatkal seat pairs each run books, freed again between runs. */
  commitJourneys: number;
  contentionAttempts: number;
  contentionCallers: number;
  contentionSeats: number;
  /** Seed of the contention crowd's seat choices. */
  contentionSeed: number;
  pgbenchPath: string;
  /** The whole bench is stopped (and cleaned up) after this long. */
  timeoutS: number;
  phases: ReadonlySet<BookingPhase>;
}

export function bookingBenchOptions(env: NodeJS.ProcessEnv): BookingBenchOptions {
  const phases = phasesFrom(env, bookingPhases);
  const contentionSeats = integerFrom(env, 'BENCH_CONTENTION_SEATS', 20, 2, 160);
  return {
    pgAdminUrl: env.BENCH_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres',
    redisUrl: env.BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379',
    durationS: integerFrom(env, 'BENCH_DURATION_S', 6, 1, 120),
    warmupS: integerFrom(env, 'BENCH_WARMUP_S', 2, 0, 60),
    rounds: integerFrom(env, 'BENCH_ROUNDS', 3, 1, 20),
    holdCallers: integerFrom(env, 'BENCH_HOLD_CALLERS', 64, 1, 10_000),
    holdInventories: integerFrom(env, 'BENCH_HOLD_INVENTORIES', 400, 1, 2_000),
    pgClients: integerFrom(env, 'BENCH_PG_CLIENTS', 16, 1, 80),
    commitJourneys: integerFrom(env, 'BENCH_COMMIT_JOURNEYS', 150, 1, 2_000),
    contentionAttempts: integerFrom(env, 'BENCH_CONTENTION_ATTEMPTS', 2_000, 1, 100_000),
    contentionCallers: integerFrom(env, 'BENCH_CONTENTION_CALLERS', 200, 1, 10_000),
    contentionSeats,
    contentionSeed: integerFrom(env, 'BENCH_CONTENTION_SEED', 20_240_101, 0, 2 ** 31),
    pgbenchPath: env.BENCH_PGBENCH ?? '',
    timeoutS: integerFrom(env, 'BENCH_TIMEOUT_S', 600, 30, 7_200),
    phases,
  };
}
