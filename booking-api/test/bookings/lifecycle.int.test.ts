// Reading and cancelling a PNR, and the expiry job's single and batch forms.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  auditBookings,
  cancelBooking,
  confirmPayment,
  createBooking,
  expireBooking,
  expireUnpaidBookings,
  getBooking,
} from '../../src/bookings/index.ts';
import { bookingRequest, fingerprint, openSale, passengers, type Sale } from './support.ts';

let sale: Sale;
let tq: number[];
let gn: number[];
beforeAll(async () => {
  sale = await openSale();
  tq = await sale.seatIds('3A', 'TQ');
  gn = await sale.seatIds('3A', 'GN');
});
afterAll(() => sale.close());

const paid = async (request: ReturnType<typeof bookingRequest>) => {
  const booking = await createBooking(sale.deps, request);
  await confirmPayment(sale.deps, {
    bookingId: booking.bookingId,
    paymentRef: `ref-${booking.pnr}`,
    amountPaise: booking.amount.totalPaise,
    nowMs: sale.nowMs,
  });
  return booking;
};

describe('getBooking', () => {
  it('returns passengers, seats by berth preference and the fare breakdown', async () => {
    // tq[0..2] are berths 17, 18, 19 of the first three-tier coach: LB, MB, UB.
    const request = bookingRequest(sale, [tq[0] ?? 0, tq[1] ?? 0, tq[2] ?? 0], {
      passengers: [
        { name: 'Asha', age: 64, gender: 'F', berthPreference: 'UB' },
        { name: 'Ravi', age: 35, gender: 'M', berthPreference: 'LB' },
        { name: 'Meera', age: 9, gender: 'F', berthPreference: null },
      ],
    });
    const booking = await createBooking(sale.deps, request);
    const view = await getBooking(sale.deps, { pnr: booking.pnr, subject: request.subject });
    expect(view).toMatchObject({
      pnr: booking.pnr,
      status: 'PENDING_PAYMENT',
      classCode: '3A',
      quota: 'TQ',
      amount: { baseFarePaise: 504_000, tatkalChargePaise: 120_000, totalPaise: 624_000 },
      passengers: [{ name: 'Asha', ordinal: 1 }, { name: 'Ravi' }, { name: 'Meera' }],
    });
    expect(
      view.seats.map((s) => [s.passengerOrdinal, s.berthNumber, s.berthType, s.status]),
    ).toEqual([
      [1, 19, 'UB', 'PENDING'],
      [2, 17, 'LB', 'PENDING'],
      [3, 18, 'MB', 'PENDING'],
    ]);
    expect(new Set(view.seats.map((s) => s.coach)).size).toBe(1);
    expect(view.seats[0]?.coach).toMatch(/^B[1-4]$/);
    expect(booking.seats).toEqual(view.seats.map(({ status: _s, ...seat }) => seat));
  });

  it('refuses another subject and an unknown PNR', async () => {
    const booking = await createBooking(sale.deps, bookingRequest(sale, [tq[3] ?? 0]));
    await expect(
      getBooking(sale.deps, { pnr: booking.pnr, subject: 'someone-else' }),
    ).rejects.toMatchObject({
      code: 'not_your_booking',
      status: 403,
    });
    await expect(getBooking(sale.deps, { pnr: '1000000001', subject: 'x' })).rejects.toMatchObject({
      code: 'booking_not_found',
    });
    await expect(getBooking(sale.deps, { pnr: '12345', subject: 'x' })).rejects.toMatchObject({
      code: 'invalid_input',
    });
  });
});

