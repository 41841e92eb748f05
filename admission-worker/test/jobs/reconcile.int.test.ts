// Reconciling Redis inventory from PostgreSQL: from several workers at once on a schedule's
// behalf, and on demand through the command operators run.
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { inventoryKeys, markSeatsSold, returnSeats } from '@tatkal/booking-api/inventory';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { reconcileJourney, reconcileOnSale } from '../../src/jobs/index.ts';
import { confirmedBooking } from './support/bookings.ts';
import { inventoryViolations } from './support/checks.ts';
import { createJobsWorld, type JobsWorld } from './support/world.ts';

const command = fileURLToPath(new URL('../../src/jobs/reconcile.ts', import.meta.url));
const run = promisify(execFile);

let world: JobsWorld;
let sold: number[];
let free: number[];

beforeAll(async () => {
  world = await createJobsWorld();
  const seats = await world.seatIds('SL', 'TQ');
  sold = seats.slice(0, 6);
  free = seats.slice(6, 12);
  for (const seatId of sold) await confirmedBooking(world, 'SL', [seatId]);
  await world.rebuild();
});
afterAll(() => world.close());

/** Redis disagrees with PostgreSQL both ways: sold seats shown free, free seats shown sold. */
async function damage(): Promise<void> {
  await returnSeats(world.redis, world.prefix, world.journeyId, sold.slice(0, 3));
  await markSeatsSold(world.redis, world.prefix, world.journeyId, free.slice(0, 2));
  expect(await inventoryViolations(world)).toHaveLength(5);
}

async function cli(args: string[]) {
  const env = {
    ...process.env,
    DATABASE_URL: process.env.DATABASE_URL,
    REDIS_URL: process.env.REDIS_URL,
    REDIS_KEY_PREFIX: process.env.REDIS_KEY_PREFIX,
  };
  try {
    const { stdout, stderr } = await run(process.execPath, [command, ...args], { env });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

describe('reconcile', () => {
  it('repairs Redis from PostgreSQL from 4 workers at once', async () => {
    await damage();
    const results = await Promise.all(
      Array.from({ length: 4 }, () => reconcileOnSale(world.worker())),
    );
    expect(results.every((r) => r.journeys >= 1 && r.unsettled === 0)).toBe(true);
    expect(results.some((r) => r.rebuilt === 1)).toBe(true);
    expect(await inventoryViolations(world)).toEqual([]);
  });

  it('leaves an agreeing inventory alone unless forced', async () => {
    const quiet = await reconcileJourney(world.worker(), world.journeyId);
    expect(quiet.rebuilt).toBe(null);
    const forced = await reconcileJourney(world.worker(), world.journeyId, { force: true });
    expect(forced.rebuilt).toMatchObject({ sold: 6 });
  });

  it('rebuilds a journey whose inventory Redis lost entirely', async () => {
    const keys = inventoryKeys(world.prefix, world.journeyId);
    await world.redis.del(...Object.values(keys));
    const outcome = await reconcileJourney(world.worker(), world.journeyId);
    expect(outcome.before.mismatches.length).toBeGreaterThan(0);
    expect(outcome.after).toEqual({ mismatches: [], countMismatches: [] });
  });

  it('the command repairs on demand and reports before and after', async () => {
    await damage();
    const audit = await cli(['--journey', String(world.journeyId), '--audit-only']);
    expect(audit.code).toBe(1);
    expect(audit.stdout).toContain('audit: 5 seat mismatches');
    const repaired = await cli(['--journey', String(world.journeyId)]);
    expect(repaired.code).toBe(0);
    expect(repaired.stdout).toContain('audit before: 5 seat mismatches');
    expect(repaired.stdout).toContain('rebuilt from PostgreSQL');
    expect(repaired.stdout).toContain('audit after: 0 seat mismatches, 0 counter mismatches');
    expect(await inventoryViolations(world)).toEqual([]);
    const quiet = await cli(['--journey', String(world.journeyId)]);
    expect(quiet.code).toBe(0);
    expect(quiet.stdout).toContain('nothing rebuilt');
  }, 180_000);

  it('the command refuses bad usage with exit code 2', async () => {
    const cases = [[], ['--journey', 'x'], ['--journey', '0'], ['--bogus']];
    const results = await Promise.all(cases.map((args) => cli(args)));
    results.forEach((result, i) => {
      expect(result.code, cases[i]?.join(' ')).toBe(2);
      expect(result.stderr).toContain('usage');
    });
  }, 60_000);
});
