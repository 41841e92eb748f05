// ACCEPTANCE-1 (PostgreSQL part) and ACCEPTANCE-2: hundreds of concurrent
// commits over a handful of seats, multi-seat requests in reversed orders,
// duplicate retries of one hold, payments racing the expiry job and new
// bookers. After every run the SQL audit must find nothing. The negative
// controls switch layers off (createBooking's test-only options) and show that
// each check here fails when its layer is missing.
import { seatAssignments } from '@tatkal/drizzle';
import { and, inArray } from 'drizzle-orm';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  auditBookings,
  type BookingCommit,
  type CreateBookingInput,
  type CreateBookingTesting,
  confirmPayment,
  createBooking,
  expireUnpaidBookings,
  getBooking,
} from '../../src/bookings/index.ts';
import { SeatUnavailable } from '../../src/domain/index.ts';
import {
  bookingRequest,
  openSale,
  pause,
  type Sale,
  seededRandom,
  shuffled,
  tally,
} from './support.ts';

const poolSize = 20;
const window = 300_000;
let sale: Sale;
let free: number[];
/** Each run gets seats of its own, so one run's leftovers cannot mask another's bug. */
const seatsFor = (n: number) => free.splice(0, n);

beforeAll(async () => {
  // Deadlocks are detected after deadlock_timeout (1 s by default); the control
  // that provokes them should not wait that long for each. New sessions only.
  const url = process.env.DATABASE_URL ?? '';
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  const name = decodeURIComponent(new URL(url).pathname.slice(1)).replaceAll('"', '""');
  await admin.query(`alter database "${name}" set deadlock_timeout = '100ms'`);
  await admin.end();
  sale = await openSale({ poolMax: poolSize });
  free = await sale.seatIds('SL', 'TQ');
});
afterAll(() => sale.close());

/**
 * `count` requests for 1 to 3 of `seats`, each listing its seats in a random
 * order (half of them descending), plus `retries` repeats of earlier requests
 * with the same hold, all in one shuffled burst. Seeded, so a failure replays.
 */
function contention(seats: number[], count: number, retries: number, seed: number) {
  const random = seededRandom(seed);
  const requests: CreateBookingInput[] = [];
  for (let i = 0; i < count; i++) {
    const picked = shuffled(seats, random).slice(0, 1 + Math.floor(random() * 3));
    const ordered = random() < 0.5 ? picked.sort((a, b) => b - a) : picked;
    requests.push(bookingRequest(sale, ordered, { classCode: 'SL' }));
  }
  for (let i = 0; i < retries; i++) {
    const original = requests[Math.floor(random() * count)];
    if (original) requests.push({ ...original });
  }
  return shuffled(requests, random);
}

async function commitAll(requests: CreateBookingInput[], testing: CreateBookingTesting) {
  const results = await Promise.allSettled(
    requests.map((request) => createBooking(sale.deps, request, testing)),
  );
  return { results, counts: tally(results) };
}

type Winner = BookingCommit & { subject: string };

/** Checks that hold whatever the interleaving, for one burst over `seats`. */
async function expectEachSeatSoldOnce(
  requests: CreateBookingInput[],
  results: PromiseSettledResult<BookingCommit>[],
  seats: number[],
) {
  // Every request for one hold ends the same way: one booking, or all refused.
  const byHold = new Map<string, Array<PromiseSettledResult<BookingCommit>>>();
  requests.forEach((request, i) => {
    const result = results[i];
    if (result) byHold.set(request.holdId, [...(byHold.get(request.holdId) ?? []), result]);
  });
  const bookings = new Map<number, Winner>();
  const subjects = new Map(requests.map((request) => [request.holdId, request.subject]));
  for (const [holdId, outcomes] of byHold) {
    const ids = outcomes.map((o) => (o.status === 'fulfilled' ? o.value.bookingId : 'refused'));
    expect(new Set(ids).size, `hold ${holdId}: ${ids.join(', ')}`).toBe(1);
    for (const o of outcomes) {
      if (o.status === 'fulfilled') {
        bookings.set(o.value.bookingId, { ...o.value, subject: subjects.get(holdId) ?? '' });
      }
    }
  }
  // Winners hold the seats they asked for, and no seat twice.
  const sold = [...bookings.values()].flatMap((b) => b.seats.map((s) => s.seatId));
  expect(new Set(sold).size).toBe(sold.length);
  const live = await sale.client.db
    .select({ seatId: seatAssignments.seatId })
    .from(seatAssignments)
    .where(
      and(
        inArray(seatAssignments.seatId, seats),
        inArray(seatAssignments.status, ['PENDING', 'CONFIRMED']),
      ),
    );
  expect(live.map((row) => row.seatId).sort()).toEqual([...sold].sort());
  expect(await auditBookings(sale.client.db, sale.journeyId)).toEqual([]);
  return [...bookings.values()];
}

