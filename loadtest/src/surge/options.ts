// Options of `pnpm loadtest:surge`: command-line flags (`--visitors=30000`), each also read
// from the environment (SURGE_VISITORS), with a smaller default crowd under CI (CI=true).

export interface SurgeOptions {
  visitors: number;
  seats: number;
  windowS: number;
  waitingRooms: number;
  bookingApis: number;
  workers: number;
  sseShare: number;
  abandonShare: number;
  seed: number;
  /** Each run (protected, contrast) stops this long after the opening at the latest. */
  runBudgetS: number;
  contrast: boolean;
  /** Folder the report goes to; empty = no report files. */
  reportDir: string;
  pgAdminUrl: string;
  redisUrl: string;
  /** Room bounds for the admission controller. */
  minAdmitPerSecond: number;
  maxAdmitPerSecond: number;
  maxActiveSessions: number;
  latencyTargetMs: number;
  sessionSeconds: number;
}

/** Tatkal sleeper berths the seeded train can carry (23 sleeper coaches of 72). */
export const maxSeats = 23 * 72;

export const usage = `pnpm loadtest:surge [--visitors=N] [--seats=N] [--window=S]
  [--waiting-rooms=N] [--booking-apis=N] [--workers=N] [--sse-share=0..1] [--abandon-share=0..1]
  [--seed=N] [--budget=S] [--no-contrast] [--report=DIR|--no-report]
  [--min-rate=N] [--max-rate=N] [--max-sessions=N] [--latency-target=MS] [--session=S]`;

type Raw = Record<string, string | undefined>;

function flags(argv: readonly string[]): Raw {
  const raw: Raw = {};
  for (const arg of argv) {
    const match = /^--([a-z-]+)(?:=(.*))?$/.exec(arg);
    if (!match?.[1]) throw new Error(`unknown argument ${arg}\n${usage}`);
    raw[match[1]] = match[2] ?? 'true';
  }
  return raw;
}

function numberOption(
  raw: Raw,
  env: NodeJS.ProcessEnv,
  name: string,
  fallback: number,
  range: [number, number],
  integer = true,
): number {
  const envName = `SURGE_${name.toUpperCase().replaceAll('-', '_')}`;
  const text = raw[name] ?? env[envName];
  if (text === undefined || text === '') return fallback;
  const value = Number(text);
  if (!Number.isFinite(value) || (integer && !Number.isInteger(value))) {
    throw new Error(`--${name} (${envName}) must be ${integer ? 'a whole number' : 'a number'}`);
  }
  if (value < range[0] || value > range[1]) {
    throw new Error(`--${name} (${envName}) must be between ${range[0]} and ${range[1]}`);
  }
  return value;
}

export function surgeOptions(argv: readonly string[], env: NodeJS.ProcessEnv): SurgeOptions {
  const raw = flags(argv);
  const known = new Set([
    'visitors',
    'seats',
    'window',
    'waiting-rooms',
    'booking-apis',
    'workers',
    'sse-share',
    'abandon-share',
    'seed',
    'budget',
    'contrast',
    'no-contrast',
    'report',
    'no-report',
    'min-rate',
    'max-rate',
    'max-sessions',
    'latency-target',
    'session',
  ]);
  for (const name of Object.keys(raw)) {
    if (!known.has(name)) throw new Error(`unknown option --${name}\n${usage}`);
  }
  const ci = env.CI === 'true' || env.CI === '1';
  const visitors = numberOption(raw, env, 'visitors', ci ? 3_000 : 30_000, [10, 60_000]);
  const seats = numberOption(raw, env, 'seats', ci ? 150 : 1_500, [1, maxSeats]);
  const windowS = numberOption(raw, env, 'window', ci ? 20 : 60, [1, 600]);
  const date = new Date().toISOString().slice(0, 10);
  const report =
    raw['no-report'] === 'true'
      ? ''
      : (raw.report ?? env.SURGE_REPORT ?? `loadtest/reports/${date}`);
  return {
    visitors,
    seats,
    windowS,
    waitingRooms: numberOption(raw, env, 'waiting-rooms', 1, [1, 8]),
    bookingApis: numberOption(raw, env, 'booking-apis', 1, [1, 8]),
    workers: numberOption(raw, env, 'workers', 1, [1, 8]),
    sseShare: numberOption(raw, env, 'sse-share', 0.1, [0, 1], false),
    abandonShare: numberOption(raw, env, 'abandon-share', 0.02, [0, 1], false),
    seed: numberOption(raw, env, 'seed', 6, [0, 2 ** 31]),
    runBudgetS: numberOption(raw, env, 'budget', windowS + 180, [10, 1_800]),
    contrast: raw['no-contrast'] !== 'true' && env.SURGE_CONTRAST !== 'false',
    reportDir: report,
    pgAdminUrl:
      env.SURGE_PG_URL ?? env.TATKAL_TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres',
    redisUrl: env.SURGE_REDIS_URL ?? env.TATKAL_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379',
    minAdmitPerSecond: numberOption(raw, env, 'min-rate', 5, [0, 10_000]),
    maxAdmitPerSecond: numberOption(raw, env, 'max-rate', 150, [1, 10_000]),
    maxActiveSessions: numberOption(raw, env, 'max-sessions', 60, [1, 100_000]),
    latencyTargetMs: numberOption(raw, env, 'latency-target', 150, [1, 60_000]),
    sessionSeconds: numberOption(raw, env, 'session', 60, [10, 3_600]),
  };
}
