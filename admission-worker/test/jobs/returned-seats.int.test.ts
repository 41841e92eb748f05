import { expireBooking, promoteWaitlist } from '@tatkal/booking-api/bookings';
import { type ReturnedSeats, returnSeatsAndPromote } from '@tatkal/booking-api/flows';
import { readHold, readRawSnapshot } from '@tatkal/booking-api/inventory';
import { seedDemoSale } from '@tatkal/drizzle';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { JobDeps } from '../../src/jobs/index.ts';
import { returnAndPromote } from '../../src/jobs/returned-seats.ts';
import { shopperHolds, unpaidBooking, waitlisted } from './support/bookings.ts';
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
    await waitlisted(world, '2A', 1, journey.id);
    await world.rebuild(journey.id);
    const shopperHold = await shopperHolds(world, journey.id, seats.slice(0, 2));
    const expired = await expireBooking({ db: world.db.db }, booking.bookingId, Date.now());
    if (!expired.expired) throw new Error('booking did not expire');
    return { journeyId: journey.id, seats, returning, shopperHold, expired: expired.booking };
  }

  it('gives the waitlist a returned seat, leaves the shopper their hold, and puts the rest on sale', async () => {
    const { journeyId, returning, shopperHold, expired } = await scene(2);
    expect(await returnAndPromote(world.worker(), expired)).toBe(1);
    const { states } = await readRawSnapshot(world.redis, world.prefix, journeyId, Date.now());
    // The waitlisted party of one has the first returned seat; the other is on sale again.
    expect(returning.map((seatId) => states.get(seatId))).toEqual(['sold', 'free']);
    expect(
      await readHold(world.redis, world.prefix, journeyId, shopperHold, Date.now()),
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
