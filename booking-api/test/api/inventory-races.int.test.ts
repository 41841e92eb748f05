// Interleavings the booking storm (storm.int.test.ts) hits on a loaded
// machine, each forced here through the real HTTP flow by running the expiry
// sweep (or a payment) at the one moment it matters. In each, a Redis write
// follows a PostgreSQL change that another flow has overtaken meanwhile. The
// first two leave a seat sold in Redis that PostgreSQL has released, so nobody
// can hold it until a rebuild; the third used to leave a confirmed seat free
// in Redis, so others held it and were refused only at commit.
//
// The first two are KNOWN BUGS, pinned so a fix shows up as a failure here
// (the periodic and start-up reconcile repairs them, a re-check would prevent
// them). The third is fixed: a seat return re-checks PostgreSQL afterwards
// and re-marks as sold what a payment or promotion took meanwhile.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBooking } from '../../src/bookings/index.ts';
import { sweepUnpaidBookings } from '../../src/expiry/booking-expiry.ts';
import { auditInventory, markHoldBooked } from '../../src/inventory/index.ts';
import { signWebhook } from '../../src/payments/index.ts';
import { pause } from '../bookings/support.ts';
import { type BookingWorld, createBookingWorld, webhookSecret } from '../support/booking-world.ts';

const paymentWindowMs = 1_000;
let world: BookingWorld;
/** Runs once, just before the next inventory script of that name. */
const before: Record<string, (() => Promise<void>) | undefined> = {};

beforeAll(async () => {
  world = await createBookingWorld({
    paymentWindowMs,
    wrapRedis: (redis) =>
      new Proxy(redis, {
        get(target, property) {
          const value: unknown = Reflect.get(target, property, target);
          if (typeof value !== 'function') return value;
          const hook = typeof property === 'string' ? property : '';
          if (!hook.startsWith('inventory')) return value.bind(target);
          return async (...args: unknown[]) => {
            const run = before[hook];
            before[hook] = undefined;
            await run?.();
            return (value as (...a: unknown[]) => unknown).apply(target, args);
          };
        },
      }),
  });
});
afterAll(async () => {
  await world?.close();
});

async function freeSeat(offset: number): Promise<number> {
  const result = await world.deps.db.pool.query<{ id: string }>(
    `select id from seats where journey_id = $1 and class_code = '3A' and quota = 'TQ'
      order by id offset $2 limit 1`,
    [world.journeyId, offset],
  );
  return Number(result.rows[0]?.id);
}

const passenger = { name: 'Race Case', age: 41, gender: 'F' as const, berthPreference: null };

/** What the inventory audit says about one seat. */
async function audit(seatId: number) {
  const { mismatches } = await auditInventory(
    world.deps.db.db,
    world.deps.redis,
    world.deps.prefix,
    world.journeyId,
    Date.now(),
  );
  return mismatches.filter((mismatch) => mismatch.seatId === seatId);
}

describe('KNOWN BUG: Redis sold, PostgreSQL free', () => {
  it('a booking that expires between its commit and the sealing of its hold', async () => {
    const token = await world.token('race-seal');
    const seatId = await freeSeat(0);
    const held = await world.call(
      'POST',
      '/v1/holds',
      token,
      { journeyId: world.journeyId, classCode: '3A', quota: 'TQ', seatIds: [seatId] },
      { 'idempotency-key': 'race-seal-hold' },
    );
    expect(held.status).toBe(201);
    // The commit is slow (pool and lock waits under load; expires_at counts from the
    // request's start): by the time bookHold seals the hold, the window is over and the
    // sweep has expired the booking and returned its seats.
    let swept = 0;
    before.inventoryMarkHoldBooked = async () => {
      await pause(paymentWindowMs + 100)();
      swept = await sweepUnpaidBookings(world.deps);
    };
    const booked = await world.call(
      'POST',
      '/v1/bookings',
      token,
      { holdId: held.body.holdId, passengers: [passenger] },
      { 'idempotency-key': 'race-seal-book' },
    );
    expect(booked.status).toBe(201);
    expect(swept).toBe(1);
    expect((await world.call('GET', `/v1/bookings/${booked.body.pnr}`, token)).body.status).toBe(
      'EXPIRED',
    );
    expect(await audit(seatId)).toEqual([{ seatId, redis: 'sold', postgres: 'free' }]);
  });

  it("a refused commit's repair of Redis, after the booking that refused it expired", async () => {
    const seatId = await freeSeat(1);
    // Another booking has the seat in PostgreSQL, and Redis has not caught up yet (its hold
    // ran out just before it committed; the refused commit below is what repairs that).
    const first = await createBooking(
      { db: world.deps.db.db },
      {
        journeyId: world.journeyId,
        roomId: world.roomId,
        subject: 'race-first',
        tokenJti: 'race-first-jti',
        classCode: '3A',
        quota: 'TQ',
        seatIds: [seatId],
        holdId: 'race-first-hold',
        passengers: [passenger],
        paymentWindowMs,
        nowMs: Date.now(),
      },
    );
    const token = await world.token('race-repair');
    const held = await world.call(
      'POST',
      '/v1/holds',
      token,
      { journeyId: world.journeyId, classCode: '3A', quota: 'TQ', seatIds: [seatId] },
      { 'idempotency-key': 'race-repair-hold' },
    );
    expect(held.status).toBe(201);
    // PostgreSQL refuses the seat; before the repair reaches Redis, the first booking expires.
    let swept = 0;
    before.inventoryMarkSeatsSold = async () => {
      await pause(Math.max(0, (first.expiresAt?.getTime() ?? 0) - Date.now()) + 50)();
      swept = await sweepUnpaidBookings(world.deps);
    };
    const refused = await world.call(
      'POST',
      '/v1/bookings',
      token,
      { holdId: held.body.holdId, passengers: [passenger] },
      { 'idempotency-key': 'race-repair-book' },
    );
    expect(refused.status).toBe(409);
    expect(refused.body.code).toBe('seat_unavailable');
    expect(swept).toBe(1);
    expect(await audit(seatId)).toEqual([{ seatId, redis: 'sold', postgres: 'free' }]);
  });
});

