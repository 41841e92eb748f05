// Returned seats go to the waitlist before anyone else, and never take a shopper's hold.
// Two returns racing, forced into the order that breaks the booking API's flow on its own:
// worker B has expired booking X in PostgreSQL but not yet returned its seats; worker A
// expires Y, returns its seats and promotes the waitlist onto X's and Y's seats; then B
// returns X's seats, freeing in Redis seats PostgreSQL has just given away. The return
// re-checks PostgreSQL afterwards and re-marks them sold; the control without it is caught.
import { randomUUID } from 'node:crypto';
import { expireBooking, promoteWaitlist } from '@tatkal/booking-api/bookings';
import { type ReturnedSeats, returnSeatsAndPromote } from '@tatkal/booking-api/flows';
import { holdSeats, readHold, readRawSnapshot } from '@tatkal/booking-api/inventory';
import { seedDemoSale } from '@tatkal/drizzle';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { JobDeps } from '../../src/jobs/index.ts';
import { returnAndPromote } from '../../src/jobs/returned-seats.ts';
import { unpaidBooking, waitlisted } from './support/bookings.ts';
import { inventoryViolations } from './support/checks.ts';
import { createJobsWorld, type JobsWorld } from './support/world.ts';

let world: JobsWorld;
beforeAll(async () => {
  world = await createJobsWorld();
});
afterAll(() => world.close());

async function lateReturn(
  dayOffset: number,
  returnFn: (deps: JobDeps, returned: ReturnedSeats) => Promise<number>,
): Promise<{ journeyId: number; promoted: number }> {
  const { journey } = await seedDemoSale(world.db.db, {
    now: new Date(Date.now() + dayOffset * 86_400_000),
  });
  const seats = await world.seatIds('2A', 'TQ', journey.id);
  const bookings = [];
  for (let i = 0; i < 12; i++) {
    bookings.push(
      await unpaidBooking(world, '2A', seats.slice(i * 2, i * 2 + 2), {
        dueAgoMs: 1_000,
        journeyId: journey.id,
      }),
    );
  }
  for (let i = 0; i < 4; i++) await waitlisted(world, '2A', 1, journey.id);
  await world.rebuild(journey.id);
  const [x, y] = bookings;
  if (!x || !y) throw new Error('no bookings');
  const a = world.worker();
  const b = world.worker();
  const expiredX = await expireBooking({ db: b.db.db }, x.bookingId, Date.now());
  const expiredY = await expireBooking({ db: a.db.db }, y.bookingId, Date.now());
  if (!expiredX.expired || !expiredY.expired) throw new Error('bookings did not expire');
  const promotedByA = await returnFn(a, expiredY.booking);
  const promotedByB = await returnFn(b, expiredX.booking);
  return { journeyId: journey.id, promoted: promotedByA + promotedByB };
}

it('a late return does not free seats a promotion took meanwhile', async () => {
  const { journeyId, promoted } = await lateReturn(0, returnAndPromote);
  expect(promoted).toBe(4);
  expect(await inventoryViolations(world, journeyId)).toEqual([]);
});

it('negative control: the booking API flow alone leaves Redis showing them free', async () => {
  const { journeyId, promoted } = await lateReturn(1, (deps, returned) =>
    returnSeatsAndPromote(deps, returned, { recheck: false }),
  );
  expect(promoted).toBe(4);
  const found = await inventoryViolations(world, journeyId);
  expect(found.filter((line) => line.includes('redis free, postgres sold'))).toHaveLength(2);
});

describe('a return with a waitlist and shoppers at work', () => {
  /** Seats 10-11 of 2A Tatkal booked and due; a shopper holds seats 0-1 (lower ids, free in PostgreSQL). */
  async function scene(dayOffset: number) {
    const { journey } = await seedDemoSale(world.db.db, {
      now: new Date(Date.now() + dayOffset * 86_400_000),
    });
    const seats = await world.seatIds('2A', 'TQ', journey.id);
    const returning = seats.slice(10, 12);
    const booking = await unpaidBooking(world, '2A', returning, {
      dueAgoMs: 1_000,
      journeyId: journey.id,
    });
    const party = await waitlisted(world, '2A', 1, journey.id);
    await world.rebuild(journey.id);
    const shopper = await holdSeats(world.redis, world.prefix, {
      journeyId: journey.id,
      request: { kind: 'seats', seatIds: seats.slice(0, 2) },
      holder: { subject: 'shopper', tokenJti: randomUUID() },
      ttlMs: 600_000,
      nowMs: Date.now(),
    });
    if (!shopper.ok) throw new Error(shopper.reason);
    const expired = await expireBooking({ db: world.db.db }, booking.bookingId, Date.now());
    if (!expired.expired) throw new Error('booking did not expire');
    return { journeyId: journey.id, seats, returning, party, shopper, expired: expired.booking };
  }

  it('gives the waitlist a returned seat, leaves the shopper their hold, and puts the rest on sale', async () => {
    const { journeyId, returning, shopper, expired } = await scene(2);
    expect(await returnAndPromote(world.worker(), expired)).toBe(1);
    const { states } = await readRawSnapshot(world.redis, world.prefix, journeyId, Date.now());
    // The waitlisted party of one has the first returned seat; the other is on sale again.
    expect(returning.map((seatId) => states.get(seatId))).toEqual(['sold', 'free']);
    expect(
      await readHold(world.redis, world.prefix, journeyId, shopper.holdId, Date.now()),
    ).toMatchObject({ state: 'held' });
    expect(await inventoryViolations(world, journeyId)).toEqual([]);
  });

  it("negative control: a promotion that does not exclude what Redis has on sale takes the shopper's seat", async () => {
    const { journeyId, seats } = await scene(3);
    const { seatIds } = await promoteWaitlist(
      { db: world.db.db },
      {
        journeyId,
        classCode: '2A',
        quota: 'TQ',
        nowMs: Date.now(),
        paymentWindowMs: 60_000,
      },
    );
    expect(seatIds).toEqual([seats[0]]);
  });
});
