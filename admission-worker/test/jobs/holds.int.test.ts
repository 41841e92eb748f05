// Releasing expired holds from several workers at once: the sweep script drops each expired
// hold exactly once, live holds stay, and Redis agrees with PostgreSQL afterwards. The
// negative control counts what it saw due instead of what the script dropped, and the exact
// count catches it.
import { randomUUID } from 'node:crypto';
import { holdSeats, inventoryKeys, readHold } from '@tatkal/booking-api/inventory';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { type JobDeps, releaseExpiredHolds } from '../../src/jobs/index.ts';
import { barrier, countViolations, inventoryViolations } from './support/checks.ts';
import { createJobsWorld, type JobsWorld } from './support/world.ts';

const workers = 4;
const expiredCount = 60;
const liveCount = 10;

let world: JobsWorld;
const expired: string[] = [];
const live: string[] = [];

async function hold(seatId: number, nowMs: number, ttlMs: number): Promise<string> {
  const outcome = await holdSeats(world.redis, world.prefix, {
    journeyId: world.journeyId,
    request: { kind: 'seats', seatIds: [seatId] },
    holder: { subject: `s-${randomUUID()}`, tokenJti: randomUUID() },
    ttlMs,
    nowMs,
  });
  if (!outcome.ok) throw new Error(`hold refused: ${outcome.reason}`);
  return outcome.holdId;
}

beforeAll(async () => {
  world = await createJobsWorld();
  await world.rebuild();
  const seats = [...(await world.seatIds('SL', 'TQ')), ...(await world.seatIds('3A', 'TQ'))];
  expect(seats.length).toBeGreaterThanOrEqual(expiredCount + liveCount);
  const now = Date.now();
  for (const seatId of seats.slice(0, liveCount)) live.push(await hold(seatId, now, 600_000));
  // Made ten minutes ago with a one-minute hold: expired nine minutes ago.
  for (const seatId of seats.slice(liveCount, liveCount + expiredCount)) {
    expired.push(await hold(seatId, now - 600_000, 60_000));
  }
});
afterAll(() => world.close());

const expiriesKey = () => inventoryKeys(world.prefix, world.journeyId).expiries;

it('releases each expired hold exactly once from 4 workers at once, and keeps live holds', async () => {
  // Sweeping in small batches makes the workers interleave call by call.
  const results = await Promise.all(
    Array.from({ length: workers }, () => releaseExpiredHolds(world.worker(), { batch: 7 })),
  );
  const released = results.reduce((sum, r) => sum + r.released, 0);
  expect(countViolations('released', released, expiredCount)).toEqual([]);
  expect(await world.redis.zcard(expiriesKey())).toBe(liveCount);
  for (const holdId of live) {
    expect(await readHold(world.redis, world.prefix, world.journeyId, holdId, Date.now())).not.toBe(
      null,
    );
  }
  expect(await inventoryViolations(world)).toEqual([]);
  // Again: nothing left to release.
  const again = await Promise.all(
    Array.from({ length: workers }, () => releaseExpiredHolds(world.worker())),
  );
  expect(again.reduce((sum, r) => sum + r.released, 0)).toBe(0);
});

it('negative control: counting the holds seen due, not those dropped, over-reports and is caught', async () => {
  const seats = await world.seatIds('SL', 'TQ');
  const nowMs = Date.now();
  for (const seatId of seats.slice(-20)) await hold(seatId, nowMs - 600_000, 60_000);
  const arrive = barrier(workers);
  const results = await Promise.all(
    Array.from({ length: workers }, () => countSeenDue(world.worker(), arrive)),
  );
  const reported = results.reduce((sum, n) => sum + n, 0);
  expect(countViolations('released', reported, 20)).toEqual([
    `released: reported ${20 * workers}, expected 20`,
  ]);
});

/** Reads the due holds, waits for every worker to have read, then sweeps and reports what it read. */
async function countSeenDue(deps: JobDeps, arrive: () => Promise<void>): Promise<number> {
  const nowMs = deps.now();
  const due = await deps.redis.zrangebyscore(expiriesKey(), '-inf', nowMs);
  await arrive();
  await releaseExpiredHolds(deps);
  return due.length;
}
