// Heartbeats: batched per process (one Redis write per room per flush, counted on the
// client), abandoned visitors skipped, returning visitors admitted first; and the memory
// a waiting visitor costs in Redis.
import { randomBytes, randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  admitNextBatch,
  HeartbeatBatcher,
  joinQueue,
  readQueueState,
  recordHeartbeats,
  visitorStanding,
} from '../../src/queue/index.ts';
import { type RoomKeys, roomKeys } from '../../src/redis-keys.ts';
import { testPrefix, testRedisUrl } from './clients.ts';

const t0 = 1_700_000_000_000;
let redis: Redis;
let rooms = 0;

function newRoom(): { id: string; keys: RoomKeys } {
  rooms += 1;
  const id = `heartbeats-${rooms}`;
  return { id, keys: roomKeys(testPrefix(), id) };
}

async function joinMany(
  keys: RoomKeys,
  count: number,
  nowMs: number,
  visitor = (i: number) => `v${i}`,
) {
  for (let start = 0; start < count; start += 1000) {
    await Promise.all(
      Array.from({ length: Math.min(1000, count - start) }, (_, i) =>
        joinQueue(redis, keys, { visitor: visitor(start + i), nowMs, mode: 'fifo' }),
      ),
    );
  }
}

beforeAll(() => {
  redis = new Redis(testRedisUrl());
});
afterAll(async () => {
  await redis.quit();
});

/**
 * A client that records every command it sends to Redis. (MONITOR would see the same
 * commands, but shares its output with every test file running at the time.)
 */
async function countingClient() {
  const client = new Redis(testRedisUrl());
  await client.ping();
  const sent: string[] = [];
  const send = client.sendCommand.bind(client);
  client.sendCommand = (...args: Parameters<Redis['sendCommand']>) => {
    sent.push(args[0].name);
    return send(...args);
  };
  return { client, sent };
}

describe('HeartbeatBatcher', () => {
  it('writes once per room per flush, however many polls it saw', async () => {
    const a = newRoom();
    const b = newRoom();
    await joinMany(a.keys, 200, t0);
    await joinMany(b.keys, 200, t0);
    let nowMs = t0;
    const { client, sent } = await countingClient();
    const batcher = new HeartbeatBatcher({
      redis: client,
      keysFor: (id) => roomKeys(testPrefix(), id),
      flushIntervalMs: 3_600_000,
      now: () => nowMs,
    });
    try {
      for (let poll = 0; poll < 5; poll += 1) {
        nowMs = t0 + poll * 7_000;
        for (let number = 1; number <= 200; number += 1) {
          batcher.touch(a.id, number);
          batcher.touch(b.id, number);
        }
      }
      expect(batcher.pendingCount).toBe(400);
      expect(sent).toEqual([]);
      await batcher.flush();
      expect(sent).toEqual(['evalsha', 'evalsha']); // one script call per room
      expect(batcher.pendingCount).toBe(0);
      const lastSeen = Math.floor((t0 + 4 * 7_000) / 1000);
      expect(new Set(Object.values(await redis.hgetall(a.keys.seen)))).toEqual(
        new Set([String(lastSeen)]),
      );
      expect(await redis.hlen(b.keys.seen)).toBe(200);

      // Negative control: the same counter sees every write of unbatched heartbeats.
      sent.length = 0;
      for (let number = 1; number <= 50; number += 1) {
        await recordHeartbeats(client, a.keys, [[number, lastSeen + 1]]);
      }
      expect(sent).toEqual(Array(50).fill('evalsha'));
    } finally {
      await batcher.stop();
      await client.quit();
    }
  });

  it('flushes on its own timer, and once more on stop; later touches are ignored', async () => {
    const room = newRoom();
    await joinMany(room.keys, 3, t0);
    const batcher = new HeartbeatBatcher({
      redis,
      keysFor: (id) => roomKeys(testPrefix(), id),
      flushIntervalMs: 20,
      now: () => t0 + 30_000,
    });
    batcher.touch(room.id, 1);
    await expect
      .poll(() => redis.hget(room.keys.seen, '1'), { timeout: 2_000 })
      .toBe(String((t0 + 30_000) / 1000));
    batcher.touch(room.id, 2);
    await batcher.stop();
    expect(await redis.hget(room.keys.seen, '2')).toBe(String((t0 + 30_000) / 1000));
    batcher.touch(room.id, 3);
    await batcher.flush();
    expect(await redis.hget(room.keys.seen, '3')).toBe(String(t0 / 1000));
  });

  it('reports a failed flush to onError, never rejects, and keeps the heartbeats for the next flush', async () => {
    const down = new Redis({
      port: 1,
      lazyConnect: true,
      enableOfflineQueue: false,
      maxRetriesPerRequest: 0,
    });
    down.on('error', () => {});
    const errors: string[] = [];
    const batcher = new HeartbeatBatcher({
      redis: down,
      keysFor: (id) => roomKeys(testPrefix(), id),
      flushIntervalMs: 3_600_000,
      onError: (_error, roomId) => errors.push(roomId),
    });
    batcher.touch('unreachable', 1);
    batcher.touch('unreachable', 2);
    await expect(batcher.flush()).resolves.toBeUndefined();
    expect(errors).toEqual(['unreachable']);
    expect(batcher.pendingCount).toBe(2);
    await batcher.stop();
    down.disconnect();
  });
});

