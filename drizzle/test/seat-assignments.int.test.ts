// The partial unique index on live seat assignments is the last safety net
// against selling one berth twice; these tests prove it holds, also under a
// race, and that the race test would catch an oversell without it.
import { and, eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database, DbClient } from '../src/client.ts';
import {
  liveSeatIndexName,
  type SeatAssignmentStatus,
  seatAssignments,
  seats,
} from '../src/schema/index.ts';
import { seedDemoSale } from '../src/seed/demo-sale.ts';
import { createBookingWithPassenger, openTestDb, refusal } from './support/database.ts';

const contenders = 16;
// The file's database exists only once the setup file's beforeAll has run.
let client: DbClient;
let db: Database;

let journeyId: number;
let otherJourneyId: number;
let seatIds: number[];

beforeAll(async () => {
  client = openTestDb(contenders + 2);
  db = client.db;
  const first = await seedDemoSale(db, { now: new Date('2025-01-15T03:00:00Z') });
  const second = await seedDemoSale(db, { now: new Date('2025-01-16T03:00:00Z') });
  journeyId = first.journey.id;
  otherJourneyId = second.journey.id;
  const rows = await db
    .select({ id: seats.id })
    .from(seats)
    .where(and(eq(seats.journeyId, journeyId), eq(seats.classCode, 'SL')))
    .orderBy(seats.id)
    .limit(20);
  seatIds = rows.map((row) => row.id);
});

afterAll(() => client?.close());

let nextSeat = 0;
/** A seat of the first journey that no earlier test has used. */
function freshSeat(): number {
  const seatId = seatIds[nextSeat++];
  if (seatId === undefined) throw new Error('test ran out of seats');
  return seatId;
}

async function assign(seatId: number, status: SeatAssignmentStatus, onJourney = journeyId) {
  const { bookingId, passengerId } = await createBookingWithPassenger(db, { journeyId: onJourney });
  return db
    .insert(seatAssignments)
    .values({ bookingId, passengerId, journeyId: onJourney, seatId, status })
    .returning({ id: seatAssignments.id });
}

/** SQL audit: seats of the journey with more than one live assignment. */
async function oversoldSeats(): Promise<number> {
  const result = await db.execute<{ oversold: string }>(sql`
    select count(*) as oversold from (
      select seat_id from seat_assignments
      where journey_id = ${journeyId} and status in ('PENDING', 'CONFIRMED')
      group by seat_id having count(*) > 1) as doubled`);
  return Number(result.rows[0]?.oversold);
}

describe('one live assignment per seat and journey', () => {
  const live: SeatAssignmentStatus[] = ['PENDING', 'CONFIRMED'];
  for (const first of live) {
    for (const second of live) {
      it(`refuses a ${second} assignment of a seat that has a ${first} one`, async () => {
        const seatId = freshSeat();
        await assign(seatId, first);
        expect(await refusal(assign(seatId, second))).toEqual({
          code: '23505',
          constraint: liveSeatIndexName,
        });
      });
    }
  }

  for (const released of ['CANCELLED', 'EXPIRED'] as const) {
    it(`lets a seat whose assignment is ${released} be assigned again`, async () => {
      const seatId = freshSeat();
      await assign(seatId, released);
      await expect(assign(seatId, 'PENDING')).resolves.toHaveLength(1);
    });

    it(`frees a seat when its live assignment moves to ${released}`, async () => {
      const seatId = freshSeat();
      const [held] = await assign(seatId, 'PENDING');
      if (!held) throw new Error('no assignment returned');
      await db
        .update(seatAssignments)
        .set({ status: released })
        .where(eq(seatAssignments.id, held.id));
      await expect(assign(seatId, 'CONFIRMED')).resolves.toHaveLength(1);
    });
  }

  it('refuses to move a released assignment back to live while the seat is taken again', async () => {
    const seatId = freshSeat();
    const [old] = await assign(seatId, 'EXPIRED');
    await assign(seatId, 'CONFIRMED');
    if (!old) throw new Error('no assignment returned');
    const revive = db
      .update(seatAssignments)
      .set({ status: 'PENDING' })
      .where(eq(seatAssignments.id, old.id));
    expect(await refusal(revive)).toEqual({ code: '23505', constraint: liveSeatIndexName });
  });
});

