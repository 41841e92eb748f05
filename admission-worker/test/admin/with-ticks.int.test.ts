// The operator controls against real admission ticks (runTick, the production tick):
// what a tick records is what the admin API shows, and pause, the brake and a drain
// set through the admin API are obeyed by the next tick.
import { joinQueue, roomKeys } from '@tatkal/waiting-room';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runTick, type TickDeps } from '../../src/ticks/run-tick.ts';
import { joinVisitors, publishHealthyBooking, testTickDeps } from '../ticks/fixtures.ts';
import { type AdminWorld, adminWorld } from './support.ts';

let world: AdminWorld;
let deps: TickDeps;
let clockMs = 0;

beforeAll(async () => {
  world = await adminWorld();
  await joinVisitors(world.redis, world.prefix, 'demo', 200);
  clockMs = Date.now();
  deps = testTickDeps(world, 'worker-admin-test', { now: () => clockMs });
});
afterAll(() => world?.close());

async function tick() {
  clockMs += 1_000;
  await publishHealthyBooking(world.redis, world.prefix);
  const result = await runTick(deps, 'demo');
  if (result.kind !== 'ran') throw new Error(`tick did not run: ${result.kind}`);
  return result.record;
}

async function call(method: string, path: string, body?: unknown) {
  const response = await world.call(method, path, body === undefined ? {} : { body });
  const text = await response.text();
  expect(response.status, text).toBe(200);
  return JSON.parse(text);
}

describe('admin API with real ticks', () => {
  it('shows the records the ticks write, and the ticks obey pause, brake and bounds', async () => {
    await call('PATCH', '/admin/rooms/demo/bounds', { minPerSecond: 20, maxPerSecond: 20 });
    const first = await tick();
    expect(first.batch.admitted).toBe(20);
    const shown = await call('GET', '/admin/rooms/demo/decisions?count=1');
    expect(shown.decisions[0]).toMatchObject({
      fence: first.fence,
      batch: first.batch,
      workerId: 'worker-admin-test',
    });
    const live = await call('GET', '/admin/rooms/demo');
    expect(live.queue.admittedTotal).toBe(20);
    expect(live.decisions.at(-1).fence).toBe(first.fence);

    await call('POST', '/admin/rooms/demo/pause');
    const paused = await tick();
    expect(paused.decision.rule).toBe('paused');
    expect(paused.batch.admitted).toBe(0);

    await call('POST', '/admin/rooms/demo/resume');
    await call('PUT', '/admin/rooms/demo/brake', { on: true });
    const braked = await tick();
    expect(braked.decision.rule).toBe('emergency_brake');
    expect(braked.batch.admitted).toBe(0);
    await call('PUT', '/admin/rooms/demo/brake', { on: false });

    await call('PATCH', '/admin/rooms/demo/bounds', { minPerSecond: 5, maxPerSecond: 5 });
    expect((await tick()).batch.admitted).toBe(5);
  });

  it('keeps admitting the people already waiting while the room drains', async () => {
    await call('POST', '/admin/rooms/demo/drain');
    const keys = roomKeys(world.prefix, 'demo');
    await expect(
      joinQueue(world.redis, keys, { visitor: 'newcomer', nowMs: Date.now(), mode: 'fifo' }),
    ).rejects.toThrow(/draining/);
    const drained = await tick();
    expect(drained.batch.admitted).toBe(5);
    expect(drained.batch.firstNumber).toBe(26);
  });
});