describe('abandonment', () => {
  it('skips visitors not seen for abandonAfter, and admits a returning one first', async () => {
    const room = newRoom();
    await joinMany(room.keys, 10, t0);
    let nowMs = t0 + 50_000;
    const batcher = new HeartbeatBatcher({
      redis,
      keysFor: (id) => roomKeys(testPrefix(), id),
      flushIntervalMs: 3_600_000,
      now: () => nowMs,
    });
    // Everyone but 3 and 7 still polls 50 s after joining.
    for (const number of [1, 2, 4, 5, 6, 8, 9, 10]) batcher.touch(room.id, number);
    await batcher.flush();

    const options = { abandonAfterMs: 60_000 };
    const first = await admitNextBatch(redis, room.keys, 5, { ...options, nowMs: t0 + 70_000 });
    expect(first.admitted.map((a) => a.number)).toEqual([1, 2, 4, 5, 6]);
    expect(first).toMatchObject({ skipped: 1, servedUpTo: 6 });
    expect(await visitorStanding(redis, room.keys, 'v2')).toEqual({
      number: 3,
      status: 'skipped',
      admittedAtMs: null,
    });
    expect(
      await joinQueue(redis, room.keys, { visitor: 'v2', nowMs: t0 + 70_000, mode: 'fifo' }),
    ).toEqual({
      number: 3,
      created: false,
      status: 'skipped',
    });

    // Number 3 comes back; 7 never does.
    nowMs = t0 + 75_000;
    batcher.touch(room.id, 3);
    await batcher.flush();
    expect(await visitorStanding(redis, room.keys, 'v2')).toMatchObject({ status: 'returned' });

    const second = await admitNextBatch(redis, room.keys, 2, { ...options, nowMs: t0 + 76_000 });
    expect(second.admitted).toEqual([
      { number: 3, visitor: 'v2' },
      { number: 8, visitor: 'v7' },
    ]);
    expect(second).toMatchObject({ skipped: 1, servedUpTo: 8 });
    expect(await visitorStanding(redis, room.keys, 'v2')).toEqual({
      number: 3,
      status: 'admitted',
      admittedAtMs: t0 + 76_000,
    });
    expect(await visitorStanding(redis, room.keys, 'v6')).toMatchObject({
      number: 7,
      status: 'skipped',
    });
    expect(await visitorStanding(redis, room.keys, 'nobody')).toEqual({
      number: null,
      status: 'unknown',
      admittedAtMs: null,
    });

    const state = await readQueueState(redis, room.keys);
    expect(state).toMatchObject({
      servedUpTo: 8,
      lastNumber: 10,
      admittedTotal: 7,
      skippedTotal: 2,
      updatedMs: t0 + 76_000,
    });
    expect(state.recentBatches).toEqual([
      { atMs: t0 + 76_000, count: 2 },
      { atMs: t0 + 70_000, count: 5 },
    ]);
    await batcher.stop();
  });
});

describe('memory per waiting visitor', () => {
  const budgetBytes = 250;
  const visitors = 20_000;

  async function bytesPerWaitingVisitor(keys: RoomKeys): Promise<number> {
    let total = 0;
    for (const key of [keys.stream, keys.visitors, keys.seen, keys.seq, keys.state]) {
      total += Number((await redis.memory('USAGE', key, 'SAMPLES', 0)) ?? 0);
    }
    return total / visitors;
  }

  it.each([
    [
      '22-character base64url ids (the waiting room’s)',
      () => randomBytes(16).toString('base64url'),
    ],
    ['36-character UUIDs', () => randomUUID()],
  ])('stays within budget with %s, and is freed behind the pointer', async (label, newVisitor) => {
    const { keys } = newRoom();
    await joinMany(keys, visitors, t0, () => newVisitor());
    const bytes = await bytesPerWaitingVisitor(keys);
    console.info(`memory per waiting visitor, ${label}: ${bytes.toFixed(1)} bytes`);
    expect(bytes).toBeGreaterThan(100); // a measurement that reads nothing would pass any budget
    expect(bytes).toBeLessThanOrEqual(budgetBytes);

    const streamBefore = Number(await redis.memory('USAGE', keys.stream, 'SAMPLES', 0));
    const admitted = await admitNextBatch(redis, keys, visitors, {
      nowMs: t0,
      abandonAfterMs: 60_000,
    });
    expect(admitted.admitted).toHaveLength(visitors);
    const streamAfter = Number((await redis.memory('USAGE', keys.stream, 'SAMPLES', 0)) ?? 0);
    expect(streamAfter).toBeLessThan(streamBefore / 100);
    expect(await redis.exists(keys.seen)).toBe(0);
  });
});