describe('composite keys tie an assignment to one journey', () => {
  it("refuses a seat of another journey under this journey's id", async () => {
    const [foreignSeat] = await db
      .select({ id: seats.id })
      .from(seats)
      .where(eq(seats.journeyId, otherJourneyId))
      .limit(1);
    if (!foreignSeat) throw new Error('second journey has no seats');
    expect(await refusal(assign(foreignSeat.id, 'PENDING'))).toEqual({
      code: '23503',
      constraint: 'seat_assignments_seat_journey_fk',
    });
  });

  it("refuses a booking of another journey on this journey's seat", async () => {
    const seatId = freshSeat();
    const { bookingId, passengerId } = await createBookingWithPassenger(db, {
      journeyId: otherJourneyId,
    });
    const insert = db
      .insert(seatAssignments)
      .values({ bookingId, passengerId, journeyId, seatId, status: 'PENDING' });
    expect(await refusal(insert)).toEqual({
      code: '23503',
      constraint: 'seat_assignments_booking_journey_fk',
    });
  });
});

/**
 * Every contender opens a transaction on its own connection, waits until all
 * have begun, inserts a live assignment of the same seat and holds its
 * transaction open a moment, so the inserts really overlap.
 */
async function raceForSeat(seatId: number) {
  const bookingsInRace = await Promise.all(
    Array.from({ length: contenders }, () => createBookingWithPassenger(db, { journeyId })),
  );
  const allBegun = Promise.withResolvers<void>();
  let begun = 0;
  return Promise.allSettled(
    bookingsInRace.map(({ bookingId, passengerId }) =>
      db.transaction(async (tx) => {
        await tx.execute(sql`select 1`);
        begun += 1;
        if (begun === contenders) allBegun.resolve();
        await allBegun.promise;
        await tx
          .insert(seatAssignments)
          .values({ bookingId, passengerId, journeyId, seatId, status: 'PENDING' });
        await new Promise((resolve) => setTimeout(resolve, 25));
      }),
    ),
  );
}

describe(`${contenders} concurrent transactions for one seat`, () => {
  it('lets exactly one win; the others get a unique violation', async () => {
    const results = await raceForSeat(freshSeat());
    const winners = results.filter((result) => result.status === 'fulfilled');
    const losers = results.flatMap((result) => (result.status === 'rejected' ? [result] : []));
    expect(winners).toHaveLength(1);
    expect(losers).toHaveLength(contenders - 1);
    for (const loser of losers) {
      expect(await refusal(Promise.reject(loser.reason))).toEqual({
        code: '23505',
        constraint: liveSeatIndexName,
      });
    }
    expect(await oversoldSeats()).toBe(0);
  });

  it('negative control: without the index the same race oversells the seat', async () => {
    const definition = await db.execute<{ indexdef: string }>(
      sql`select indexdef from pg_indexes where indexname = ${liveSeatIndexName}`,
    );
    const createIndex = definition.rows[0]?.indexdef;
    if (!createIndex) throw new Error(`${liveSeatIndexName} not found`);
    await db.execute(sql.raw(`drop index ${liveSeatIndexName}`));
    try {
      const results = await raceForSeat(freshSeat());
      expect(results.filter((result) => result.status === 'fulfilled')).toHaveLength(contenders);
      expect(await oversoldSeats()).toBe(1);
    } finally {
      // Release the oversold rows so the index can be rebuilt for any later test.
      await db.execute(sql`
        update seat_assignments set status = 'CANCELLED'
        where id in (select id from seat_assignments s where status in ('PENDING', 'CONFIRMED')
          and (select count(*) from seat_assignments o where o.seat_id = s.seat_id
               and o.journey_id = s.journey_id and o.status in ('PENDING', 'CONFIRMED')) > 1)`);
      await db.execute(sql.raw(createIndex));
    }
    expect(await oversoldSeats()).toBe(0);
  });
});
