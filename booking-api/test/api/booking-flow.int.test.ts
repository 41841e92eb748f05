// The whole booking path over real sockets: availability, hold, book, pay via
// the simulator's signed webhook, confirmed; then the audits of PostgreSQL and
// of Redis against PostgreSQL find nothing wrong.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditBookings } from '../../src/bookings/index.ts';
import { auditInventory } from '../../src/inventory/index.ts';
import { type BookingWorld, createBookingWorld } from '../support/booking-world.ts';

let world: BookingWorld;
beforeAll(async () => {
  world = await createBookingWorld();
});
afterAll(async () => {
  await world.close();
});

const passengers = [
  { name: 'Asha Verma', age: 34, gender: 'F', berthPreference: 'LB' },
  { name: 'Ravi Verma', age: 36, gender: 'M', berthPreference: null },
];

async function until<T>(probe: () => Promise<T | undefined>, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const value = await probe();
    if (value !== undefined) return value;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`timed out; payment deliveries: ${JSON.stringify(world.deliveries)}`);
}

describe('booking flow', () => {
  it('holds, books, pays through the signed webhook and confirms; the token is then used up', async () => {
    const token = await world.token('visitor-1');
    const availability = await world.call(
      'GET',
      `/v1/journeys/${world.journeyId}/availability`,
      token,
    );
    expect(availability.status).toBe(200);
    const pools = availability.body.pools as Array<{
      classCode: string;
      quota: string;
      free: number;
    }>;
    const slTatkal = pools.find((pool) => pool.classCode === 'SL' && pool.quota === 'TQ');
    expect(slTatkal?.free).toBeGreaterThan(2);

    const hold = await world.call(
      'POST',
      '/v1/holds',
      token,
      {
        journeyId: world.journeyId,
        classCode: 'SL',
        quota: 'TQ',
        berths: { count: 2, preferences: ['LB', null] },
      },
      { 'idempotency-key': 'hold-1' },
    );
    expect(hold.status).toBe(201);
    expect(hold.body.seats).toHaveLength(2);
    // A retried request with the same key returns the same hold.
    const again = await world.call(
      'POST',
      '/v1/holds',
      token,
      {
        journeyId: world.journeyId,
        classCode: 'SL',
        quota: 'TQ',
        berths: { count: 2, preferences: ['LB', null] },
      },
      { 'idempotency-key': 'hold-1' },
    );
    expect(again.body.holdId).toBe(hold.body.holdId);

    const booking = await world.call(
      'POST',
      '/v1/bookings',
      token,
      { holdId: hold.body.holdId, passengers },
      { 'idempotency-key': 'book-1' },
    );
    expect(booking.status, JSON.stringify(booking.body)).toBe(201);
    expect(booking.body).toMatchObject({ status: 'PENDING_PAYMENT' });
    const pnr = String(booking.body.pnr);
    expect(pnr).toMatch(/^[1-9][0-9]{9}$/);
    expect(world.scheduled.at(-1)?.atMs).toBeGreaterThan(Date.now());

    const pay = await world.call('POST', `/v1/bookings/${pnr}/pay`, token, undefined, {
      'idempotency-key': 'pay-1',
    });
    expect(pay.status).toBe(202);

    const confirmed = await until(async () => {
      const view = await world.call('GET', `/v1/bookings/${pnr}`, token);
      return view.body.status === 'CONFIRMED' ? view.body : undefined;
    });
    expect(confirmed.seats).toHaveLength(2);

    // The admission is used up: the same token books nothing more, but still reads its booking.
    const after = await world.call('GET', `/v1/journeys/${world.journeyId}/availability`, token);
    expect(after.status).toBe(403);
    expect(after.body.code).toBe('token_consumed');
    expect((await world.call('GET', `/v1/bookings/${pnr}`, token)).status).toBe(200);

    expect(await auditBookings(world.deps.db.db, world.journeyId)).toEqual([]);
    const audit = await auditInventory(
      world.deps.db.db,
      world.deps.redis,
      world.deps.prefix,
      world.journeyId,
      Date.now(),
    );
    expect(audit.mismatches).toEqual([]);
  });

  it('refuses requests without a token, or outside its scope', async () => {
    const none = await world.call('GET', `/v1/journeys/${world.journeyId}/availability`, null);
    expect(none.status).toBe(401);
    expect(none.body.code).toBe('token_missing');
    const acOnly = await world.token('visitor-2', { classes: ['3A'] });
    const outside = await world.call(
      'POST',
      '/v1/holds',
      acOnly,
      {
        journeyId: world.journeyId,
        classCode: 'SL',
        quota: 'TQ',
        berths: { count: 1, preferences: [null] },
      },
      { 'idempotency-key': 'scope-1' },
    );
    expect(outside.status).toBe(403);
    expect(outside.body.code).toBe('token_scope');
  });

  it('gives a seat taken meanwhile a 409 that offers the waitlist', async () => {
    const first = await world.token('visitor-3');
    const second = await world.token('visitor-4');
    const held = await world.call(
      'POST',
      '/v1/holds',
      first,
      {
        journeyId: world.journeyId,
        classCode: '3A',
        quota: 'TQ',
        berths: { count: 1, preferences: [null] },
      },
      { 'idempotency-key': 'h-3' },
    );
    const seatId = (held.body.seats as Array<{ seatId: number }>)[0]?.seatId;
    const taken = await world.call(
      'POST',
      '/v1/holds',
      second,
      { journeyId: world.journeyId, classCode: '3A', quota: 'TQ', seatIds: [seatId] },
      { 'idempotency-key': 'h-4' },
    );
    expect(taken.status).toBe(409);
    expect(taken.body).toMatchObject({ code: 'seat_unavailable', waitlist: { offered: true } });
  });

  it.each(['PT', 'GN'])(
    'offers no waitlist when a %s seat is taken: only Tatkal has one',
    async (quota) => {
      const scope = { quotas: [quota] };
      const first = await world.token(`visitor-${quota}-1`, scope);
      const second = await world.token(`visitor-${quota}-2`, scope);
      const pool = { journeyId: world.journeyId, classCode: 'SL', quota };
      const held = await world.call(
        'POST',
        '/v1/holds',
        first,
        { ...pool, berths: { count: 1, preferences: [null] } },
        { 'idempotency-key': `h-${quota}-1` },
      );
      expect(held.status, JSON.stringify(held.body)).toBe(201);
      const seatId = (held.body.seats as Array<{ seatId: number }>)[0]?.seatId;
      const taken = await world.call(
        'POST',
        '/v1/holds',
        second,
        { ...pool, seatIds: [seatId] },
        { 'idempotency-key': `h-${quota}-2` },
      );
      expect(taken.status).toBe(409);
      expect(taken.body).toMatchObject({ code: 'seat_unavailable', waitlist: { offered: false } });
      // And the waitlist itself refuses the quota, so offering it would lead nowhere.
      const join = await world.call(
        'POST',
        '/v1/waitlist',
        second,
        {
          ...pool,
          passengers: [{ name: 'Asha Verma', age: 34, gender: 'F', berthPreference: null }],
        },
        { 'idempotency-key': `w-${quota}` },
      );
      expect(join.body).toMatchObject({ code: 'waitlist_not_offered' });
    },
  );

  it('answers a second hold with 409 hold_exists naming the live hold, which can then be released', async () => {
    const token = await world.token('visitor-5');
    const request = {
      journeyId: world.journeyId,
      classCode: 'SL',
      quota: 'TQ',
      berths: { count: 1, preferences: [null] },
    };
    const held = await world.call('POST', '/v1/holds', token, request, {
      'idempotency-key': 'h-5',
    });
    expect(held.status).toBe(201);
    // A page that lost the hold (its storage cleared) asks again under a new key.
    const lost = await world.call('POST', '/v1/holds', token, request, {
      'idempotency-key': 'h-5-lost',
    });
    expect(lost.status).toBe(409);
    expect(lost.body).toMatchObject({ code: 'hold_exists', hold: held.body });
    const released = await world.call(
      'DELETE',
      `/v1/holds/${encodeURIComponent(String((lost.body.hold as { holdId: string }).holdId))}`,
      token,
    );
    expect(released.status).toBe(204);
    const again = await world.call('POST', '/v1/holds', token, request, {
      'idempotency-key': 'h-5-again',
    });
    expect(again.status).toBe(201);
  });
});
