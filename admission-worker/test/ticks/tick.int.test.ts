// A tick admits through the waiting room's admitNextBatch and records its inputs, decision
// and batch to the room's decision stream and, flushed, to PostgreSQL's admission_batches.
import { admissionBatches } from '@tatkal/drizzle';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { flushRoomAudit } from '../../src/decisions/audit-flush.ts';
import { runTick, type TickDeps } from '../../src/ticks/run-tick.ts';
import { RoomRows } from '../../src/ticks/tick-room.ts';
import {
  admittedNumbers,
  joinVisitors,
  openTestEnv,
  publishHealthyBooking,
  rangeViolations,
  readAllDecisions,
  seedOpenRoom,
  type TestEnv,
  testTickDeps,
} from './fixtures.ts';

let env: TestEnv;
let deps: TickDeps;
let roomId: string;
// The ticks' clock, moved one tick interval between ticks: a tick's admissions cover the time
// since the previous one.
let clockMs = 0;

beforeAll(async () => {
  env = openTestEnv();
  // Pinned by the operator's bounds (max outranks everything but pause and the brake), so
  // each tick's batch size is known: 50/s over a one-second first tick.
  roomId = await seedOpenRoom(env.db, { minAdmitPerSecond: 50, maxAdmitPerSecond: 50 });
  await joinVisitors(env.redis, env.prefix, roomId, 120);
  clockMs = Date.now();
  deps = testTickDeps(env, 'worker-a', { now: () => clockMs });
});

afterAll(async () => {
  await env?.close();
});

describe('an admission tick', () => {
  it('admits the next FIFO batch and records it to the stream and, flushed, to PostgreSQL', async () => {
    await publishHealthyBooking(env.redis, env.prefix);
    const first = await runTick(deps, roomId);
    expect(first.kind).toBe('ran');
    if (first.kind !== 'ran') return;
    expect(first.record.decision.admit).toBe(50);
    expect(first.record.batch).toEqual({
      firstNumber: 1,
      lastNumber: 50,
      admitted: 50,
      skipped: 0,
    });
    expect(first.record.inputs.queue.waiting).toBe(120);
    expect(first.record.inputs.booking.commitP95Ms).toBe(20);
    expect(first.record.inputs.database.activeSessions).not.toBeNull();
    expect(first.record.inputs.sessions.active).toBe(0);

    clockMs += 1_000;
    const second = await runTick(deps, roomId);
    expect(second.kind).toBe('ran');
    if (second.kind !== 'ran') return;
    // The sessions the first tick opened are active now.
    expect(second.record.inputs.sessions.active).toBe(50);
    expect(second.record.fence).toBeGreaterThan(first.record.fence);
    const secondBatch = second.record.batch;
    expect(secondBatch).toEqual({ firstNumber: 51, lastNumber: 100, admitted: 50, skipped: 0 });

    const admitted = await admittedNumbers(env.redis, env.prefix, roomId);
    expect(admitted.size).toBe(50 + secondBatch.admitted);
    expect([...admitted.keys()].sort((a, b) => a - b)).toEqual(
      Array.from({ length: admitted.size }, (_, i) => i + 1),
    );

    const stream = await readAllDecisions(env.redis, env.prefix, roomId);
    expect(stream.map((e) => e.record.fence)).toEqual([first.record.fence, second.record.fence]);
    // (Not the overlap check: this test's clock is not the Redis clock that stamps records.)
    expect(rangeViolations(stream.map((e) => e.record.batch))).toEqual([]);

    expect(await flushRoomAudit(deps, roomId, 100)).toEqual({ read: 2, inserted: 2 });
    // Flushing again copies nothing twice.
    expect((await flushRoomAudit(deps, roomId, 100)).inserted).toBe(0);
    const rows = await env.db.db
      .select()
      .from(admissionBatches)
      .where(eq(admissionBatches.roomId, roomId))
      .orderBy(admissionBatches.id);
    expect(rows.map((r) => [r.firstNumber, r.lastNumber, r.admittedCount, r.workerId])).toEqual([
      [1, 50, 50, 'worker-a'],
      [51, secondBatch.lastNumber, secondBatch.admitted, 'worker-a'],
    ]);
    expect(rows[0]?.decision).toMatchObject({ fence: first.record.fence, decision: { admit: 50 } });
  });

  it('admits nobody while the room is paused, and still records the decision', async () => {
    const { rooms } = await import('@tatkal/drizzle');
    await env.db.db.update(rooms).set({ status: 'paused' }).where(eq(rooms.id, roomId));
    const before = await admittedNumbers(env.redis, env.prefix, roomId);
    clockMs += 1_000;
    const paused = await runTick(deps, roomId);
    expect(paused.kind).toBe('ran');
    if (paused.kind !== 'ran') return;
    expect(paused.record.decision.rule).toBe('paused');
    expect(paused.record.decision.reason).toBe('room paused by the operator');
    expect(paused.record.batch).toEqual({
      firstNumber: null,
      lastNumber: null,
      admitted: 0,
      skipped: 0,
    });
    expect((await admittedNumbers(env.redis, env.prefix, roomId)).size).toBe(before.size);
    await env.db.db.update(rooms).set({ status: 'open' }).where(eq(rooms.id, roomId));
  });

  it('admits nobody before the sale opens, and says so rather than blaming an operator', async () => {
    const { rooms } = await import('@tatkal/drizzle');
    const [row] = await env.db.db.select().from(rooms).where(eq(rooms.id, roomId));
    if (!row) throw new Error('room missing');
    clockMs += 1_000;
    // On its schedule, in the quarter hour before the sale: visitors may wait, nobody is admitted.
    await env.db.db
      .update(rooms)
      .set({
        status: 'scheduled',
        prequeueOpensAt: new Date(clockMs - 60_000),
        saleOpensAt: new Date(clockMs + 60_000),
      })
      .where(eq(rooms.id, roomId));
    const before = await admittedNumbers(env.redis, env.prefix, roomId);
    try {
      const early = await runTick(deps, roomId);
      expect(early.kind).toBe('ran');
      if (early.kind !== 'ran') return;
      expect(early.record.decision.rule).toBe('paused');
      expect(early.record.decision.reason).toBe('room is pre-queue: only an open sale admits');
      expect(early.record.batch.admitted).toBe(0);
      expect((await admittedNumbers(env.redis, env.prefix, roomId)).size).toBe(before.size);
    } finally {
      await env.db.db
        .update(rooms)
        .set({
          status: row.status,
          prequeueOpensAt: row.prequeueOpensAt,
          saleOpensAt: row.saleOpensAt,
        })
        .where(eq(rooms.id, roomId));
    }
  });

  it('keeps ticking on the room row it read last while PostgreSQL is stuck, and sees the lock waits', async () => {
    const stuckDeps: TickDeps = {
      ...deps,
      roomRows: new RoomRows({ timeoutMs: 300, maxAgeMs: 30_000 }),
    };
    clockMs += 1_000;
    expect((await runTick(stuckDeps, roomId)).kind).toBe('ran');
    // Another session holds the rooms table: every read of it waits on the lock.
    const blocker = await env.db.pool.connect();
    try {
      await blocker.query('begin');
      await blocker.query('lock table rooms in access exclusive mode');
      clockMs += 1_000;
      const stuck = await runTick(stuckDeps, roomId);
      expect(stuck.kind).toBe('ran');
      if (stuck.kind !== 'ran') return;
      expect(stuck.record.inputs.database.lockWaits).toBeGreaterThanOrEqual(1);
    } finally {
      await blocker.query('rollback');
      blocker.release();
    }
  });
});
