// Three real admission-worker processes serve one room's ticks; one is SIGKILLed mid-run.
// No tick of the room may run twice at once, nobody may be admitted twice or out of order,
// and admission must go on after the kill (acceptance point 3 of issue 5).
import { admissionBatches, rooms } from '@tatkal/drizzle';
import { readQueueState, roomKeys } from '@tatkal/waiting-room';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  isolatedServiceEnv,
  type ServiceProcess,
  spawnService,
  waitForListening,
} from '../../../infra/testing/service-process.ts';
import { flushRoomAudit } from '../../src/decisions/audit-flush.ts';
import {
  admittedNumbers,
  fifoInversions,
  joinVisitors,
  openTestEnv,
  rangeViolations,
  readAllDecisions,
  seedOpenRoom,
  type TestEnv,
  tickRecordViolations,
} from './fixtures.ts';

const visitors = 3_000;
let env: TestEnv;
let roomId: string;
const workers: ServiceProcess[] = [];

beforeAll(async () => {
  env = openTestEnv();
  // Ticks every 100 ms at a pinned 400/s (40 a tick): contention between the three
  // processes is high and the run short.
  roomId = await seedOpenRoom(env.db, {
    tickIntervalMs: 100,
    minAdmitPerSecond: 400,
    maxAdmitPerSecond: 400,
  });
  await joinVisitors(env.redis, env.prefix, roomId, visitors);
});

afterAll(async () => {
  for (const worker of workers) if (worker.child.exitCode === null) worker.child.kill('SIGKILL');
  await env?.close();
});

async function until(condition: () => Promise<boolean>, what: string): Promise<void> {
  for (let i = 0; i < 1_500; i++) {
    if (await condition()) return;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  throw new Error(`timed out waiting until ${what}`);
}

const admittedCount = () => env.redis.hlen(`${env.prefix}:wr:v1:{room:${roomId}}:admitted`);

describe('three admission-worker processes on one room', () => {
  it('never overlap a tick, admit everyone once and in order, and go on after one is killed', async () => {
    for (const id of ['w1', 'w2', 'w3']) {
      workers.push(
        spawnService('admission-worker', {
          ...isolatedServiceEnv(),
          WORKER_ID: id,
          LOG_LEVEL: 'info',
          // A killed worker's lock holds the room up for at most this long.
          TICK_LOCK_TTL_MS: '1000',
          ROOM_REFRESH_MS: '300',
          AUDIT_FLUSH_MS: '300',
        }),
      );
    }
    await Promise.all(workers.map((worker) => waitForListening(worker, 30_000)));

    // Mid-run: kill the worker that recorded the latest tick (it is in the thick of it).
    await until(async () => (await admittedCount()) >= visitors / 3, 'a third admitted');
    const latest = (await readAllDecisions(env.redis, env.prefix, roomId)).at(-1);
    const victimIndex = ['w1', 'w2', 'w3'].indexOf(latest?.record.workerId ?? 'w1');
    const victim = workers[victimIndex];
    if (!victim) throw new Error('no worker to kill');
    const admittedAtKill = await admittedCount();
    victim.child.kill('SIGKILL');
    expect(await victim.exited).toBe('SIGKILL');
    const killedAtMs = Date.now();

    await until(async () => (await admittedCount()) === visitors, 'everyone admitted');
    const survivors = workers.filter((worker) => worker !== victim);
    for (const worker of survivors) worker.child.kill('SIGTERM');
    expect(await Promise.all(survivors.map((worker) => worker.exited))).toEqual([0, 0]);
    // Whatever the survivors' last flush left, and the victim's share: the stream has it all.
    const audit = { redis: env.redis, db: env.db.db, prefix: env.prefix };
    while ((await flushRoomAudit(audit, roomId, 500)).read > 0) {}

    const records = await readAllDecisions(env.redis, env.prefix, roomId);
    expect(tickRecordViolations(records)).toEqual([]);
    const byWorker = (id: string) => records.filter((r) => r.record.workerId.startsWith(id));
    const victimId = ['w1', 'w2', 'w3'][victimIndex] ?? '';
    // Every process ran ticks of the room, and the survivors admitted after the kill.
    for (const id of ['w1', 'w2', 'w3']) expect(byWorker(id).length).toBeGreaterThan(0);
    const afterKill = records.filter(
      (r) => r.record.atMs > killedAtMs && r.record.batch.admitted > 0,
    );
    expect(afterKill.length).toBeGreaterThan(0);
    expect(afterKill.every((r) => !r.record.workerId.startsWith(victimId))).toBe(true);
    expect(admittedAtKill).toBeLessThan(visitors);

    // Everyone admitted exactly once (the admitted hash has one field per number), in order.
    const admitted = await admittedNumbers(env.redis, env.prefix, roomId);
    expect(admitted.size).toBe(visitors);
    expect(Math.min(...admitted.keys())).toBe(1);
    expect(Math.max(...admitted.keys())).toBe(visitors);
    expect(fifoInversions(admitted)).toBe(0);
    // The hash keeps one field per number; the totals count admissions, so a second
    // admission of anyone would show here.
    const state = await readQueueState(env.redis, roomKeys(env.prefix, roomId));
    expect(state.admittedTotal).toBe(visitors);
    expect(records.reduce((total, r) => total + r.record.batch.admitted, 0)).toBe(visitors);

    // The audit: one row per recorded tick, ranges contiguous from 1 to the last visitor.
    const rows = await env.db.db
      .select()
      .from(admissionBatches)
      .where(eq(admissionBatches.roomId, roomId));
    expect(rows).toHaveLength(records.length);
    expect(rangeViolations(rows)).toEqual([]);
    const ranged = rows.filter((row) => row.firstNumber !== null);
    expect(Math.min(...ranged.map((row) => row.firstNumber ?? 0))).toBe(1);
    expect(Math.max(...ranged.map((row) => row.lastNumber ?? 0))).toBe(visitors);
    expect(rows.reduce((total, row) => total + row.admittedCount, 0)).toBe(visitors);
    expect(new Set(rows.map((row) => (row.decision as { fence: number }).fence)).size).toBe(
      rows.length,
    );
    await env.db.db.update(rooms).set({ status: 'closed' }).where(eq(rooms.id, roomId));
  }, 90_000);
});
