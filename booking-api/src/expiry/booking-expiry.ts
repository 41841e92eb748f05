import type { Logger } from '@tatkal/waiting-room/service';
import { Queue, Worker } from 'bullmq';
import type { Redis } from 'ioredis';
import { expireBooking, expireUnpaidBookings } from '../bookings/index.ts';
import type { BookingApiDeps, ExpiryScheduler } from '../deps.ts';
import { reconcileJourneys, sweepServedJourneys } from '../flows/journeys.ts';
import { returnSeatsAndPromote } from '../flows/return-seats.ts';

const queueName = 'booking-expiry';

/** BullMQ's keys share one hash tag, so its scripts run on Redis Cluster. */
export function bullPrefix(prefix: string): string {
  return `${prefix}:{bull}`;
}

/** Schedules each unpaid booking's expiry as a BullMQ delayed job at its deadline. */
export class BullExpiryScheduler implements ExpiryScheduler {
  readonly queue: Queue;

  constructor(connection: Redis, prefix: string) {
    this.queue = new Queue(queueName, { connection, prefix: bullPrefix(prefix) });
    // Failures surface where jobs are added; the service's readiness reports Redis.
    this.queue.on('error', () => {});
  }

  async schedule(bookingId: number, atMs: number): Promise<void> {
    await this.queue.add(
      'expire',
      { bookingId },
      {
        // One job per booking, however often it is scheduled (retries, promotions).
        jobId: `expire-${bookingId}-${atMs}`,
        delay: Math.max(0, atMs - Date.now()),
        removeOnComplete: true,
        removeOnFail: 1_000,
        attempts: 5,
        backoff: { type: 'exponential', delay: 1_000 },
      },
    );
  }

  close(): Promise<void> {
    return this.queue.close();
  }
}

/** Expires one booking (idempotent: a paid or already expired booking is left alone). */
export async function expireOne(
  deps: BookingApiDeps,
  bookingId: number,
): Promise<'expired' | 'not_found' | 'not_due' | 'not_pending'> {
  const result = await expireBooking({ db: deps.db.db }, bookingId, deps.now());
  if (!result.expired) return result.reason;
  deps.metrics.bookings.inc({ status: 'EXPIRED' });
  await returnSeatsAndPromote(deps, result.booking);
  return 'expired';
}

/** The backstop: every unpaid booking past its window, in batches, however the jobs fared. */
export async function sweepUnpaidBookings(deps: BookingApiDeps, batch = 100): Promise<number> {
  let total = 0;
  for (;;) {
    const expired = await expireUnpaidBookings(
      { db: deps.db.db },
      { nowMs: deps.now(), limit: batch },
    );
    for (const booking of expired) {
      deps.metrics.bookings.inc({ status: 'EXPIRED' });
      await returnSeatsAndPromote(deps, booking);
    }
    total += expired.length;
    if (expired.length < batch) return total;
  }
}

/** Runs the delayed jobs, the periodic sweep and the periodic reconcile; returns a stop function. */
export function runExpiry(
  deps: BookingApiDeps,
  options: { connection: Redis; sweepMs: number; reconcileMs: number; logger: Logger },
): () => Promise<void> {
  const worker = new Worker(
    queueName,
    async (job) => {
      const outcome = await expireOne(deps, Number((job.data as { bookingId: number }).bookingId));
      // A job that fires a moment early (clock skew) is retried with backoff.
      if (outcome === 'not_due') throw new Error('booking not due for expiry yet');
    },
    { connection: options.connection, prefix: bullPrefix(deps.prefix), concurrency: 4 },
  );
  worker.on('failed', (job, error) =>
    options.logger.warn({ err: error, job: job?.id }, 'expiry job failed'),
  );
  let lastConnectionWarning = 0;
  worker.on('error', (error) => {
    // Reconnect attempts while Redis is down would otherwise flood the log.
    if (Date.now() - lastConnectionWarning < 10_000) return;
    lastConnectionWarning = Date.now();
    options.logger.warn({ err: error }, 'expiry worker cannot reach Redis');
  });
  let sweeping: Promise<unknown> = Promise.resolve();
  const timer = setInterval(() => {
    sweeping = Promise.all([
      sweepUnpaidBookings(deps).catch((error: unknown) =>
        options.logger.warn({ err: error }, 'expiry sweep failed'),
      ),
      // Expired seat holds: holds themselves no longer sweep (ADR 0007).
      sweepServedJourneys(deps).catch((error: unknown) =>
        options.logger.warn({ err: error }, 'hold sweep failed'),
      ),
    ]);
  }, options.sweepMs);
  timer.unref();
  // At once, and again each second until it succeeds (Redis may not be connected yet): what a
  // killed predecessor committed in PostgreSQL but never wrote to Redis. Then every reconcileMs.
  let stopped = false;
  let reconcileTimer: NodeJS.Timeout | undefined;
  const reconcile = async (): Promise<void> => {
    let ok = true;
    try {
      const journeys = await reconcileJourneys(deps);
      options.logger.debug({ journeys }, 'inventory reconciled');
    } catch (error) {
      ok = false;
      options.logger.warn({ err: error }, 'inventory reconcile failed');
    }
    if (stopped) return;
    reconcileTimer = setTimeout(
      () => {
        reconciling = reconcile();
      },
      ok ? options.reconcileMs : Math.min(1_000, options.reconcileMs),
    );
    reconcileTimer.unref();
  };
  let reconciling: Promise<void> =
    deps.redis.status === 'ready' ? reconcile() : waitForReady(deps.redis).then(reconcile);
  return async () => {
    clearInterval(timer);
    stopped = true;
    clearTimeout(reconcileTimer);
    await Promise.all([sweeping, reconciling]);
    clearTimeout(reconcileTimer);
    // With Redis gone, close() would wait for it forever; jobs live in Redis and are not lost.
    if (options.connection.status !== 'ready') options.connection.disconnect();
    await worker.close(options.connection.status !== 'ready');
  };
}

/** Resolves once the client is connected (at most 5 s; a failing reconcile is retried anyway). */
function waitForReady(redis: BookingApiDeps['redis']): Promise<void> {
  if (redis.status === 'ready') return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(done, 5_000);
    timer.unref();
    function done() {
      clearTimeout(timer);
      redis.off('ready', done);
      resolve();
    }
    redis.once('ready', done);
  });
}
