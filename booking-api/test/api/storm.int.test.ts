// ACCEPTANCE-1 end to end (DESIGN §8 "No seat is ever sold twice"): 300 admitted
// visitors, each with its own token, make 1,500+ hold attempts over the twelve
// free berths of one class and quota through the real app on a real socket:
// named seats in random and reversed orders, auto-allocation, double clicks
// with one Idempotency-Key, retries with another; winners book (some twice at
// once), pay through the simulator's signed webhook, pay around the deadline
// while the expiry jobs and the sweep run, never pay, or let the hold run out.
// Afterwards PostgreSQL's books balance (auditBookings and a plain SQL ledger),
// every promise the API made is kept, and Redis equals PostgreSQL's truth.
//
// Negative controls: the same storm with the Redis hold layer bypassed (every
// contender goes straight to createBooking) shows PostgreSQL alone sells each
// seat once, and that the inventory audit notices a Redis that never saw the
// sales; the ledger check is shown to report a tampered double sale. The
// controls with FOR UPDATE off and the unique index dropped are in
// test/bookings/commit-contention.int.test.ts, and Redis-side tampering of the
// inventory audit in test/inventory/rebuild.int.test.ts.
//
// On a loaded machine the storm also meets the races pinned, one by one, in
// inventory-races.int.test.ts (a Redis write overtaken by an expiry); until
// they are fixed the inventory audit here can fail now and then, naming the
// seats and their booking history.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  auditBookings,
  type BookingCommit,
  type CreateBookingInput,
  createBooking,
} from '../../src/bookings/index.ts';
import { expireOne, sweepUnpaidBookings } from '../../src/expiry/booking-expiry.ts';
import { reconcileJourneys } from '../../src/flows/journeys.ts';
import { auditInventory } from '../../src/inventory/index.ts';
import { pause, seededRandom, shuffled, tally } from '../bookings/support.ts';
import { type BookingWorld, createBookingWorld } from '../support/booking-world.ts';
import { readSeatLedger } from '../support/seat-ledger.ts';
import { answered, newLedger, runVisitor, type StormPlan } from '../support/storm.ts';

const seed = Number(process.env.STORM_SEED ?? 20_260_115);
const visitors = 300;
const attemptsPerVisitor = 5;
const tatkalHoldTtlMs = 1_200;
const paymentWindowMs = 2_000;
const poolMax = 30;

let world: BookingWorld;
/** 3A Premium Tatkal: 16 berths, 4 of them sold before the storm. */
let stormPool: number[];
let presold: Map<string, number[]>;

async function poolSeats(classCode: string, quota: string): Promise<number[]> {
  const result = await world.deps.db.pool.query<{ id: string }>(
    'select id from seats where journey_id = $1 and class_code = $2 and quota = $3 order by id',
    [world.journeyId, classCode, quota],
  );
  return result.rows.map((row) => Number(row.id));
}

/** The whole flow for one visitor and named seats, paid and confirmed. */
async function bookAndPay(subject: string, seatIds: number[]): Promise<string> {
  const token = await world.token(subject);
  const held = await world.call(
    'POST',
    '/v1/holds',
    token,
    { journeyId: world.journeyId, classCode: '3A', quota: 'PT', seatIds },
    { 'idempotency-key': `${subject}-hold` },
  );
  expect(held.status, JSON.stringify(held.body)).toBe(201);
  const passengers = seatIds.map((_, i) => ({
    name: `Early ${i}`,
    age: 40,
    gender: 'F',
    berthPreference: null,
  }));
  const booked = await world.call(
    'POST',
    '/v1/bookings',
    token,
    { holdId: held.body.holdId, passengers },
    { 'idempotency-key': `${subject}-book` },
  );
  expect(booked.status, JSON.stringify(booked.body)).toBe(201);
  const pnr = String(booked.body.pnr);
  const paid = await world.call('POST', `/v1/bookings/${pnr}/pay`, token, undefined, {
    'idempotency-key': `${subject}-pay`,
  });
  expect(paid.status).toBe(202);
  await world.payments.whenIdle();
  expect((await world.call('GET', `/v1/bookings/${pnr}`, token)).body.status).toBe('CONFIRMED');
  return pnr;
}

/**
 * What the service's BullMQ worker and sweep do, in this process: each
 * scheduled expiry runs at its deadline, and the sweep runs every 100 ms.
 */
