// The admission worker's background jobs as BullMQ job schedulers: release expired holds,
// expire unpaid bookings, promote waitlists, send booking notifications and reconcile the
// Redis inventory. Every process that calls startJobs upserts the same schedulers (an
// idempotent write) and runs a worker; BullMQ hands each scheduled run to one worker, and
// every job is idempotent and safe alongside copies of itself anyway (a run can overlap the
// next when it is slow, and the booking API runs its own expiry and reconcile).

import type { ExpiryScheduler } from '@tatkal/booking-api';
import { BullExpiryScheduler, bullPrefix } from '@tatkal/booking-api/expiry';
import type { DbClient } from '@tatkal/drizzle';
import type { Logger } from '@tatkal/waiting-room/service';
import { Queue, Worker } from 'bullmq';
import type { Redis } from 'ioredis';
import type { Registry } from 'prom-client';
import type { JobDeps } from './deps.ts';
import { createJobMetrics } from './metrics.ts';
import { createLogNotifier } from './notifications/log-notifier.ts';
import type { Notifier } from './notifications/notifier.ts';
import type { SendOptions } from './notifications/send-notifications.ts';
import {
  createWebhookNotifier,
  type WebhookNotifierOptions,
} from './notifications/webhook-notifier.ts';
import { defaultEveryMs, type JobName, jobNameSchema, jobNames, runJob } from './run-job.ts';

export type { JobDeps } from './deps.ts';
export { expireDueBookings } from './expire-unpaid-bookings.ts';
export { createLogNotifier } from './notifications/log-notifier.ts';
export type { BookingNotification, Notifier } from './notifications/notifier.ts';
export { NotificationDeliveryFailed } from './notifications/notifier.ts';
export { sendDueNotifications } from './notifications/send-notifications.ts';
export { createWebhookNotifier } from './notifications/webhook-notifier.ts';
export { promoteWaitlists } from './promote-waitlist.ts';
export { reconcileJourney, reconcileOnSale } from './reconcile-inventory.ts';
export { releaseExpiredHolds } from './release-expired-holds.ts';
export { defaultEveryMs, type JobName, jobNames, runJob } from './run-job.ts';

export const jobsQueueName = 'background-jobs';

export interface StartJobsDeps {
  db: DbClient;
  /** The service's client; BullMQ gets its own connections made from it. */
  redis: Redis;
  /** REDIS_KEY_PREFIX, the same as the booking API's. */
  prefix: string;
  logger: Logger;
  registry: Registry;
  /** Default: a webhook sender when options.webhook is set, else the log sender. */
  notifier?: Notifier;
  /** Default: the booking API's BullMQ expiry queue, so its workers expire promoted bookings on time. */
  expiry?: ExpiryScheduler;
  now?: () => number;
}

export interface StartJobsOptions {
  /** How long a promoted booking has to pay (the booking API's PAYMENT_WINDOW_MS). */
  paymentWindowMs: number;
  everyMs?: Partial<Record<JobName, number>>;
  /** Jobs that run at all (default every one); others are neither scheduled nor processed. */
  enabled?: readonly JobName[];
  webhook?: WebhookNotifierOptions;
  notifications?: SendOptions;
  /** Jobs this process runs at once (default 2). */
  concurrency?: number;
}