describe('a seat return overtaken by a late payment', () => {
  it('leaves the seat the payment took back sold in Redis', async () => {
    const token = await world.token('race-late');
    const seatId = await freeSeat(2);
    const held = await world.call(
      'POST',
      '/v1/holds',
      token,
      { journeyId: world.journeyId, classCode: '3A', quota: 'TQ', seatIds: [seatId] },
      { 'idempotency-key': 'race-late-hold' },
    );
    const booked = await world.call(
      'POST',
      '/v1/bookings',
      token,
      { holdId: held.body.holdId, passengers: [passenger] },
      { 'idempotency-key': 'race-late-book' },
    );
    expect(booked.status).toBe(201);
    const [row] = (
      await world.deps.db.pool.query<{ id: string; total_paise: number }>(
        'select id, total_paise from bookings where pnr = $1',
        [booked.body.pnr],
      )
    ).rows;
    await pause(paymentWindowMs + 100)();
    // The expiry has committed; before it returns the seats to Redis, the payment lands,
    // finds the seats free in PostgreSQL and takes them back (CONFIRMED).
    let outcome: unknown;
    before.inventoryReturnSeats = async () => {
      const event = JSON.stringify({
        id: 'evt-race-late',
        type: 'payment.succeeded',
        paymentRef: 'ref-race-late',
        bookingId: Number(row?.id),
        pnr: booked.body.pnr,
        amountPaise: row?.total_paise,
        occurredAt: new Date().toISOString(),
      });
      const delivered = await fetch(`${world.url}/v1/payments/webhook`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'tatkal-signature': signWebhook(webhookSecret, event, Math.floor(Date.now() / 1000)),
        },
        body: event,
      });
      outcome = ((await delivered.json()) as { outcome?: unknown }).outcome;
    };
    expect(await sweepUnpaidBookings(world.deps)).toBe(1);
    expect(outcome).toBe('confirmed');
    expect((await world.call('GET', `/v1/bookings/${booked.body.pnr}`, token)).body.status).toBe(
      'CONFIRMED',
    );
    // The return freed the seat in Redis, then re-checked PostgreSQL and sold it again.
    expect(await audit(seatId)).toEqual([]);
  });
});

describe('a booking retried after its booking ended', () => {
  it('does not sell the seats of an expired booking again', async () => {
    const token = await world.token('race-retry-after-expiry');
    const seatId = await freeSeat(3);
    const held = await world.call(
      'POST',
      '/v1/holds',
      token,
      { journeyId: world.journeyId, classCode: '3A', quota: 'TQ', seatIds: [seatId] },
      { 'idempotency-key': 'retry-after-expiry-hold' },
    );
    const book = (key: string) =>
      world.call(
        'POST',
        '/v1/bookings',
        token,
        { holdId: held.body.holdId, passengers: [passenger] },
        { 'idempotency-key': key },
      );
    const first = await book('retry-after-expiry-book-1');
    expect(first.status).toBe(201);
    await pause(paymentWindowMs + 100)();
    expect(await sweepUnpaidBookings(world.deps)).toBe(1);
    expect(await audit(seatId)).toEqual([]);

    // A client that never saw the first answer retries with a new key: it gets its booking,
    // now EXPIRED, and the seat stays free in Redis as in PostgreSQL.
    const retried = await book('retry-after-expiry-book-2');
    expect(retried.status).toBe(201);
    expect(retried.body).toMatchObject({ pnr: first.body.pnr, status: 'EXPIRED' });
    expect(await audit(seatId)).toEqual([]);

    // Negative control: what the flow did before (sealing the hold again) is what the audit sees.
    const [hold] = String(held.body.holdId).split('.').slice(1);
    await markHoldBooked(
      world.deps.redis,
      world.deps.prefix,
      world.journeyId,
      hold ?? '',
      [seatId],
      Date.now(),
      {
        holder: { subject: 'race-retry-after-expiry', tokenJti: 'race-retry-after-expiry' },
      },
    );
    expect(await audit(seatId)).toEqual([{ seatId, redis: 'sold', postgres: 'free' }]);
  });
});
