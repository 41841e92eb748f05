// Tatkal waitlist: numbers drawn in order under concurrency, promotion in
// number order when seats come back, and concurrent promoters that promote
// each booking exactly once.
import { bookings } from '@tatkal/drizzle';
import { and, asc, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  auditBookings,
  type BookingCommit,
  cancelBooking,
  confirmPayment,
  createBooking,
  joinWaitlist,
  type PromotionResult,
  promoteWaitlist,
  type WaitlistEntry,
} from '../../src/bookings/index.ts';
import { pgErrorOf } from '../../src/domain/index.ts';
import { bookingRequest, fingerprint, openSale, passengers, pause, type Sale } from './support.ts';

let sale: Sale;
const sold: Array<{ booking: BookingCommit; subject: string }> = [];
const entries = new Map<number, { entry: WaitlistEntry; subject: string; party: number }>();
// Party sizes by waitlist number, chosen so order matters: a party of three at
// number 3 blocks a party of one at number 4.
const parties = [2, 1, 3, 1, 2, 2, 1, 3, 1, 2];
const window = 600_000;

const join = (subject: string, party: number, classCode: '2A' | '3A' | 'SL' = '2A', testing = {}) =>
  joinWaitlist(
    sale.deps,
    {
      journeyId: sale.journeyId,
      roomId: sale.roomId,
      subject,
      tokenJti: null,
      classCode,
      quota: 'TQ',
      passengers: passengers(party),
      nowMs: sale.nowMs,
    },
    testing,
  );
const promote = (classCode: '2A' | 'SL', testing = {}) =>
  promoteWaitlist(
    sale.deps,
    {
      journeyId: sale.journeyId,
      classCode,
      quota: 'TQ',
      nowMs: sale.nowMs + 1,
      paymentWindowMs: window,
    },
    testing,
  );
const waitlisted = async (classCode: '2A' | 'SL') =>
  sale.client.db
    .select({ id: bookings.id, number: bookings.waitlistNumber })
    .from(bookings)
    .where(
      and(
        eq(bookings.journeyId, sale.journeyId),
        eq(bookings.classCode, classCode),
        eq(bookings.status, 'WAITLISTED'),
      ),
    )
    .orderBy(asc(bookings.waitlistNumber));
const freeSeats = async (classCode: string) => {
  const result = await sale.client.pool.query<{ free: number }>(
    `select count(*)::int as free from seats s
      where s.journey_id = $1 and s.class_code = $2 and s.quota = 'TQ'
        and not exists (select 1 from seat_assignments a where a.seat_id = s.id
                          and a.status in ('PENDING', 'CONFIRMED'))`,
    [sale.journeyId, classCode],
  );
  return result.rows[0]?.free ?? -1;
};
/** The waitlist numbers a strict-order promotion of `free` seats should take. */
const expectedPromotion = async (free: number) => {
  const numbers: number[] = [];
  for (const row of await waitlisted('2A')) {
    const party = entries.get(row.number ?? 0)?.party ?? 99;
    if (party > free) break;
    free -= party;
    numbers.push(row.number ?? 0);
  }
  return numbers;
};

beforeAll(async () => {
  sale = await openSale({ poolMax: 20 });
  // Sell every 2A Tatkal berth: six confirmed parties of four.
  const tq = await sale.seatIds('2A', 'TQ');
  expect(tq).toHaveLength(24);
  for (let i = 0; i < 6; i++) {
    const request = bookingRequest(sale, tq.slice(i * 4, i * 4 + 4), { classCode: '2A' });
    const booking = await createBooking(sale.deps, request);
    await confirmPayment(sale.deps, {
      bookingId: booking.bookingId,
      paymentRef: `full-${i}`,
      amountPaise: booking.amount.totalPaise,
      nowMs: sale.nowMs,
    });
    sold.push({ booking, subject: request.subject });
  }
  // The 2A waitlist, joined one by one so each number's party size is known.
  for (let i = 0; i < 12; i++) {
    const subject = `wl-2a-${i}`;
    const party = parties[i % parties.length] ?? 1;
    const entry = await join(subject, party);
    expect(entry.waitlistNumber).toBe(i + 1);
    entries.set(entry.waitlistNumber, { entry, subject, party });
  }
});
afterAll(() => sale.close());