function runExpiry(): () => Promise<{ jobs: number; swept: number }> {
  let running = true;
  const counts = { jobs: 0, swept: 0 };
  let next = world.scheduled.length;
  const due: Array<{ bookingId: number; atMs: number }> = [];
  const jobs = (async () => {
    while (running) {
      due.push(...world.scheduled.slice(next));
      next = world.scheduled.length;
      const now = Date.now();
      const ready = due.filter((job) => job.atMs <= now);
      for (const job of ready) due.splice(due.indexOf(job), 1);
      const outcomes = await Promise.all(ready.map((job) => expireOne(world.deps, job.bookingId)));
      // A job that fires a moment early is retried, as BullMQ's backoff would.
      ready.forEach((job, i) => {
        if (outcomes[i] === 'not_due') due.push({ ...job, atMs: now + 20 });
      });
      counts.jobs += outcomes.filter((outcome) => outcome === 'expired').length;
      await pause(10)();
    }
  })();
  const sweeps = (async () => {
    while (running) {
      counts.swept += await sweepUnpaidBookings(world.deps, 5);
      await pause(100)();
    }
  })();
  return async () => {
    running = false;
    await Promise.all([jobs, sweeps]);
    return counts;
  };
}

beforeAll(async () => {
  world = await createBookingWorld({
    tatkalHoldTtlMs,
    paymentWindowMs,
    paymentDelayMs: 100,
    maxInFlight: 100_000,
    poolMax,
  });
  stormPool = await poolSeats('3A', 'PT');
  expect(stormPool).toHaveLength(16);
  // Sold before the storm: these must stay sold to their first buyers throughout.
  presold = new Map();
  for (const [i, seats] of [stormPool.slice(0, 2), stormPool.slice(8, 10)].entries()) {
    presold.set(await bookAndPay(`early-${i}`, seats), seats);
  }
});
afterAll(async () => {
  await world?.close();
});

describe('a booking storm through the HTTP API', () => {
  it('sells each of 12 contended berths at most once at a time, keeps every promise, and leaves Redis equal to PostgreSQL', async () => {
    const plan: StormPlan = {
      journeyId: world.journeyId,
      classCode: '3A',
      quota: 'PT',
      namedSeatIds: stormPool,
      attemptsPerVisitor,
      seed,
      thinkMs: [500, 3_500],
      holdTtlMs: tatkalHoldTtlMs,
    };
    const tokens = await Promise.all(
      Array.from({ length: visitors }, (_, i) => world.token(`storm-${seed}-${i}`)),
    );
    const ledger = newLedger();
    const stopExpiry = runExpiry();
    await Promise.all(tokens.map((token, i) => runVisitor(i, token, plan, world.call, ledger)));
    const expiry = await stopExpiry();

    // Let every hold and payment window run out, every webhook land, then sweep once more.
    const lastDeadline = Math.max(...[...ledger.booked.values()].map((b) => b.expiresAtMs));
    await pause(Math.max(tatkalHoldTtlMs, lastDeadline - Date.now()) + 50)();
    await world.payments.whenIdle();
    await sweepUnpaidBookings(world.deps);

    const context = `seed ${seed}: ${JSON.stringify(Object.fromEntries(ledger.answers))}`;
    expect(ledger.unexpected, context).toEqual([]);
    expect(ledger.violations, context).toEqual([]);
    // The storm was what it claims to be: it cannot pass by not contending.
    expect(ledger.holdPosts).toBeGreaterThanOrEqual(visitors * attemptsPerVisitor);
    expect(answered(ledger, 'hold 201'), context).toBeGreaterThan(12);
    expect(answered(ledger, 'hold 409 seat_unavailable'), context).toBeGreaterThan(100);
    expect(answered(ledger, 'hold 409 not_enough_berths'), context).toBeGreaterThan(100);
    expect(answered(ledger, 'book 409 hold_expired'), context).toBeGreaterThan(0);
    expect(ledger.paymentsNearDeadline, context).toBeGreaterThan(0);
    expect(expiry.jobs + expiry.swept, context).toBeGreaterThan(0);
    expect(ledger.confirmed.size, context).toBeGreaterThan(0);
    // Seats changed hands: more bookings were made than there are seats, and some berths
    // were booked again after an earlier booking of them expired or was cancelled.
    expect(ledger.booked.size, context).toBeGreaterThan(12);
    const resold = await world.deps.db.pool.query(
      `select seat_id from seat_assignments where journey_id = $1 and seat_id = any($2::bigint[])
        group by seat_id having count(*) > 1`,
      [world.journeyId, stormPool],
    );
    expect(resold.rowCount, context).toBeGreaterThan(0);

    const books = await readSeatLedger(world.deps.db.pool, world.journeyId);
    expect(books.soldTwice).toEqual([]);
    expect(books.confirmedMismatch).toEqual([]);
    const statuses = [...books.bookings.values()].map((b) => b.status);
    expect(statuses).not.toContain('PENDING_PAYMENT');
    expect(statuses).toContain('EXPIRED');
    // Every booking the API made exists; one seen CONFIRMED is confirmed with its seats (or
    // cancelled by its owner), and a confirmed one holds exactly what the API said it booked.
    for (const [pnr, booked] of ledger.booked) {
      const row = books.bookings.get(pnr);
      expect(row, pnr).toBeDefined();
      const seen = ledger.confirmed.get(pnr);
      if (seen) {
        expect(seen, pnr).toEqual(booked.seatIds);
        expect(row?.status, pnr).toBe(ledger.cancelled.has(pnr) ? 'CANCELLED' : 'CONFIRMED');
      }
      if (row?.status === 'CONFIRMED') expect(row.liveSeatIds, pnr).toEqual(booked.seatIds);
    }
    // Every CONFIRMED booking of the pool is one the API confirmed to its client or sold first.
    for (const [pnr, row] of books.bookings) {
      if (row.status !== 'CONFIRMED') continue;
      expect(ledger.confirmed.has(pnr) || presold.has(pnr), pnr).toBe(true);
    }
    for (const [pnr, seats] of presold) {
      expect(books.bookings.get(pnr)).toMatchObject({ status: 'CONFIRMED', liveSeatIds: seats });
    }
    expect(await auditBookings(world.deps.db.db, world.journeyId)).toEqual([]);
    // The running service rebuilds each journey's inventory from PostgreSQL every
    // RECONCILE_MS; that pass repairs what an expiry overtaking a booking in flight left
    // behind (the races pinned in inventory-races.int.test.ts). Run it as the service would.
    expect(await reconcileJourneys(world.deps)).toBe(1);
    const inventory = await auditInventory(
      world.deps.db.db,
      world.deps.redis,
      world.deps.prefix,
      world.journeyId,
      Date.now(),
    );
    // On a mismatch, the seats' booking history says which race left Redis behind.
    const history = await world.deps.db.pool.query(
      `select a.seat_id, a.booking_id, a.status as seat, b.status, a.created_at, a.updated_at,
              b.expires_at, b.confirmed_at, b.cancelled_at
         from seat_assignments a join bookings b on b.id = a.booking_id
        where a.seat_id = any($1::bigint[]) order by a.id`,
      [inventory.mismatches.map((m) => m.seatId)],
    );
    expect(inventory, JSON.stringify(history.rows)).toEqual({
      mismatches: [],
      countMismatches: [],
    });
    // About 20 s alone; more on a loaded machine.
  }, 120_000);
});