describe('cancelBooking', () => {
  it('releases a confirmed Tatkal booking without a refund, once', async () => {
    const request = bookingRequest(sale, [tq[4] ?? 0, tq[5] ?? 0]);
    const booking = await paid(request);
    const cancelled = await cancelBooking(sale.deps, {
      pnr: booking.pnr,
      subject: request.subject,
      nowMs: sale.nowMs,
    });
    expect(cancelled).toMatchObject({ refundable: false, alreadyCancelled: false });
    expect(cancelled.seatIds).toEqual([tq[4], tq[5]]);
    const before = await fingerprint(sale);
    expect(
      await cancelBooking(sale.deps, {
        pnr: booking.pnr,
        subject: request.subject,
        nowMs: sale.nowMs,
      }),
    ).toMatchObject({ alreadyCancelled: true, seatIds: [] });
    expect(await fingerprint(sale)).toEqual(before);
    // The seats are for sale again.
    await expect(
      createBooking(sale.deps, bookingRequest(sale, [tq[5] ?? 0, tq[4] ?? 0])),
    ).resolves.toMatchObject({
      status: 'PENDING_PAYMENT',
    });
  });

  it('refunds a confirmed general-quota booking', async () => {
    const request = bookingRequest(sale, [gn[0] ?? 0], { quota: 'GN', roomId: null });
    const booking = await paid(request);
    expect(
      await cancelBooking(sale.deps, {
        pnr: booking.pnr,
        subject: request.subject,
        nowMs: sale.nowMs,
      }),
    ).toMatchObject({ refundable: true });
    const rows = await sale.client.pool.query('select status from payments where booking_id = $1', [
      booking.bookingId,
    ]);
    expect(rows.rows).toEqual([{ status: 'REFUND_REQUIRED' }]);
  });

  it('lets only the booking subject cancel, and not an expired booking', async () => {
    const request = bookingRequest(sale, [tq[6] ?? 0]);
    const booking = await createBooking(sale.deps, request);
    const before = await fingerprint(sale);
    await expect(
      cancelBooking(sale.deps, { pnr: booking.pnr, subject: 'intruder', nowMs: sale.nowMs }),
    ).rejects.toMatchObject({ code: 'not_your_booking', status: 403 });
    expect(await fingerprint(sale)).toEqual(before);
    await expireBooking(sale.deps, booking.bookingId, sale.nowMs + 300_000);
    await expect(
      cancelBooking(sale.deps, { pnr: booking.pnr, subject: request.subject, nowMs: sale.nowMs }),
    ).rejects.toMatchObject({ code: 'booking_state_conflict' });
  });
});

describe('expiry', () => {
  it('expireBooking waits for the deadline and is idempotent', async () => {
    const booking = await createBooking(sale.deps, bookingRequest(sale, [tq[7] ?? 0, tq[8] ?? 0]));
    const deadline = booking.expiresAt?.getTime() ?? 0;
    expect(await expireBooking(sale.deps, booking.bookingId, deadline - 1)).toEqual({
      expired: false,
      reason: 'not_due',
    });
    expect(await expireBooking(sale.deps, booking.bookingId, deadline)).toMatchObject({
      expired: true,
      booking: { bookingId: booking.bookingId, seatIds: [tq[7], tq[8]] },
    });
    expect(await expireBooking(sale.deps, booking.bookingId, deadline)).toEqual({
      expired: false,
      reason: 'not_pending',
    });
    expect(await expireBooking(sale.deps, 987_654_321, deadline)).toEqual({
      expired: false,
      reason: 'not_found',
    });
  });

  it('expireUnpaidBookings takes due bookings in batches and leaves paid and future ones', async () => {
    const due = [];
    for (let i = 0; i < 5; i++) {
      due.push(
        await createBooking(
          sale.deps,
          bookingRequest(sale, [tq[10 + i] ?? 0], { nowMs: sale.nowMs, paymentWindowMs: 60_000 }),
        ),
      );
    }
    const later = await createBooking(
      sale.deps,
      bookingRequest(sale, [tq[20] ?? 0], {
        paymentWindowMs: 3_600_000,
        passengers: passengers(1),
      }),
    );
    const settled = await paid(bookingRequest(sale, [tq[21] ?? 0], { paymentWindowMs: 60_000 }));
    const at = sale.nowMs + 120_000;
    const first = await expireUnpaidBookings(sale.deps, { nowMs: at, limit: 3 });
    const second = await expireUnpaidBookings(sale.deps, { nowMs: at, limit: 3 });
    const third = await expireUnpaidBookings(sale.deps, { nowMs: at, limit: 3 });
    expect(first).toHaveLength(3);
    const expiredIds = [...first, ...second, ...third].map((b) => b.bookingId);
    // The five due ones expired across the batches; the later and the paid ones did not.
    for (const booking of due) expect(expiredIds).toContain(booking.bookingId);
    expect(expiredIds).not.toContain(later.bookingId);
    expect(expiredIds).not.toContain(settled.bookingId);
    expect(third).toEqual([]);
    expect(await expireUnpaidBookings(sale.deps, { nowMs: at, limit: 3 })).toEqual([]);
    expect(await auditBookings(sale.client.db, sale.journeyId)).toEqual([]);
  });
});