describe('booking commit under contention', () => {
  it.each([1, 2, 3])(
    'round %i: 200 commits and 20 retries over 6 seats sell each seat once, without deadlocks',
    async (round) => {
      const seats = seatsFor(6);
      const requests = contention(seats, 200, 20, 1_000 + round);
      const { results, counts } = await commitAll(requests, { afterSeatCheck: pause(2) });
      expect(counts.otherErrors).toEqual([]);
      expect(counts.deadlocks).toBe(0);
      // Under the row locks the check decides; the index never has to.
      expect(counts.seatUnavailableByIndex).toBe(0);
      expect(counts.seatUnavailableByCheck).toBeGreaterThan(0);
      const winners = await expectEachSeatSoldOnce(requests, results, seats);
      expect(winners.length).toBeGreaterThan(1);
      // Refusals name the seats that were taken, so the caller can repair Redis.
      for (const result of results) {
        if (result.status === 'rejected' && result.reason instanceof SeatUnavailable) {
          expect(result.reason.seatIds.length).toBeGreaterThan(0);
        }
      }
    },
  );

  it('payments race the expiry job and new bookers for the same seats; the books balance', async () => {
    const seats = seatsFor(12);
    const first = contention(seats, 80, 0, 77);
    const { results } = await commitAll(first, {});
    const winners = await expectEachSeatSoldOnce(first, results, seats);
    const late = sale.nowMs + window + 1;

    // All at once: a third of the winners pay late (some twice, as webhooks
    // are redelivered), four expiry workers sweep in small batches, and a
    // second crowd trickles in to book the seats the expiry releases. The
    // other winners pay only after that, when some of their seats are gone.
    const pay = (b: BookingCommit) =>
      confirmPayment(sale.deps, {
        bookingId: b.bookingId,
        paymentRef: `pay-${b.bookingId}`,
        amountPaise: b.amount.totalPaise,
        nowMs: late,
      });
    const sweep = async () => {
      let swept = 0;
      for (let batch = 0; batch < 40; batch++) {
        const expired = await expireUnpaidBookings(sale.deps, { nowMs: late, limit: 2 });
        swept += expired.length;
        if (expired.length === 0) await pause(2)();
      }
      return swept;
    };
    const random = seededRandom(79);
    const second = contention(seats, 120, 10, 78).map((r) => ({ ...r, nowMs: late }));
    const early = winners.filter((_, i) => i % 3 === 0);
    const [earlyPayments, redeliveries, sweeps, rebooked] = await Promise.all([
      Promise.allSettled(early.map(pay)),
      Promise.allSettled(early.map(pay)),
      Promise.allSettled([sweep(), sweep(), sweep(), sweep()]),
      Promise.allSettled(
        second.map(async (r) => {
          await pause(Math.floor(random() * 60))();
          return createBooking(sale.deps, r);
        }),
      ),
    ]);
    const latePayments = await Promise.allSettled(winners.filter((_, i) => i % 3 !== 0).map(pay));
    for (const outcomes of [earlyPayments, redeliveries, sweeps, rebooked, latePayments]) {
      const counts = tally(outcomes);
      expect(counts.otherErrors).toEqual([]);
      expect(counts.deadlocks).toBe(0);
    }
    expect(tally(rebooked).seatUnavailableByIndex).toBe(0);
    expect(tally(rebooked).fulfilled).toBeGreaterThan(0);
    const payments = new Map(
      [...earlyPayments, ...latePayments].flatMap((r) =>
        r.status === 'fulfilled' ? [[r.value.bookingId, r.value] as const] : [],
      ),
    );

    const liveOwner = new Map<number, number>();
    for (const row of await sale.client.db
      .select({ seatId: seatAssignments.seatId, bookingId: seatAssignments.bookingId })
      .from(seatAssignments)
      .where(
        and(
          inArray(seatAssignments.seatId, seats),
          inArray(seatAssignments.status, ['PENDING', 'CONFIRMED']),
        ),
      )) {
      liveOwner.set(row.seatId, row.bookingId);
    }
    const outcomes = { confirmed: 0, refunded: 0 };
    for (const winner of winners) {
      const payment = payments.get(winner.bookingId);
      expect(payment).toBeDefined();
      if (payment === undefined) continue;
      const view = await getBooking(sale.deps, { pnr: winner.pnr, subject: winner.subject });
      expect(view.status).toBe(payment.status);
      if (view.status === 'CONFIRMED') {
        outcomes.confirmed++;
        for (const seat of winner.seats) expect(liveOwner.get(seat.seatId)).toBe(winner.bookingId);
      } else {
        // Refunded only because someone else holds one of its seats now.
        expect(view.status).toBe('REFUND_PENDING');
        expect(payment.needsRefund).toBe(true);
        outcomes.refunded++;
        const heldByOthers = winner.seats.filter((seat) => {
          const owner = liveOwner.get(seat.seatId);
          return owner !== undefined && owner !== winner.bookingId;
        });
        expect(heldByOthers.length).toBeGreaterThan(0);
      }
    }
    expect(outcomes.confirmed + outcomes.refunded).toBe(winners.length);
    // Both endings happened, so both branches were exercised.
    expect(outcomes.confirmed).toBeGreaterThan(0);
    expect(outcomes.refunded).toBeGreaterThan(0);
    expect(await auditBookings(sale.client.db, sale.journeyId)).toEqual([]);
  });
});