describe('negative controls', () => {
  it('with the Redis hold layer bypassed, the same storm reaches PostgreSQL, which still sells each seat once; the inventory audit sees Redis was bypassed', async () => {
    // Sleeper Premium Tatkal of coaches S1-S3: twelve berths nobody has touched yet.
    const seats = (await poolSeats('SL', 'PT')).slice(0, 12);
    const random = seededRandom(seed + 1);
    const requests: CreateBookingInput[] = [];
    for (let visitor = 0; visitor < visitors; visitor++) {
      const subject = `bypass-${seed}-${visitor}`;
      for (let attempt = 0; attempt < attemptsPerVisitor; attempt++) {
        // Named seats in random or reversed order; "auto-allocation" with no Redis to ask
        // takes the lowest berths, as a stale availability page would suggest.
        const count = 1 + Math.floor(random() * 3);
        const picked =
          random() < 0.5 ? shuffled(seats, random).slice(0, count) : seats.slice(0, count);
        if (random() < 0.5) picked.sort((a, b) => b - a);
        requests.push({
          journeyId: world.journeyId,
          roomId: world.roomId,
          subject,
          tokenJti: `${subject}-jti`,
          classCode: 'SL',
          quota: 'PT',
          seatIds: picked,
          holdId: `bypass-${randomUUID()}`,
          passengers: picked.map((_, i) => ({
            name: `Bypass ${visitor} P${i}`,
            age: 30,
            gender: 'M',
            berthPreference: null,
          })),
          paymentWindowMs: 600_000,
          nowMs: Date.now(),
        });
      }
    }
    // Duplicates of earlier requests (same hold), fired in the same burst.
    const burst = [...requests, ...requests.filter(() => random() < 0.1).map((r) => ({ ...r }))];
    // As many at once as the pool has connections, so no commit waits on the pool itself.
    const queue = shuffled(burst, random).map((request, i) => ({ request, i }));
    const results: PromiseSettledResult<BookingCommit>[] = [];
    await Promise.all(
      Array.from({ length: poolMax }, async () => {
        for (let next = queue.shift(); next; next = queue.shift()) {
          results[next.i] = await createBooking({ db: world.deps.db.db }, next.request).then(
            (value) => ({ status: 'fulfilled', value }) as const,
            (reason: unknown) => ({ status: 'rejected', reason }) as const,
          );
        }
      }),
    );
    const counts = tally(results);
    expect(counts.deadlocks).toBe(0);
    // Contention reached PostgreSQL: nothing in front of it turned contenders away.
    expect(counts.seatUnavailableByCheck + counts.seatUnavailableByIndex).toBeGreaterThan(100);
    // The only other refusal is the per-subject Tatkal limit.
    expect(
      counts.otherErrors.filter((error) => (error as { code?: string }).code !== 'tatkal_limit'),
    ).toEqual([]);
    const winners = new Map<number, BookingCommit>();
    for (const result of results) {
      if (result.status === 'fulfilled') winners.set(result.value.bookingId, result.value);
    }
    const sold = [...winners.values()].flatMap((winner) => winner.seats.map((s) => s.seatId));
    expect(new Set(sold).size).toBe(sold.length);
    expect(sold.length).toBeGreaterThan(0);

    const books = await readSeatLedger(world.deps.db.pool, world.journeyId);
    expect(books.soldTwice).toEqual([]);
    expect(await auditBookings(world.deps.db.db, world.journeyId)).toEqual([]);
    // Redis never saw these sales: the inventory audit reports exactly those seats.
    const inventory = await auditInventory(
      world.deps.db.db,
      world.deps.redis,
      world.deps.prefix,
      world.journeyId,
      Date.now(),
    );
    const bypassed = inventory.mismatches.filter((m) => seats.includes(m.seatId));
    expect(bypassed.map((m) => m.seatId)).toEqual([...sold].sort((a, b) => a - b));
    expect(bypassed.every((m) => m.redis === 'free' && m.postgres === 'sold')).toBe(true);
  }, 60_000);

  // Last in the file: it tampers with the books (and rolls back).
  it('the SQL ledger check reports a seat sold twice and a confirmed booking missing a seat', async () => {
    const client = await world.deps.db.pool.connect();
    try {
      await client.query('begin');
      const [confirmed] = (
        await client.query<{ booking_id: string; seat_id: string; id: string }>(
          `select a.booking_id, a.seat_id, a.id from seat_assignments a
             join bookings b on b.id = a.booking_id
            where b.journey_id = $1 and b.status = 'CONFIRMED' and a.status = 'CONFIRMED'
            order by a.id limit 1`,
          [world.journeyId],
        )
      ).rows;
      const [other] = (
        await client.query<{ booking_id: string; passenger_id: string }>(
          `select a.booking_id, a.passenger_id from seat_assignments a
            where a.journey_id = $1 and a.status = 'EXPIRED'
              and not exists (select 1 from seat_assignments l where l.passenger_id = a.passenger_id
                                 and l.status in ('PENDING', 'CONFIRMED'))
            limit 1`,
          [world.journeyId],
        )
      ).rows;
      if (!confirmed || !other) throw new Error('the storm left no rows to tamper with');
      expect(await readSeatLedger(client, world.journeyId)).toMatchObject({
        soldTwice: [],
        confirmedMismatch: [],
      });
      await client.query('drop index seat_assignments_live_seat_uidx');
      await client.query(
        `insert into seat_assignments (booking_id, passenger_id, journey_id, seat_id, status)
         values ($1, $2, $3, $4, 'PENDING')`,
        [other.booking_id, other.passenger_id, world.journeyId, confirmed.seat_id],
      );
      const [second] = (
        await client.query<{ booking_id: string }>(
          `select a.booking_id from seat_assignments a join bookings b on b.id = a.booking_id
            where b.status = 'CONFIRMED' and a.status = 'CONFIRMED' and a.booking_id <> $1
            limit 1`,
          [confirmed.booking_id],
        )
      ).rows;
      if (!second) throw new Error('the storm confirmed only one booking');
      await client.query(
        `update seat_assignments set status = 'CANCELLED' where id = (
           select min(id) from seat_assignments where booking_id = $1 and status = 'CONFIRMED')`,
        [second.booking_id],
      );
      const tampered = await readSeatLedger(client, world.journeyId);
      expect(tampered.soldTwice).toEqual([
        {
          seatId: Number(confirmed.seat_id),
          bookingIds: [Number(confirmed.booking_id), Number(other.booking_id)].sort(
            (a, b) => a - b,
          ),
        },
      ]);
      expect(tampered.confirmedMismatch.map((m) => m.bookingId)).toEqual([
        Number(second.booking_id),
      ]);
    } finally {
      await client.query('rollback');
      client.release();
    }
  });
});
