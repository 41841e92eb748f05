// One attempt to pay for a booking at a provider; the webhook event that
// settled it is kept verbatim for disputes.
import { sql } from 'drizzle-orm';
import {
  bigint,
  check,
  index,
  integer,
  jsonb,
  pgTable,
  text,
  timestamp,
  unique,
} from 'drizzle-orm/pg-core';
import { bookings } from './bookings.ts';
import { isOneOf } from './vocabulary.ts';

export const paymentStatuses = ['INITIATED', 'SUCCEEDED', 'FAILED', 'REFUND_REQUIRED'] as const;
export type PaymentStatus = (typeof paymentStatuses)[number];

export const payments = pgTable(
  'payments',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    bookingId: bigint('booking_id', { mode: 'number' })
      .notNull()
      .references(() => bookings.id),
    // 'simulator' for the demo and load tests.
    provider: text('provider').notNull(),
    providerRef: text('provider_ref').notNull(),
    amountPaise: integer('amount_paise').notNull(),
    status: text('status', { enum: paymentStatuses }).notNull().default('INITIATED'),
    event: jsonb('event'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true })
      .notNull()
      .defaultNow()
      .$onUpdate(() => new Date()),
  },
  (t) => [
    // Providers redeliver webhooks; the reference makes a redelivery find the same row.
    unique('payments_provider_ref_uniq').on(t.provider, t.providerRef),
    index('payments_booking_idx').on(t.bookingId),
    check('payments_provider_check', sql`${t.provider} ~ '^[a-z][a-z0-9_-]{1,31}$'`),
    check('payments_provider_ref_check', sql`char_length(${t.providerRef}) between 1 and 128`),
    check('payments_amount_paise_check', sql`${t.amountPaise} > 0`),
    check('payments_status_check', isOneOf(t.status, paymentStatuses)),
  ],
);

export type Payment = typeof payments.$inferSelect;
export type NewPayment = typeof payments.$inferInsert;
