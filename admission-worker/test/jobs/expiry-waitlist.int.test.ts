// Expiring unpaid bookings from several workers at once: each due booking expires exactly
// once, its seats go back to Redis, the waitlist is promoted in order exactly as far as the
// returned seats allow, every transition is recorded in the outbox exactly once, and Redis
// agrees with PostgreSQL afterwards. The negative control runs a variant that reads what is
// due without locking it and shows the same checks catch it.
import { returnSeatsAndPromote } from '@tatkal/booking-api/flows';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expireDueBookings, type JobDeps } from '../../src/jobs/index.ts';
import {
  cancelledWaitlist,
  confirmedBooking,
  unpaidBooking,
  waitlisted,
} from './support/bookings.ts';
import {
  barrier,
  countViolations,
  expectedPromotions,
  inventoryViolations,
  liveSeats,
  outbox,
  statuses,
  type WaitlistEntryPlan,
} from './support/checks.ts';
import { createJobsWorld, type JobsWorld } from './support/world.ts';

const workers = 4;
// Party sizes by waitlist number, so order matters: 16 returned seats take exactly the first
// ten (1+2+1+3+2+1+2+1+1+2), and the party of three at number 11 must not be overtaken by the
// party of one behind it.
const parties = [1, 2, 1, 3, 2, 1, 2, 1, 1, 2, 3, 1];

interface Prepared {
  confirmed: number[];
  due: number[];
  notDue: number[];
  queue: WaitlistEntryPlan[];
  cancelled: number;
}

/** 2A Tatkal sold out (4 confirmed, 8 unpaid and due, 2 seats each), a waitlist of 12 behind it. */
async function prepare(world: JobsWorld, journeyId: number): Promise<Prepared> {
  const seats = await world.seatIds('2A', 'TQ', journeyId);
  expect(seats).toHaveLength(24);
  const confirmed: number[] = [];
  for (let i = 0; i < 4; i++) {
    confirmed.push(
      (await confirmedBooking(world, '2A', seats.slice(i * 2, i * 2 + 2), journeyId)).bookingId,
    );
  }
  const due: number[] = [];
  for (let i = 4; i < 12; i++) {
    const booking = await unpaidBooking(world, '2A', seats.slice(i * 2, i * 2 + 2), {
      dueAgoMs: 5_000 + i,
      journeyId,
    });
    due.push(booking.bookingId);
  }
  // Unpaid but still inside their window: must be left alone.
  const threeA = await world.seatIds('3A', 'TQ', journeyId);
  const notDue = [
    (await unpaidBooking(world, '3A', threeA.slice(0, 2), { journeyId })).bookingId,
    (await unpaidBooking(world, '3A', threeA.slice(2, 3), { journeyId })).bookingId,
  ];
  const queue: WaitlistEntryPlan[] = [];
  for (const party of parties) {
    const entry = await waitlisted(world, '2A', party, journeyId);
    queue.push({ bookingId: entry.bookingId, waitlistNumber: entry.waitlistNumber, party });
  }
  const cancelled =
    journeyId === world.journeyId ? (await cancelledWaitlist(world, 'SL')).bookingId : 0;
  await world.rebuild(journeyId);
  expect(await inventoryViolations(world, journeyId)).toEqual([]);
  return { confirmed, due, notDue, queue, cancelled };
}

/** Every exact-count check over one run; empty when the run was right. */
async function violations(
  world: JobsWorld,
  plan: Prepared,
  reported: { expired: number; promoted: number },
  journeyId: number,
): Promise<string[]> {
  const returnedSeats = plan.due.length * 2;
  const promoted = expectedPromotions(plan.queue, returnedSeats);
  const out = [
    ...countViolations('expired', reported.expired, plan.due.length),
    ...countViolations('promoted', reported.promoted, promoted.length),
  ];
  const status = await statuses(world, [
    ...plan.confirmed,
    ...plan.due,
    ...plan.notDue,
    ...plan.queue.map((entry) => entry.bookingId),
  ]);
  for (const id of plan.due)
    if (status.get(id) !== 'EXPIRED') out.push(`booking ${id} is ${status.get(id)}`);
  for (const id of plan.notDue) {
    if (status.get(id) !== 'PENDING_PAYMENT')
      out.push(`not-due booking ${id} is ${status.get(id)}`);
  }
  for (const id of plan.confirmed)
    if (status.get(id) !== 'CONFIRMED') out.push(`confirmed ${id} moved`);
  const seats = await liveSeats(
    world,
    plan.queue.map((entry) => entry.bookingId),
  );
  for (const entry of plan.queue) {
    const want = promoted.includes(entry.bookingId) ? 'PENDING_PAYMENT' : 'WAITLISTED';
    if (status.get(entry.bookingId) !== want) {
      out.push(`waitlist ${entry.waitlistNumber} is ${status.get(entry.bookingId)}, want ${want}`);
    }
    const want_seats = want === 'PENDING_PAYMENT' ? entry.party : 0;
    if ((seats.get(entry.bookingId) ?? 0) !== want_seats) {
      out.push(`waitlist ${entry.waitlistNumber} has ${seats.get(entry.bookingId) ?? 0} seats`);
    }
  }
  const events = await outbox(world);
  const once = (id: number, event: string) => {
    const n = events.get(`${id}:${event}`) ?? 0;
    if (n !== 1) out.push(`${event} of ${id} recorded ${n} times`);
  };
  for (const id of plan.due) once(id, 'expired');
  for (const id of plan.confirmed) once(id, 'confirmed');
  for (const id of promoted) once(id, 'promoted');
  const scheduledFor = world.scheduled.filter((s) => promoted.includes(s.bookingId));
  if (new Set(scheduledFor.map((s) => s.bookingId)).size !== promoted.length) {
    out.push(`expiry scheduled for ${scheduledFor.length} of ${promoted.length} promoted bookings`);
  }
  out.push(...(await inventoryViolations(world, journeyId)));
  return out;
}

