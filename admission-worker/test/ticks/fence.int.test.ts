// The tick lock keeps honest workers apart; the fence makes a stale one harmless. A worker
// that takes the lock, pauses past its TTL (a GC pause, a stopped VM) and resumes after
// another worker ran the room's tick must change nothing. Negative control: with the fence
// checks switched off, the same interleaving double-runs the tick and the checks catch it.
import { rooms } from '@tatkal/drizzle';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tickKeys } from '../../src/ticks/keys.ts';
import { runTick, type TickDeps, type TickOutcome } from '../../src/ticks/run-tick.ts';
import { acquireTickLock, releaseTickLock } from '../../src/ticks/tick-lock.ts';
import {
  admittedNumbers,
  joinVisitors,
  openTestEnv,
  readAllDecisions,
  seedOpenRoom,
  type TestEnv,
  testTickDeps,
  tickRecordViolations,
} from './fixtures.ts';

let env: TestEnv;

beforeAll(async () => {
  env = openTestEnv();
  await seedOpenRoom(env.db, { minAdmitPerSecond: 20, maxAdmitPerSecond: 20 });
  // A second room like the first, so each case starts from an untouched queue.
  const [demo] = await env.db.db.select().from(rooms).where(eq(rooms.id, 'demo'));
  if (!demo) throw new Error('demo room not seeded');
  await env.db.db.insert(rooms).values({ ...demo, id: 'demo-unfenced', name: 'unfenced copy' });
  await joinVisitors(env.redis, env.prefix, 'demo', 100);
  await joinVisitors(env.redis, env.prefix, 'demo-unfenced', 100);
});

afterAll(async () => {
  await env?.close();
});

function tickDeps(workerId: string, overrides: Partial<TickDeps> = {}): TickDeps {
  return testTickDeps(env, workerId, overrides);
}

async function until(condition: () => Promise<boolean>): Promise<void> {
  for (let i = 0; i < 400; i++) {
    if (await condition()) return;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error('condition not met');
}

/**
 * Worker "stale" takes the lock (short TTL) and pauses just before admitting; once its lock
 * has expired, worker "fresh" runs the room's tick; then "stale" resumes.
 */
async function staleWorkerInterleaving(roomId: string, fencing: boolean) {
  let paused = false;
  let resume: () => void = () => {};
  const resumed = new Promise<void>((resolve) => {
    resume = resolve;
  });
  const stale = runTick(
    tickDeps('stale', {
      lockTtlMs: 200,
      fencing,
      beforeAdmit: async () => {
        paused = true;
        await resumed;
      },
    }),
    roomId,
  );
  await until(async () => paused);
  const lockKey = tickKeys(env.prefix, roomId).lock;
  await until(async () => (await env.redis.exists(lockKey)) === 0);
  const fresh = await runTick(tickDeps('fresh', { fencing }), roomId);
  resume();
  const staleOutcome: TickOutcome = await stale;
  return {
    fresh,
    stale: staleOutcome,
    records: await readAllDecisions(env.redis, env.prefix, roomId),
    admitted: await admittedNumbers(env.redis, env.prefix, roomId),
  };
}

describe('the tick lock and its fence', () => {
  it('lets one holder in at a time, each with a larger fence, and releases only its own lock', async () => {
    const keys = tickKeys(env.prefix, 'lock-only');
    const first = await acquireTickLock(env.redis, keys, 'w1', 60_000, Date.now());
    expect(first).not.toBeNull();
    expect(await acquireTickLock(env.redis, keys, 'w2', 60_000, Date.now())).toBeNull();
    if (!first) return;
    expect(await releaseTickLock(env.redis, keys, first)).toBe(true);
    const second = await acquireTickLock(env.redis, keys, 'w2', 60_000, Date.now());
    expect(second?.fence).toBeGreaterThan(first.fence);
    // The first holder's lease is gone: releasing it again must not free the second's lock.
    expect(await releaseTickLock(env.redis, keys, first)).toBe(false);
    expect(await env.redis.get(keys.lock)).toBe(second?.token);
  });

  it('refuses a stale holder that resumes after another worker ran the tick', async () => {
    const run = await staleWorkerInterleaving('demo', true);
    expect(run.fresh.kind).toBe('ran');
    expect(run.stale).toEqual({ kind: 'fence_lost', step: 'admit' });
    // One tick ran, one batch was admitted, one record written.
    expect(run.records.map((r) => r.record.workerId)).toEqual(['fresh']);
    expect(run.admitted.size).toBe(20);
    expect(tickRecordViolations(run.records)).toEqual([]);
  });

  it('negative control: without the fence the stale holder double-runs the tick, and the checks catch it', async () => {
    const run = await staleWorkerInterleaving('demo-unfenced', false);
    expect(run.fresh.kind).toBe('ran');
    expect(run.stale.kind).toBe('ran');
    // Two batches for one tick interval.
    expect(run.admitted.size).toBe(40);
    const violations = tickRecordViolations(run.records);
    expect(violations.some((v) => v.includes('started while'))).toBe(true);
    expect(violations.some((v) => v.includes('recorded after'))).toBe(true);
  });
});
