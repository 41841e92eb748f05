// Shared by the payment integration tests: a booking to pay for, events and
// their signed deliveries, and a fingerprint of every table a webhook may touch.
import { randomUUID } from 'node:crypto';
import { type Payment, payments } from '@tatkal/drizzle';
import { asc, eq } from 'drizzle-orm';
import { type BookingCommit, createBooking } from '../../src/bookings/index.ts';
import { type PaymentEvent, signWebhook } from '../../src/payments/index.ts';
import { bookingRequest, openSale, type Sale } from '../bookings/support.ts';

export { fingerprint, type Sale } from '../bookings/support.ts';

export const webhookSecret = 'whsec_test_current';

export interface PaymentSale extends Sale {
  /** A new PENDING_PAYMENT booking of one SL Tatkal berth, each on a seat of its own. */
  book(): Promise<BookingCommit>;
  paymentsOf(bookingId: number): Promise<Payment[]>;
}

export async function openPaymentSale(): Promise<PaymentSale> {
  const sale = await openSale({ poolMax: 20 });
  const free = await sale.seatIds('SL', 'TQ');
  return {
    ...sale,
    async book() {
      const seat = free.shift();
      if (seat === undefined) throw new Error('the demo sale ran out of SL Tatkal seats');
      return createBooking(sale.deps, bookingRequest(sale, [seat], { classCode: 'SL' }));
    },
    paymentsOf: (bookingId) =>
      sale.client.db
        .select()
        .from(payments)
        .where(eq(payments.bookingId, bookingId))
        .orderBy(asc(payments.id)),
  };
}

export function eventFor(
  booking: BookingCommit,
  overrides: Partial<PaymentEvent> = {},
): PaymentEvent {
  return {
    id: `evt_${randomUUID()}`,
    type: 'payment.succeeded',
    paymentRef: `sim_${randomUUID()}`,
    bookingId: booking.bookingId,
    pnr: booking.pnr,
    amountPaise: booking.amount.totalPaise,
    occurredAt: new Date().toISOString(),
    ...overrides,
  };
}

/** A delivery as the provider sends it: the raw body and its signature header. */
export function delivery(body: unknown, nowMs: number, secret = webhookSecret) {
  const rawBody = typeof body === 'string' ? body : JSON.stringify(body);
  return {
    rawBody,
    headers: { 'Tatkal-Signature': signWebhook(secret, rawBody, nowMs / 1000) },
  };
}