let world: JobsWorld;
beforeAll(async () => {
  world = await createJobsWorld();
});
afterAll(() => world.close());

describe('expireDueBookings', () => {
  it('expires each due booking once and promotes the waitlist in order, from 4 workers at once', async () => {
    const plan = await prepare(world, world.journeyId);
    const deps = Array.from({ length: workers }, () => world.worker());
    const results = await Promise.all(deps.map((d) => expireDueBookings(d)));
    const reported = {
      expired: results.reduce((sum, r) => sum + r.expired, 0),
      promoted: results.reduce((sum, r) => sum + r.promoted, 0),
    };
    expect(await violations(world, plan, reported, world.journeyId)).toEqual([]);
    expect(reported).toEqual({ expired: 8, promoted: 10 });
    // The outbox holds exactly the transitions made: 4 confirmed, 8 expired, 10 promoted, 1 cancelled.
    const events = await outbox(world);
    expect([...events.values()].every((n) => n === 1)).toBe(true);
    expect(events.size).toBe(4 + 8 + 10 + 1);
    expect(events.get(`${plan.cancelled}:cancelled`)).toBe(1);

    // Idempotent: run again from every worker, nothing changes.
    const again = await Promise.all(deps.map((d) => expireDueBookings(d)));
    expect(again.every((r) => r.expired === 0 && r.promoted === 0)).toBe(true);
    expect(await violations(world, plan, reported, world.journeyId)).toEqual([]);
    expect((await outbox(world)).size).toBe(23);
  });

  it('negative control: reading due bookings without locking them double-expires and the checks say so', async () => {
    // A second journey (seeded for another day), so the first test's rows are not in the way.
    const seeded = await import('@tatkal/drizzle').then(({ seedDemoSale }) =>
      seedDemoSale(world.db.db, { now: new Date(Date.now() + 86_400_000) }),
    );
    const journeyId = seeded.journey.id;
    expect(journeyId).not.toBe(world.journeyId);
    const plan = await prepare(world, journeyId);
    const arrive = barrier(workers);
    const results = await Promise.all(
      Array.from({ length: workers }, () => naiveExpire(world.worker(), journeyId, arrive)),
    );
    const reported = {
      expired: results.reduce((sum, r) => sum + r.expired, 0),
      promoted: results.reduce((sum, r) => sum + r.promoted, 0),
    };
    const found = await violations(world, plan, reported, journeyId);
    expect(found).toContain(
      `expired: reported ${plan.due.length * workers}, expected ${plan.due.length}`,
    );
  });
});

/**
 * The broken variant: selects what is due without FOR UPDATE SKIP LOCKED and updates without
 * a status guard, so every worker that read a row "expires" it again. The barrier makes every
 * worker read before any writes, the interleaving that breaks it.
 */
async function naiveExpire(deps: JobDeps, journeyId: number, arrive: () => Promise<void>) {
  const due = await deps.db.db.execute<{ id: string; class_code: '2A'; quota: 'TQ' }>(sql`
    select id, class_code, quota from bookings
     where journey_id = ${journeyId} and status = 'PENDING_PAYMENT' and expires_at <= now()`);
  await arrive();
  let expired = 0;
  let promoted = 0;
  for (const row of due.rows) {
    await deps.db.db.execute(sql`update bookings set status = 'EXPIRED' where id = ${row.id}`);
    const released = await deps.db.db.execute<{ seat_id: number }>(sql`
      update seat_assignments set status = 'EXPIRED'
       where booking_id = ${row.id} and status = 'PENDING' returning seat_id`);
    expired += 1;
    promoted += await returnSeatsAndPromote(deps, {
      journeyId,
      classCode: row.class_code,
      quota: row.quota,
      seatIds: released.rows.map((seat) => Number(seat.seat_id)),
    });
  }
  return { expired, promoted };
}