describe('joinWaitlist', () => {
  it('draws numbers 1..n without gaps or repeats when 30 join at once', async () => {
    const results = await Promise.all(
      Array.from({ length: 30 }, (_, i) => join(`wl-3a-${i}`, 1 + (i % 3), '3A')),
    );
    const numbers = results.map((entry) => entry.waitlistNumber).sort((a, b) => a - b);
    expect(numbers).toEqual(Array.from({ length: 30 }, (_, i) => i + 1));
    expect(results.every((entry) => entry.status === 'WAITLISTED')).toBe(true);
  });

  it('negative control: without the queue lock, concurrent joins draw the same number', async () => {
    const results = await Promise.allSettled(
      Array.from({ length: 10 }, (_, i) =>
        join(`wl-naive-${i}`, 1, 'SL', { lockQueue: false, afterNumberDrawn: pause(20) }),
      ),
    );
    const clashes = results.filter(
      (r) =>
        r.status === 'rejected' &&
        pgErrorOf(r.reason)?.constraint === 'bookings_waitlist_number_uniq',
    );
    expect(clashes.length).toBeGreaterThan(0);
  });

  it.each(['PT', 'GN'] as const)('refuses a %s waitlist and changes nothing', async (quota) => {
    const before = await fingerprint(sale);
    await expect(
      joinWaitlist(sale.deps, {
        journeyId: sale.journeyId,
        roomId: null,
        subject: 'wl-refused',
        tokenJti: null,
        classCode: '2A',
        quota,
        passengers: passengers(1),
        nowMs: sale.nowMs,
      }),
    ).rejects.toMatchObject({ code: 'waitlist_not_offered', status: 422 });
    expect(await fingerprint(sale)).toEqual(before);
  });

  it('refuses payment for a booking still on the waitlist', async () => {
    const entry = entries.get(12)?.entry;
    await expect(
      confirmPayment(sale.deps, {
        bookingId: entry?.bookingId ?? 0,
        paymentRef: 'wl-early',
        amountPaise: entry?.amount.totalPaise ?? 1,
        nowMs: sale.nowMs,
      }),
    ).rejects.toMatchObject({ code: 'booking_state_conflict' });
  });
});

describe('promoteWaitlist', () => {
  it('promotes nobody while the class is full', async () => {
    const before = await fingerprint(sale);
    expect(await promote('2A')).toEqual({ promoted: [], seatIds: [] });
    expect(await fingerprint(sale)).toEqual(before);
  });

  it('promotes in number order when seats come back, and never lets a smaller party overtake', async () => {
    const [first] = sold;
    const cancelled = await cancelBooking(sale.deps, {
      pnr: first?.booking.pnr ?? '',
      subject: first?.subject ?? '',
      nowMs: sale.nowMs,
    });
    expect(cancelled).toMatchObject({ refundable: false });
    expect(cancelled.seatIds).toHaveLength(4);
    const result = await promote('2A');
    // Parties of 2 and 1 fit in 4 seats; number 3 (a party of 3) does not.
    expect(result.promoted.map((b) => b.waitlistNumber)).toEqual([1, 2]);
    expect(result.seatIds.every((id) => cancelled.seatIds.includes(id))).toBe(true);
    for (const booking of result.promoted) {
      expect(booking.expiresAt.getTime()).toBe(sale.nowMs + 1 + window);
      expect(booking.seats).toHaveLength(entries.get(booking.waitlistNumber)?.party ?? -1);
    }
    // One seat is left: too few for number 3, enough for number 4 (a party of
    // one), which must not overtake.
    expect(await freeSeats('2A')).toBe(1);
    expect(entries.get(3)?.party).toBe(3);
    expect(entries.get(4)?.party).toBe(1);
    expect(await promote('2A')).toEqual({ promoted: [], seatIds: [] });
    expect(await auditBookings(sale.client.db, sale.journeyId)).toEqual([]);
  });

  it('promotes each booking once when eight promoters run at once', async () => {
    // A waitlisted PNR cancelled meanwhile (number 5) is skipped.
    const gone = entries.get(5);
    await cancelBooking(sale.deps, {
      pnr: gone?.entry.pnr ?? '',
      subject: gone?.subject ?? '',
      nowMs: sale.nowMs,
    });
    for (const { booking, subject } of sold.slice(1, 4)) {
      await cancelBooking(sale.deps, { pnr: booking.pnr, subject, nowMs: sale.nowMs });
    }
    // 13 free seats: parties 3, 1, (5 cancelled), 2, 1, 3, 1, 2 fill them exactly.
    expect(await freeSeats('2A')).toBe(13);
    const expected = [3, 4, 6, 7, 8, 9, 10];
    expect(await expectedPromotion(13)).toEqual(expected);
    const results = await Promise.all(Array.from({ length: 8 }, () => promote('2A')));
    const promoted = results.flatMap((r) => r.promoted);
    expect(promoted.map((b) => b.waitlistNumber)).toEqual(expected);
    expect(results.filter((r) => r.promoted.length > 0)).toHaveLength(1);
    const seatIds = results.flatMap((r) => r.seatIds);
    expect(new Set(seatIds).size).toBe(seatIds.length);
    expect(await auditBookings(sale.client.db, sale.journeyId)).toEqual([]);
  });

  it('negative control: naive promoters without locks collide or double-promote', async () => {
    for (let i = 0; i < 6; i++) await join(`wl-sl-${i}`, 2, 'SL');
    const results = await Promise.allSettled(
      Array.from({ length: 8 }, () => promote('SL', { lockRows: false })),
    );
    const collisions = results.filter(
      (r) => r.status === 'rejected' && pgErrorOf(r.reason)?.code === '23505',
    ).length;
    const promotions = results
      .flatMap((r) =>
        r.status === 'fulfilled'
          ? (r as PromiseFulfilledResult<PromotionResult>).value.promoted
          : [],
      )
      .map((b) => b.bookingId);
    const doubled = promotions.length - new Set(promotions).size;
    const violations = await auditBookings(sale.client.db, sale.journeyId);
    expect(collisions + doubled + violations.length).toBeGreaterThan(0);
  });
});
