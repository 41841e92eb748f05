// A PNR: one booking of up to six passengers (four under Tatkal) on one
// journey, class and quota. Money is integer paise.
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
import { journeys } from './journeys.ts';
import { rooms } from './rooms.ts';
import { classCodes, isOneOf, quotas } from './vocabulary.ts';

export const bookingStatuses = [
  'PENDING_PAYMENT',
  'CONFIRMED',
  'WAITLISTED',
  'CANCELLED',
  'EXPIRED',
  'REFUND_PENDING',
] as const;
export type BookingStatus = (typeof bookingStatuses)[number];

export const bookings = pgTable(
  'bookings',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    pnr: text('pnr').notNull(),
    journeyId: integer('journey_id')
      .notNull()
      .references(() => journeys.id),
    // The waiting room that admitted the booker; null for bookings made outside a sale.
    roomId: text('room_id').references(() => rooms.id),
    // The admission token's `sub`: idempotency keys and per-subject limits hang off it.
    subject: text('subject').notNull(),
    classCode: text('class_code', { enum: classCodes }).notNull(),
    quota: text('quota', { enum: quotas }).notNull(),
    status: text('status', { enum: bookingStatuses }).notNull(),
    baseFarePaise: integer('base_fare_paise').notNull(),
    tatkalChargePaise: integer('tatkal_charge_paise').notNull().default(0),
    premiumSurchargePaise: integer('premium_surcharge_paise').notNull().default(0),
    totalPaise: integer('total_paise').notNull(),
    // Issued once at booking time and kept after promotion, as a ticket prints
    // "WL 12 / CNF"; promotion takes WAITLISTED rows in this order.
    waitlistNumber: integer('waitlist_number'),
    tokenJti: text('token_jti'),
    holdId: text('hold_id'),
    // When an unpaid booking gives its seats back.
    expiresAt: timestamp('expires_at', { withTimezone: true }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true })
      .notNull()
      .defaultNow()
      .$onUpdate(() => new Date()),
    confirmedAt: timestamp('confirmed_at', { withTimezone: true }),
    cancelledAt: timestamp('cancelled_at', { withTimezone: true }),
  },
  (t) => [
    unique('bookings_pnr_uniq').on(t.pnr),
    // A hold is turned into at most one booking, however often the request is retried.
    unique('bookings_hold_id_uniq').on(t.holdId),
    unique('bookings_waitlist_number_uniq').on(t.journeyId, t.classCode, t.quota, t.waitlistNumber),
    // Target of seat_assignments' composite key: assigned seats are on the booking's journey.
    unique('bookings_id_journey_uniq').on(t.id, t.journeyId),
    index('bookings_status_expires_at_idx').on(t.status, t.expiresAt),
    index('bookings_subject_created_at_idx').on(t.subject, t.createdAt),
    check('bookings_pnr_check', sql`${t.pnr} ~ '^[0-9]{10}$'`),
    check('bookings_subject_check', sql`char_length(${t.subject}) between 1 and 200`),
    check('bookings_class_code_check', isOneOf(t.classCode, classCodes)),
    check('bookings_quota_check', isOneOf(t.quota, quotas)),
    check('bookings_status_check', isOneOf(t.status, bookingStatuses)),
    check(
      'bookings_amounts_non_negative_check',
      sql`${t.baseFarePaise} >= 0 and ${t.tatkalChargePaise} >= 0 and ${t.premiumSurchargePaise} >= 0`,
    ),
    check(
      'bookings_total_check',
      sql`${t.totalPaise} = ${t.baseFarePaise} + ${t.tatkalChargePaise} + ${t.premiumSurchargePaise}`,
    ),
    check(
      'bookings_tatkal_charge_quota_check',
      sql`${t.quota} in ('TQ', 'PT') or ${t.tatkalChargePaise} = 0`,
    ),
    check(
      'bookings_premium_surcharge_quota_check',
      sql`${t.quota} = 'PT' or ${t.premiumSurchargePaise} = 0`,
    ),
    // Premium Tatkal has no waitlist.
    check(
      'bookings_waitlist_number_check',
      sql`${t.waitlistNumber} is null or (${t.waitlistNumber} > 0 and ${t.quota} <> 'PT')`,
    ),
    check(
      'bookings_waitlisted_has_number_check',
      sql`${t.status} <> 'WAITLISTED' or ${t.waitlistNumber} is not null`,
    ),
    check(
      'bookings_pending_expires_check',
      sql`${t.status} <> 'PENDING_PAYMENT' or ${t.expiresAt} is not null`,
    ),
    check(
      'bookings_confirmed_at_check',
      sql`${t.status} <> 'CONFIRMED' or ${t.confirmedAt} is not null`,
    ),
    check(
      'bookings_cancelled_at_check',
      sql`${t.status} <> 'CANCELLED' or ${t.cancelledAt} is not null`,
    ),
  ],
);

export type Booking = typeof bookings.$inferSelect;
export type NewBooking = typeof bookings.$inferInsert;
