// An operator's drain: nobody new gets a place, everyone who has one keeps it
// and is admitted, and lifting the drain lets new visitors in again.
import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import {
  admitNextBatch,
  isRoomDraining,
  joinQueue,
  QueueError,
  setRoomDraining,
} from '../../src/queue/index.ts';
import { roomKeys } from '../../src/redis-keys.ts';

const redis = new Redis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379');
afterAll(() => redis.disconnect());

describe('draining a room', () => {
  it('refuses new visitors, keeps existing places, admits them, and reopens when lifted', async () => {
    // Read here, not at import: the file's own prefix is set in a beforeAll.
    const prefix = process.env.REDIS_KEY_PREFIX;
    if (!prefix) throw new Error('REDIS_KEY_PREFIX is not set: run as an integration test');
    const keys = roomKeys(prefix, 'drain-room');
    const join = (visitor: string) =>
      joinQueue(redis, keys, { visitor, nowMs: Date.now(), mode: 'fifo' });
    expect((await join('a')).number).toBe(1);
    expect((await join('b')).number).toBe(2);

    await setRoomDraining(redis, keys, true);
    expect(await isRoomDraining(redis, keys)).toBe(true);
    const refused = await join('c').catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(QueueError);
    expect((refused as QueueError).reason).toBe('Draining');
    // A visitor with a place gets it back, and nobody took number 3.
    expect(await join('b')).toEqual({ number: 2, created: false, status: 'waiting' });
    expect(await redis.get(keys.seq)).toBe('2');

    const admitted = await admitNextBatch(redis, keys, 5, {
      nowMs: Date.now(),
      abandonAfterMs: 60_000,
    });
    expect(admitted.admitted.map((entry) => entry.number)).toEqual([1, 2]);

    await setRoomDraining(redis, keys, false);
    expect(await isRoomDraining(redis, keys)).toBe(false);
    expect((await join('c')).number).toBe(3);
  });
});
