// The bench's knobs, read once from the environment (BENCH_*), with defaults
// that make `pnpm bench:waiting-room` finish in a few minutes on two cores.

export type LoadGeneratorChoice = 'auto' | 'wrk' | 'autocannon';

export const benchPhases = ['throughput', 'memory', 'sse'] as const;
export type BenchPhase = (typeof benchPhases)[number];

export interface BenchOptions {
  pgAdminUrl: string;
  redisUrl: string;
  /** Seconds of each throughput measurement. */
  durationS: number;
  /** Seconds of unmeasured load before each pair's first run (JIT, pools, caches). */
  warmupS: number;
  /** Keep-alive connections of the load generator. */
  connections: number;
  /** Baseline/real pairs per endpoint; medians are reported. */
  rounds: number;
  loadGenerator: LoadGeneratorChoice;
  /** Distinct tickets the status benchmark rotates through. */
  statusTickets: number;
  /** Waiting visitors whose Redis memory is measured. */
  memoryVisitors: number;
  /** SSE connections to open against one process. */
  sseConnections: number;
  /** SSE client processes sharing those connections. */
  sseClients: number;
  /** Open-files limit for the service and the SSE clients. */
  nofile: number;
  /** The whole bench is stopped (and cleaned up) after this long. */
  timeoutS: number;
  /** Which measurements to run (BENCH_PHASES=throughput,memory,sse). */
  phases: ReadonlySet<BenchPhase>;
}

/** A whole-number BENCH_* variable within bounds, or the fallback when unset. */
export function integerFrom(
  env: NodeJS.ProcessEnv,
  name: string,
  fallback: number,
  min: number,
  max: number,
): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new Error(
      `${name} must be a whole number from ${min} to ${max} (got ${JSON.stringify(raw)})`,
    );
  }
  return value;
}

export function benchOptions(env: NodeJS.ProcessEnv): BenchOptions {
  const generator = env.BENCH_LOAD_GENERATOR ?? 'auto';
  if (generator !== 'auto' && generator !== 'wrk' && generator !== 'autocannon') {
    throw new Error(
      `BENCH_LOAD_GENERATOR must be auto, wrk or autocannon (got ${JSON.stringify(generator)})`,
    );
  }
  const phases = phasesFrom(env, benchPhases);
  return {
    pgAdminUrl: env.BENCH_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres',
    redisUrl: env.BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379',
    durationS: integerFrom(env, 'BENCH_DURATION_S', 6, 1, 120),
    warmupS: integerFrom(env, 'BENCH_WARMUP_S', 2, 0, 60),
    connections: integerFrom(env, 'BENCH_CONNECTIONS', 64, 1, 10_000),
    rounds: integerFrom(env, 'BENCH_ROUNDS', 3, 1, 20),
    loadGenerator: generator,
    statusTickets: integerFrom(env, 'BENCH_STATUS_TICKETS', 2_000, 1, 100_000),
    memoryVisitors: integerFrom(env, 'BENCH_MEMORY_VISITORS', 100_000, 1_000, 10_000_000),
    sseConnections: integerFrom(env, 'BENCH_SSE_CONNECTIONS', 20_000, 1, 200_000),
    sseClients: integerFrom(env, 'BENCH_SSE_CLIENTS', 2, 1, 8),
    nofile: integerFrom(env, 'BENCH_NOFILE', 70_000, 1_024, 1_048_576),
    timeoutS: integerFrom(env, 'BENCH_TIMEOUT_S', 900, 30, 7_200),
    phases,
  };
}

/** The phases BENCH_PHASES lists (all of them when unset), each one of `known`. */
export function phasesFrom<P extends string>(env: NodeJS.ProcessEnv, known: readonly P[]): Set<P> {
  const listed = (env.BENCH_PHASES ?? known.join(','))
    .split(',')
    .map((phase) => phase.trim())
    .filter((phase) => phase.length > 0);
  for (const phase of listed) {
    if (!(known as readonly string[]).includes(phase)) {
      throw new Error(
        `BENCH_PHASES must list some of ${known.join(', ')} (got ${JSON.stringify(phase)})`,
      );
    }
  }
  return new Set(listed as P[]);
}
