// Active sessions and the mean session time come from real token lifetimes: tokens the
// booking API consumed and tokens that expired unused.
import { rooms } from '@tatkal/drizzle';
import { admissionJti, consumeAdmissionToken } from '@tatkal/waiting-room';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runTick, type TickDeps } from '../../src/ticks/run-tick.ts';
import { joinVisitors, openTestEnv, seedOpenRoom, type TestEnv, testTickDeps } from './fixtures.ts';

let env: TestEnv;
let roomId: string;
let clockMs = Date.now();
let deps: TickDeps;

beforeAll(async () => {
  env = openTestEnv();
  roomId = await seedOpenRoom(env.db, {
    minAdmitPerSecond: 60,
    maxAdmitPerSecond: 60,
    sessionSeconds: 60,
  });
  await joinVisitors(env.redis, env.prefix, roomId, 60);
  deps = testTickDeps(env, 'w', {
    // Moved by the test: sessions last tens of seconds.
    now: () => clockMs,
  });
});

afterAll(async () => {
  await env?.close();
});

async function tick() {
  const outcome = await runTick(deps, roomId);
  if (outcome.kind !== 'ran') throw new Error(`tick did not run: ${outcome.kind}`);
  return outcome.record;
}

describe('session signals', () => {
  it('count issued sessions until consumed or expired, and measure how long they lasted', async () => {
    const first = await tick();
    expect(first.batch.admitted).toBe(60);
    expect(first.inputs.sessions).toMatchObject({ active: 0, meanSessionSeconds: null });

    // 55 of them book 30 s later; their tokens are consumed.
    for (let number = 1; number <= 55; number++) {
      await consumeAdmissionToken(env.redis, env.prefix, {
        room: roomId,
        jti: admissionJti(roomId, number),
        exp: Math.floor(clockMs / 1000) + 86_400,
      });
    }
    clockMs += 30_000;
    const second = await tick();
    expect(second.inputs.sessions.active).toBe(5);
    // 55 ended, 30 s each.
    expect(second.inputs.sessions.meanSessionSeconds).toBe(30);

    // The other 5 never book: their sessions end when their tokens expire (60 s).
    clockMs += 31_000;
    const third = await tick();
    expect(third.inputs.sessions.active).toBe(0);
    // 55 x 30 s + 5 x 60 s over 60 sessions.
    expect(third.inputs.sessions.meanSessionSeconds).toBe(32.5);

    // Nothing ends twice.
    clockMs += 1_000;
    const fourth = await tick();
    expect(fourth.inputs.sessions).toMatchObject({ active: 0, meanSessionSeconds: 32.5 });
    await env.db.db.update(rooms).set({ status: 'closed' }).where(eq(rooms.id, roomId));
  });
});
