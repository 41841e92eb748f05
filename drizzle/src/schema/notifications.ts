// Booking notifications (confirmed, expired, cancelled, promoted from the
// waitlist): an outbox. A trigger on bookings, added by the migration that
// creates this table, inserts one row per (booking, event) in the same
// transaction as the status change, so an event is recorded exactly once
// whichever service or SQL changed the booking, and no worker crash can lose
// it. The admission worker claims rows with a lease, delivers them at least
// once, and marks them delivered (or given up, with the last error).
import { sql } from 'drizzle-orm';
import {
  bigint,
  check,
  index,
  integer,
  pgTable,
  text,
  timestamp,
  unique,
} from 'drizzle-orm/pg-core';
import { bookings } from './bookings.ts';
import { isOneOf } from './vocabulary.ts';

export const notificationEvents = ['confirmed', 'expired', 'cancelled', 'promoted'] as const;
export type NotificationEvent = (typeof notificationEvents)[number];

export const notifications = pgTable(
  'notifications',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    bookingId: bigint('booking_id', { mode: 'number' })
      .notNull()
      .references(() => bookings.id, { onDelete: 'cascade' }),
    event: text('event', { enum: notificationEvents }).notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    // Delivery attempts started (each may retry inside the sender).
    attempts: integer('attempts').notNull().default(0),
    nextAttemptAt: timestamp('next_attempt_at', { withTimezone: true }).notNull().defaultNow(),
    // A sender owns the row until then; a sender that dies lets the lease lapse.
    claimedUntil: timestamp('claimed_until', { withTimezone: true }),
    deliveredAt: timestamp('delivered_at', { withTimezone: true }),
    // Set when the attempts ran out: the row stays for operators, never silently dropped.
    failedAt: timestamp('failed_at', { withTimezone: true }),
    lastError: text('last_error'),
  },
  (t) => [
    unique('notifications_booking_event_uniq').on(t.bookingId, t.event),
    index('notifications_due_idx')
      .on(t.nextAttemptAt, t.id)
      .where(sql`${t.deliveredAt} is null and ${t.failedAt} is null`),
    check('notifications_event_check', isOneOf(t.event, notificationEvents)),
    check('notifications_attempts_check', sql`${t.attempts} >= 0`),
    check(
      'notifications_settled_once_check',
      sql`${t.deliveredAt} is null or ${t.failedAt} is null`,
    ),
  ],
);

export type Notification = typeof notifications.$inferSelect;
