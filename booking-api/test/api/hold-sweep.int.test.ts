// Expired holds are dropped by the service's periodic sweep (sweepServedJourneys on the
// expiry timer), not by the next hold: a hold settles only the seats it looks at, so an
// expired hold elsewhere keeps its record, token link and counter until the sweep runs.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { sweepServedJourneys } from '../../src/flows/index.ts';
import { holdSeats, inventoryKeys } from '../../src/inventory/index.ts';
import { type BookingWorld, createBookingWorld } from '../support/booking-world.ts';

const tatkalHoldTtlMs = 300_000;
let world: BookingWorld;

beforeAll(async () => {
  world = await createBookingWorld({ tatkalHoldTtlMs });
});
afterAll(async () => {
  await world?.close();
});

it('drops expired holds of served journeys; a later hold elsewhere does not', async () => {
  const keys = inventoryKeys(world.deps.prefix, world.journeyId);
  const token = await world.token('sweep-visitor');
  const held = await world.call(
    'POST',
    '/v1/holds',
    token,
    {
      journeyId: world.journeyId,
      classCode: 'SL',
      quota: 'TQ',
      berths: { count: 2, preferences: [null, null] },
    },
    { 'idempotency-key': 'sweep-hold' },
  );
  expect(held.status).toBe(201);
  const heldCount = async () => Number(await world.deps.redis.hget(keys.counts, 'SL|TQ:held'));
  expect(await heldCount()).toBe(2);
  expect(await sweepServedJourneys(world.deps)).toBe(0);

  const later = { ...world.deps, now: () => Date.now() + tatkalHoldTtlMs + 1_000 };
  // Another visitor's hold in another class after the expiry: nothing of the old hold goes.
  const other = await holdSeats(world.deps.redis, world.deps.prefix, {
    journeyId: world.journeyId,
    request: {
      kind: 'berths',
      classCode: '3A',
      quota: 'TQ',
      count: 1,
      preferences: [null],
    },
    holder: { subject: 'sweep-other', tokenJti: 'sweep-other-jti' },
    ttlMs: tatkalHoldTtlMs * 10,
    nowMs: later.now(),
  });
  expect(other.ok).toBe(true);
  expect(await world.deps.redis.hlen(keys.holds)).toBe(2);
  expect(await heldCount()).toBe(2);

  expect(await sweepServedJourneys(later)).toBe(1);
  expect(await world.deps.redis.hlen(keys.holds)).toBe(1);
  expect(await heldCount()).toBe(0);
  expect(await world.deps.redis.hget(keys.counts, '3A|TQ:held')).toBe('1');
  expect(await sweepServedJourneys(later)).toBe(0);
});