describe('negative controls', () => {
  it('(a) without FOR UPDATE the partial unique index still refuses every double sale', async () => {
    const seats = seatsFor(6);
    const requests = contention(seats, 200, 20, 2_001);
    const { results, counts } = await commitAll(requests, {
      seatLocking: 'off',
      afterSeatCheck: pause(2),
    });
    expect(counts.otherErrors).toEqual([]);
    // The race the row locks close did happen; the index turned each into SeatUnavailable.
    expect(counts.seatUnavailableByIndex).toBeGreaterThan(0);
    await expectEachSeatSoldOnce(requests, results, seats);
  });

  it('(c) locking seats in request order instead of id order deadlocks', async () => {
    const seats = seatsFor(6);
    const requests = contention(seats, 80, 0, 3_001);
    const { results, counts } = await commitAll(requests, { seatLocking: 'as-requested' });
    expect(counts.otherErrors).toEqual([]);
    expect(counts.deadlocks).toBeGreaterThan(0);
    await expectEachSeatSoldOnce(requests, results, seats);
  });

  // Last in the file: it drops the index in this file's own database.
  it('(b) without FOR UPDATE and without the index, the audit detects the oversell', async () => {
    await sale.client.pool.query('drop index seat_assignments_live_seat_uidx');
    const seats = seatsFor(6);
    const requests = contention(seats, 200, 0, 4_001);
    const { counts } = await commitAll(requests, { seatLocking: 'off', afterSeatCheck: pause(2) });
    expect(counts.otherErrors).toEqual([]);
    const violations = await auditBookings(sale.client.db, sale.journeyId);
    expect(violations.filter((v) => v.kind === 'seat_sold_twice').length).toBeGreaterThan(0);
  });
});
