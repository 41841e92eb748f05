// Delivers the outbox. Rows are claimed with FOR UPDATE SKIP LOCKED and a lease (not a
// transaction held across HTTP calls), so concurrent senders take disjoint rows; a sender that
// dies mid-delivery lets its lease lapse and another sends again: at least once, while the
// outbox row itself, written by the database with the booking's change, exists exactly once.
// Failures are rescheduled with backoff; after maxAttempts the row is marked failed and logged
// as an error, where operators see it.
import type { BookingStatus, ClassCode, NotificationEvent, Quota } from '@tatkal/drizzle/schema';
import type { Logger } from '@tatkal/waiting-room/service';
import { sql } from 'drizzle-orm';
import type { JobDeps } from '../deps.ts';
import { type BookingNotification, NotificationDeliveryFailed, type Notifier } from './notifier.ts';

export interface SendOptions {
  /** Rows claimed per round (default 50). */
  batch?: number;
  /** Deliveries in flight at once (default 8). */
  parallel?: number;
  /** How long a claim lasts; longer than one delivery with all its retries (default 120 s). */
  leaseMs?: number;
  /** Delivery attempts (each with the sender's own retries) before a row is given up (default 8). */
  maxAttempts?: number;
  /** Delay before the second attempt, doubling after (default 10 s, at most retryMaxMs). */
  retryBaseMs?: number;
  retryMaxMs?: number;
}

export interface SendResult {
  delivered: number;
  /** Failed this time, scheduled again. */
  deferred: number;
  /** Attempts exhausted: marked failed. */
  failed: number;
}

type ClaimedRow = {
  id: string;
  event: NotificationEvent;
  attempts: number;
  created_at: Date;
  booking_id: string;
  pnr: string;
  journey_id: number;
  class_code: ClassCode;
  quota: Quota;
  status: BookingStatus;
  subject: string;
  waitlist_number: number | null;
  expires_at: Date | null;
};

type SendDeps = Pick<JobDeps, 'db' | 'logger'> & { notifier: Notifier };

export async function sendDueNotifications(
  deps: SendDeps,
  options: SendOptions = {},
): Promise<SendResult> {
  const batch = options.batch ?? 50;
  const parallel = options.parallel ?? 8;
  const result: SendResult = { delivered: 0, deferred: 0, failed: 0 };
  for (;;) {
    const claimed = await claim(deps, batch, options.leaseMs ?? 120_000);
    for (let i = 0; i < claimed.length; i += parallel) {
      const outcomes = await Promise.all(
        claimed.slice(i, i + parallel).map((row) => deliver(deps, row, options)),
      );
      for (const outcome of outcomes) result[outcome] += 1;
    }
    if (claimed.length < batch) return result;
  }
}

async function claim(deps: SendDeps, batch: number, leaseMs: number): Promise<ClaimedRow[]> {
  const claimed = await deps.db.db.execute<ClaimedRow>(sql`
    with due as (
      select id from notifications
       where delivered_at is null and failed_at is null and next_attempt_at <= now()
         and (claimed_until is null or claimed_until <= now())
       order by next_attempt_at, id
       limit ${batch}
         for update skip locked)
    update notifications n
       set claimed_until = now() + make_interval(secs => ${leaseMs / 1000}),
           attempts = n.attempts + 1
      from due, bookings b
     where n.id = due.id and b.id = n.booking_id
    returning n.id, n.event, n.attempts, n.created_at, b.id as booking_id, b.pnr, b.journey_id,
              b.class_code, b.quota, b.status, b.subject, b.waitlist_number, b.expires_at`);
  return claimed.rows.sort((a, b) => Number(a.id) - Number(b.id));
}

function toNotification(row: ClaimedRow): BookingNotification {
  const iso = (value: Date | string | null) =>
    value === null ? null : new Date(value).toISOString();
  return {
    id: Number(row.id),
    event: row.event,
    occurredAt: iso(row.created_at) ?? '',
    booking: {
      id: Number(row.booking_id),
      pnr: row.pnr,
      journeyId: row.journey_id,
      classCode: row.class_code,
      quota: row.quota,
      status: row.status,
      subject: row.subject,
      waitlistNumber: row.waitlist_number,
      expiresAt: iso(row.expires_at),
    },
  };
}

async function deliver(
  deps: SendDeps,
  row: ClaimedRow,
  options: SendOptions,
): Promise<keyof SendResult> {
  const notification = toNotification(row);
  try {
    await deps.notifier.send(notification);
  } catch (error) {
    return recordFailure(deps, row, error, options);
  }
  // Only our claim's row: if the lease lapsed and another sender delivered too, the first mark wins.
  await deps.db.db.execute(sql`
    update notifications set delivered_at = now(), claimed_until = null, last_error = null
     where id = ${row.id} and delivered_at is null and failed_at is null`);
  return 'delivered';
}

async function recordFailure(
  deps: SendDeps,
  row: ClaimedRow,
  error: unknown,
  options: SendOptions,
): Promise<keyof SendResult> {
  const maxAttempts = options.maxAttempts ?? 8;
  const message = (error instanceof Error ? error.message : String(error)).slice(0, 1_000);
  const givenUp = row.attempts >= maxAttempts;
  const delayMs = Math.min(
    options.retryMaxMs ?? 600_000,
    (options.retryBaseMs ?? 10_000) * 2 ** (row.attempts - 1),
  );
  await deps.db.db.execute(sql`
    update notifications
       set claimed_until = null, last_error = ${message},
           failed_at = ${givenUp ? sql`now()` : sql`null`},
           next_attempt_at = now() + make_interval(secs => ${delayMs / 1000})
     where id = ${row.id} and delivered_at is null and failed_at is null`);
  logFailure(deps.logger, row, error, givenUp);
  return givenUp ? 'failed' : 'deferred';
}

function logFailure(logger: Logger, row: ClaimedRow, error: unknown, givenUp: boolean): void {
  const fields = {
    err: error,
    notificationId: Number(row.id),
    event: row.event,
    pnr: row.pnr,
    journeyId: row.journey_id,
    attempts: row.attempts,
    permanent: error instanceof NotificationDeliveryFailed ? error.permanent : false,
  };
  if (givenUp) logger.error(fields, 'booking notification given up');
  else logger.warn(fields, 'booking notification failed; will retry');
}
