import { hostname } from 'node:os';
import {
  baseConfigShape,
  ConfigError,
  integer,
  parseConfig,
  port,
  urlWithProtocol,
} from '@tatkal/waiting-room/service';
import { z } from 'zod';
import { jobNames } from './jobs/run-job.ts';

export const configShape = {
  ...baseConfigShape,
  PORT: port(8082),
  /** Names this process in tick locks, decision records and the audit. */
  WORKER_ID: z
    .string()
    .regex(/^[A-Za-z0-9_.-]{1,64}$/, { message: 'must be 1-64 letters, digits, ".", "_" or "-"' })
    .default(
      `${hostname()
        .slice(0, 40)
        .replace(/[^A-Za-z0-9_.-]/g, '-')}-${process.pid}`,
    ),
  /** Ticks of different rooms this process runs at once. */
  TICK_CONCURRENCY: integer(1, 256).default(8),
  /** A room's tick lock expires after this; a worker that dies holding it stalls the room this long. */
  TICK_LOCK_TTL_MS: integer(200, 60_000).default(5_000),
  /** How often the rooms table is re-read to add and remove tick schedulers. */
  ROOM_REFRESH_MS: integer(100, 60_000).default(2_000),
  /** A booking-api health summary older than this is dropped (unknown, never healthy). */
  HEALTH_STALE_MS: integer(100, 60_000).default(5_000),
  /** pg_stat_activity must answer within this, or the database signals are unknown. */
  HEALTH_DB_TIMEOUT_MS: integer(10, 10_000).default(500),
  /** How often tick records are copied from the decision streams to admission_batches. */
  AUDIT_FLUSH_MS: integer(100, 60_000).default(1_000),
  /** Tick records per audit insert. */
  AUDIT_FLUSH_BATCH: integer(1, 5_000).default(500),
  /**
   * Background jobs this process runs: a comma-separated list of release-expired-holds,
   * expire-unpaid-bookings, promote-waitlist, send-notifications, reconcile-inventory; "all"
   * (default) or "none".
   */
  JOBS: z
    .string()
    .default('all')
    .transform((value) =>
      value === 'all'
        ? [...jobNames]
        : value === 'none'
          ? []
          : value.split(',').map((name) => name.trim()),
    )
    .pipe(
      z.array(
        z.enum(jobNames, { message: `must be all, none or names of ${jobNames.join(', ')}` }),
      ),
    ),
  /** How long a booking promoted from the waitlist has to pay (the booking API's value). */
  PAYMENT_WINDOW_SECONDS: integer(30, 3_600).default(600),
  /** Where booking notifications are POSTed, signed; without it they are logged. */
  NOTIFY_WEBHOOK_URL: urlWithProtocol('HTTP', ['http:', 'https:']).optional(),
  /** Signing secrets for the notification webhook, newest first (required with the URL). */
  NOTIFY_WEBHOOK_SECRETS: z
    .string()
    .transform((value) => value.split(',').map((secret) => secret.trim()))
    .refine((secrets) => secrets.every((secret) => secret.length >= 32), {
      message: 'must be comma-separated secrets of at least 32 characters',
    })
    .optional(),
  /** How often the worker rebuilds the Redis inventory of journeys on sale from PostgreSQL. */
  RECONCILE_MS: integer(1_000, 3_600_000).default(60_000),
};

export type Config = ReturnType<typeof loadConfig>;

/** The admission-worker configuration from the environment; throws ConfigError naming every bad variable. */
export function loadConfig(env: Record<string, string | undefined>) {
  const config = parseConfig('admission-worker', configShape, env);
  if (config.NOTIFY_WEBHOOK_URL && !config.NOTIFY_WEBHOOK_SECRETS) {
    throw new ConfigError('admission-worker', [
      'NOTIFY_WEBHOOK_SECRETS is required when NOTIFY_WEBHOOK_URL is set',
    ]);
  }
  return config;
}
