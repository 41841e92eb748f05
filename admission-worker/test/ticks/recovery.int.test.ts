// A worker killed between admitting and recording must not leave a hole in the audit: the
// next holder of the room's lock records the dead tick's batch from what it staged.
import { admitNextBatch, roomKeys } from '@tatkal/waiting-room';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { initialControllerState } from '../../src/controller/index.ts';
import { tickKeys } from '../../src/ticks/keys.ts';
import type { PendingTick } from '../../src/ticks/pending-tick.ts';
import { runTick } from '../../src/ticks/run-tick.ts';
import { registerTickScripts } from '../../src/ticks/scripts.ts';
import { acquireTickLock } from '../../src/ticks/tick-lock.ts';
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
let roomId: string;

beforeAll(async () => {
  env = openTestEnv();
  roomId = await seedOpenRoom(env.db, { minAdmitPerSecond: 20, maxAdmitPerSecond: 20 });
  await joinVisitors(env.redis, env.prefix, roomId, 100);
});

afterAll(async () => {
  await env?.close();
});

describe('a tick that dies after admitting', () => {
  it('has its batch recorded by the next holder, before the holder’s own', async () => {
    const keys = tickKeys(env.prefix, roomId);
    // What a dying worker did: locked, staged, admitted under its fence, then nothing.
    const lease = await acquireTickLock(env.redis, keys, 'dying', 200, Date.now());
    if (!lease) throw new Error('lock not taken');
    const pending: PendingTick = {
      fence: lease.fence,
      workerId: 'dying',
      atMs: lease.acquiredMs,
      inputs: {} as PendingTick['inputs'],
      decision: {
        admit: 20,
        ratePerSecond: 20,
        activeSessionCap: 100_000,
        rule: 'operator_max',
        reason: 'operator max 20/s',
      },
      // What the dying tick's decide() returned: the controller running at the operator's 20/s.
      controllerState: initialControllerState({
        bounds: { minPerSecond: 20, maxPerSecond: 20 },
      } as Parameters<typeof initialControllerState>[0]),
      servedBefore: 0,
      admittedBefore: 0,
      skippedBefore: 0,
    };
    await registerTickScripts(env.redis).tickStage(
      keys.lock,
      keys.state,
      lease.token,
      JSON.stringify(pending),
    );
    const batch = await admitNextBatch(env.redis, roomKeys(env.prefix, roomId), 20, {
      nowMs: lease.acquiredMs,
      abandonAfterMs: 60_000,
      fence: { key: keys.lock, token: lease.token },
    });
    expect(batch.admitted).toHaveLength(20);
    for (let i = 0; i < 100 && (await env.redis.exists(keys.lock)) === 1; i++) {
      await new Promise((resolve) => setTimeout(resolve, 10));
    }

    const outcome = await runTick(testTickDeps(env, 'survivor'), roomId);
    expect(outcome.kind).toBe('ran');
    if (outcome.kind !== 'ran') return;
    expect(outcome.recovered?.batch).toEqual({
      firstNumber: 1,
      lastNumber: 20,
      admitted: 20,
      skipped: 0,
    });
    expect(outcome.record.batch.firstNumber).toBe(21);

    const records = await readAllDecisions(env.redis, env.prefix, roomId);
    expect(records.map((r) => [r.record.fence, r.record.workerId])).toEqual([
      [lease.fence, 'dying (recorded by survivor after it stopped)'],
      [outcome.record.fence, 'survivor'],
    ]);
    expect(tickRecordViolations(records)).toEqual([]);
    const admitted = await admittedNumbers(env.redis, env.prefix, roomId);
    expect(admitted.size).toBe(20 + outcome.record.batch.admitted);
  });
});