/** Builds what the jobs run with from the service's connections (also used by the reconcile command). */
export function createJobDeps(
  deps: StartJobsDeps,
  options: Pick<StartJobsOptions, 'paymentWindowMs' | 'webhook'>,
): { jobDeps: JobDeps; close: () => Promise<void> } {
  const jobMetrics = createJobMetrics(deps.registry);
  const ownExpiry = deps.expiry
    ? null
    : new BullExpiryScheduler(bullConnection(deps.redis), deps.prefix);
  const notifier =
    deps.notifier ??
    (options.webhook ? createWebhookNotifier(options.webhook) : createLogNotifier(deps.logger));
  return {
    jobDeps: {
      db: deps.db,
      redis: deps.redis,
      prefix: deps.prefix,
      logger: deps.logger,
      notifier,
      expiry: deps.expiry ?? (ownExpiry as ExpiryScheduler),
      jobMetrics,
      metrics: { bookings: jobMetrics.bookings },
      settings: { paymentWindowMs: options.paymentWindowMs },
      now: deps.now ?? Date.now,
    },
    close: async () => {
      if (!ownExpiry) return;
      const connection = ownExpiry.queue.opts.connection as Redis;
      await ownExpiry.close();
      await connection.quit().catch(() => connection.disconnect());
    },
  };
}

/** BullMQ wants its own connection that retries forever instead of failing commands. */
function bullConnection(redis: Redis): Redis {
  return redis.duplicate({ maxRetriesPerRequest: null, connectionName: 'admission-worker-jobs' });
}

/** Schedules and runs the jobs in this process; resolves to a stop function. */
export async function startJobs(
  deps: StartJobsDeps,
  options: StartJobsOptions,
): Promise<() => Promise<void>> {
  const enabled = new Set(options.enabled ?? jobNames);
  const { jobDeps, close } = createJobDeps(deps, options);
  const connection = bullConnection(deps.redis);
  const prefix = bullPrefix(deps.prefix);
  const queue = new Queue(jobsQueueName, { connection, prefix });
  queue.on('error', (error) => warnThrottled(deps.logger, error, 'jobs queue error'));
  try {
    await upsertSchedulers(queue, enabled, options.everyMs ?? {});
  } catch (error) {
    // Nothing started yet: give back what was opened, so a failed start leaks no connection.
    await queue.close().catch(() => {});
    await close();
    connection.disconnect();
    throw error;
  }
  const worker = new Worker(
    jobsQueueName,
    async (job) => {
      const name = jobNameSchema.parse(job.name);
      // A scheduler disabled here may still be enabled in another process; leave it to that one.
      if (!enabled.has(name)) throw new Error(`job ${name} is not enabled in this process`);
      return runJob(jobDeps, name, { notifications: options.notifications ?? {} });
    },
    { connection, prefix, concurrency: options.concurrency ?? 2 },
  );
  worker.on('failed', (job, error) =>
    deps.logger.warn({ err: error, job: job?.name }, 'background job failed'),
  );
  worker.on('error', (error) => warnThrottled(deps.logger, error, 'jobs worker error'));
  return async () => {
    // With Redis gone, close() would wait for it forever; scheduled jobs live in Redis anyway.
    const force = connection.status !== 'ready';
    await worker.close(force);
    await queue.close();
    await close();
    await connection.quit().catch(() => connection.disconnect());
  };
}

async function upsertSchedulers(
  queue: Queue,
  enabled: ReadonlySet<JobName>,
  everyMs: Partial<Record<JobName, number>>,
): Promise<void> {
  const periods = jobNames
    .filter((name) => enabled.has(name))
    .map((name) => [name, everyMs[name] ?? defaultEveryMs[name]] as const);
  for (const [name, every] of periods) {
    if (!Number.isSafeInteger(every) || every < 100) {
      throw new RangeError(`${name}: every must be an integer of at least 100 ms, got ${every}`);
    }
  }
  for (const [name, every] of periods) {
    // Idempotent: every process writes the same scheduler; a changed period replaces the old.
    await queue.upsertJobScheduler(
      name,
      { every },
      { name, opts: { removeOnComplete: true, removeOnFail: 100, attempts: 1 } },
    );
  }
}

let lastWarning = 0;
/** Reconnect attempts while Redis is down would otherwise flood the log. */
function warnThrottled(logger: Logger, error: Error, message: string): void {
  if (Date.now() - lastWarning < 10_000) return;
  lastWarning = Date.now();
  logger.warn({ err: error }, message);
}
