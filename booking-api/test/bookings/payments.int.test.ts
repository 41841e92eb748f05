// The payment webhook's verb: idempotent per provider reference, late payments
// after expiry, refunds, and payments racing the expiry job.
import { payments, seatAssignments } from '@tatkal/drizzle';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  auditBookings,
  type BookingCommit,
  confirmPayment,
  createBooking,
  expireBooking,
  expireUnpaidBookings,
  getBooking,
} from '../../src/bookings/index.ts';
import { bookingRequest, fingerprint, openSale, pause, type Sale, tally } from './support.ts';

let sale: Sale;
let seats: number[];
const take = (n: number) => seats.splice(0, n);

beforeAll(async () => {
  sale = await openSale({ poolMax: 20 });
  seats = await sale.seatIds('SL', 'TQ');
});
afterAll(() => sale.close());

const window = 300_000;
const book = (seatIds: number[], nowMs = sale.nowMs) =>
  createBooking(sale.deps, bookingRequest(sale, seatIds, { classCode: 'SL', nowMs }));
const pay = (booking: BookingCommit, ref: string, nowMs: number, amount?: number) =>
  confirmPayment(sale.deps, {
    bookingId: booking.bookingId,
    paymentRef: ref,
    amountPaise: amount ?? booking.amount.totalPaise,
    nowMs,
  });
const assignmentStatuses = async (bookingId: number) =>
  (
    await sale.client.db
      .select({ status: seatAssignments.status })
      .from(seatAssignments)
      .where(eq(seatAssignments.bookingId, bookingId))
      .orderBy(seatAssignments.id)
  ).map((row) => row.status);

describe('confirmPayment', () => {
  it('confirms once; a redelivery of the same reference changes nothing', async () => {
    const booking = await book(take(2));
    const first = await pay(booking, 'ref-once', sale.nowMs + 1_000);
    expect(first).toMatchObject({ status: 'CONFIRMED', needsRefund: false, duplicate: false });
    const before = await fingerprint(sale);
    const again = await confirmPayment(sale.deps, {
      pnr: booking.pnr,
      paymentRef: 'ref-once',
      amountPaise: booking.amount.totalPaise,
      nowMs: sale.nowMs + 2_000,
    });
    expect(again).toEqual({ ...first, duplicate: true });
    expect(await fingerprint(sale)).toEqual(before);
    expect(await assignmentStatuses(booking.bookingId)).toEqual(['CONFIRMED', 'CONFIRMED']);
    const view = await getBooking(sale.deps, {
      pnr: booking.pnr,
      subject: await subjectOf(booking),
    });
    expect(view.confirmedAt?.getTime()).toBe(sale.nowMs + 1_000);
    expect(await auditBookings(sale.client.db, sale.journeyId)).toEqual([]);
  });

  it('takes the seats back for a payment that arrives after expiry, when they are free', async () => {
    const booking = await book(take(2));
    const late = sale.nowMs + window + 1;
    const expired = await expireBooking(sale.deps, booking.bookingId, late);
    expect(expired).toMatchObject({ expired: true });
    const outcome = await pay(booking, 'ref-late-free', late + 5_000);
    expect(outcome).toMatchObject({
      status: 'CONFIRMED',
      seatsReacquired: true,
      needsRefund: false,
      reacquiredSeatIds: booking.seats.map((s) => s.seatId).sort((a, b) => a - b),
    });
    expect(await assignmentStatuses(booking.bookingId)).toEqual([
      'EXPIRED',
      'EXPIRED',
      'CONFIRMED',
      'CONFIRMED',
    ]);
    // A redelivery reports the same outcome.
    expect(await pay(booking, 'ref-late-free', late + 9_000)).toEqual({
      ...outcome,
      reacquiredSeatIds: [],
      duplicate: true,
    });
    expect(await auditBookings(sale.client.db, sale.journeyId)).toEqual([]);
  });

  it('refunds a late payment whose seats were sold again meanwhile', async () => {
    const seatIds = take(2);
    const first = await book(seatIds);
    const late = sale.nowMs + window + 1;
    await expireUnpaidBookings(sale.deps, { nowMs: late, limit: 100 });
    const second = await book([...seatIds].reverse(), late);
    const outcome = await pay(first, 'ref-late-sold', late + 1_000);
    expect(outcome).toMatchObject({
      status: 'REFUND_PENDING',
      seatsReacquired: false,
      needsRefund: true,
      reacquiredSeatIds: [],
    });
    const [payment] = await sale.client.db
      .select({ status: payments.status })
      .from(payments)
      .where(eq(payments.providerRef, 'ref-late-sold'));
    expect(payment?.status).toBe('REFUND_REQUIRED');
    expect(await assignmentStatuses(second.bookingId)).toEqual(['PENDING', 'PENDING']);
    expect(await auditBookings(sale.client.db, sale.journeyId)).toEqual([]);
  });

  it.each([
    ['one paisa short', -1],
    ['one paisa over', 1],
  ])('refuses a payment %s and changes nothing', async (_case, delta) => {
    const booking = await book(take(1));
    const before = await fingerprint(sale);
    await expect(
      pay(booking, `ref-wrong-${delta}`, sale.nowMs, booking.amount.totalPaise + delta),
    ).rejects.toMatchObject({ code: 'payment_amount_mismatch', status: 422 });
    expect(await fingerprint(sale)).toEqual(before);
  });

  it('keeps a second payment under another reference for refund', async () => {
    const booking = await book(take(1));
    await pay(booking, 'ref-double-1', sale.nowMs);
    expect(await pay(booking, 'ref-double-2', sale.nowMs)).toMatchObject({
      status: 'CONFIRMED',
      needsRefund: true,
    });
    expect(await auditBookings(sale.client.db, sale.journeyId)).toEqual([]);
  });

  it('refuses a reference that already paid for another booking', async () => {
    const [a, b] = [await book(take(1)), await book(take(1))];
    await pay(a, 'ref-shared', sale.nowMs);
    const before = await fingerprint(sale);
    await expect(pay(b, 'ref-shared', sale.nowMs)).rejects.toMatchObject({
      code: 'payment_ref_reused',
    });
    expect(await fingerprint(sale)).toEqual(before);
  });

  it('refuses an unknown booking', async () => {
    await expect(
      confirmPayment(sale.deps, {
        pnr: '1000000000',
        paymentRef: 'ref-nobody',
        amountPaise: 100,
        nowMs: sale.nowMs,
      }),
    ).rejects.toMatchObject({ code: 'booking_not_found', status: 404 });
  });
});

describe('payments racing the expiry job', () => {
  // Every payment lands after its booking's expiry; the expiry job and the
  // payment both want the booking. Whichever wins, the books must balance.
  const race = async (count: number, lockBooking: boolean) => {
    const booked = [];
    for (let i = 0; i < count; i++) booked.push(await book(take(1 + (i % 2))));
    const late = sale.nowMs + window + 1;
    const widen = { afterBookingRead: pause(15), lockBooking };
    const results = await Promise.allSettled(
      booked.flatMap((booking, i) => [
        confirmPayment(
          sale.deps,
          {
            bookingId: booking.bookingId,
            paymentRef: `race-${lockBooking}-${i}`,
            amountPaise: booking.amount.totalPaise,
            nowMs: late,
          },
          widen,
        ),
        expireBooking(sale.deps, booking.bookingId, late),
        expireUnpaidBookings(sale.deps, { nowMs: late, limit: 3 }),
      ]),
    );
    return { booked, results };
  };

  it('ends every booking confirmed with its own seats, whichever side wins', async () => {
    const { booked, results } = await race(30, true);
    expect(tally(results).otherErrors).toEqual([]);
    const outcomes = results
      .filter((_, i) => i % 3 === 0)
      .map((r) => (r.status === 'fulfilled' ? r.value : undefined));
    for (const outcome of outcomes) {
      expect(outcome).toMatchObject({ status: 'CONFIRMED', needsRefund: false });
    }
    for (const booking of booked) {
      const statuses = await assignmentStatuses(booking.bookingId);
      expect(statuses.filter((s) => s === 'CONFIRMED')).toHaveLength(booking.seats.length);
    }
    expect(await auditBookings(sale.client.db, sale.journeyId)).toEqual([]);
  });

  it('negative control: without the booking row lock the audit catches the lost update', async () => {
    const { results } = await race(20, false);
    expect(tally(results).otherErrors).toEqual([]);
    const violations = await auditBookings(sale.client.db, sale.journeyId);
    expect(violations.map((v) => v.kind)).toContain('confirmed_seats_mismatch');
  });
});

async function subjectOf(booking: BookingCommit): Promise<string> {
  const result = await sale.client.pool.query<{ subject: string }>(
    'select subject from bookings where id = $1',
    [booking.bookingId],
  );
  return result.rows[0]?.subject ?? '';
}
