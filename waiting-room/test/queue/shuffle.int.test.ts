// Shuffle acceptance (DESIGN §8): with the pre-queue shuffle on, admission order equals the
// order anyone can re-derive from the published seed and join log; joins after sealing
// come after every pre-queue visitor; concurrent openers place each position exactly once.
import { randomBytes } from 'node:crypto';
import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  admitNextBatch,
  derivePrequeueOrder,
  fairnessDocument,
  joinQueue,
  openShuffledQueue,
  QueueError,
  type RedisLike,
  readPrequeueLog,
  readPrequeueOrder,
  readQueueState,
  registerQueueScripts,
  sealPrequeue,
  seedHash,
  verifyShuffle,
  visitorStanding,
} from '../../src/queue/index.ts';
import { type RoomKeys, roomKeys } from '../../src/redis-keys.ts';
import { type Clients, clusterClients, standaloneClients, testPrefix } from './clients.ts';

const t0 = 1_700_000_000_000;
const abandonAfterMs = 60_000;
let rooms = 0;

function newRoom(): RoomKeys {
  rooms += 1;
  return roomKeys(testPrefix(), `shuffle-${rooms}`);
}

/** Joins every visitor, spread over the clients in concurrent groups, some twice. */
async function joinAll(clients: RedisLike[], keys: RoomKeys, visitors: string[], nowMs: number) {
  for (let start = 0; start < visitors.length; start += 50) {
    const group = visitors.slice(start, start + 50);
    const retries = group.filter((_, i) => i % 7 === 0);
    const results = await Promise.all(
      [...group, ...retries].map((visitor, i) =>
        joinQueue(clients[i % clients.length] as RedisLike, keys, {
          visitor,
          nowMs,
          mode: 'fifo_shuffle',
        }),
      ),
    );
    expect(results.filter((result) => result.created)).toHaveLength(group.length);
  }
}

async function admitUntilEmpty(redis: RedisLike, keys: RoomKeys, nowMs: number): Promise<string[]> {
  const order: string[] = [];
  for (;;) {
    const batch = await admitNextBatch(redis, keys, 25, { nowMs, abandonAfterMs });
    expect(batch.skipped).toBe(0);
    order.push(...batch.admitted.map(({ visitor }) => visitor));
    if (batch.admitted.length < 25) return order;
  }
}

function shuffleSuite(name: string, connect: () => Promise<Clients>) {
  describe(name, () => {
    let clients: RedisLike[] = [];
    let close: () => Promise<void> = async () => {};
    beforeAll(async () => {
      ({ clients, close } = await connect());
    });
    afterAll(() => close());
    const first = () => clients[0] as RedisLike;

    it('admits the pre-queue in the order derived from the seed, then later joins in FIFO order', async () => {
      const keys = newRoom();
      const early = Array.from(
        { length: 300 },
        (_, i) => `early-${i}-${randomBytes(4).toString('hex')}`,
      );
      await joinAll(clients, keys, early, t0);
      expect(
        await joinQueue(first(), keys, {
          visitor: early[0] ?? '',
          nowMs: t0,
          mode: 'fifo_shuffle',
        }),
      ).toEqual({
        number: null,
        created: false,
        status: 'prequeue',
      });
      expect(await visitorStanding(first(), keys, early[1] ?? '')).toEqual({
        number: null,
        status: 'prequeue',
        admittedAtMs: null,
      });
      expect((await readQueueState(first(), keys)).prequeueCount).toBe(300);

      // Sealed but not yet placed: late joiners get numbers after the whole pre-queue, and
      // nobody is admitted ahead of it.
      expect(await sealPrequeue(first(), keys)).toBe(300);
      const late = Array.from({ length: 20 }, (_, i) => `late-${i}`);
      for (const [i, visitor] of late.entries()) {
        const joined = await joinQueue(first(), keys, {
          visitor,
          nowMs: t0 + 1000,
          mode: 'fifo_shuffle',
        });
        expect(joined).toEqual({ number: 301 + i, created: true, status: 'waiting' });
      }
      expect(
        await admitNextBatch(first(), keys, 25, { nowMs: t0 + 1000, abandonAfterMs }),
      ).toMatchObject({
        admitted: [],
        servedUpTo: 0,
      });

      // Two processes open the queue at once, with different chunk sizes.
      const seed = randomBytes(32).toString('hex');
      const opened = await Promise.all([
        openShuffledQueue(clients[0] as RedisLike, keys, seed, { nowMs: t0 + 2000, chunkSize: 37 }),
        openShuffledQueue(clients[1] as RedisLike, keys, seed, {
          nowMs: t0 + 2000,
          chunkSize: 64,
          expectedSeedHash: seedHash(seed),
        }),
      ]);
      expect(opened).toEqual([{ count: 300 }, { count: 300 }]);
      expect(await readQueueState(first(), keys)).toMatchObject({
        sealed: true,
        prequeueCount: 300,
        shuffleApplied: 300,
      });

      // Re-derived by anyone from the published seed and join log.
      const log = await readPrequeueLog(first(), keys, { pageSize: 64 });
      expect([...log].sort()).toEqual([...early].sort());
      const derived = derivePrequeueOrder(seed, log.length).map((index) => log[index] as string);
      expect(derived).not.toEqual(log);

      const standing = await visitorStanding(first(), keys, derived[41] ?? '');
      expect(standing).toEqual({ number: 42, status: 'waiting', admittedAtMs: null });
      expect(await readPrequeueOrder(first(), keys)).toEqual(derived);

      const admitted = await admitUntilEmpty(first(), keys, t0 + 30_000);
      expect(admitted).toEqual([...derived, ...late]);

      // The published document verifies, and keeps doing so once the queue has drained.
      const document = fairnessDocument({
        mode: 'fifo_shuffle',
        seed,
        seedHash: seedHash(seed),
        prequeueLog: await readPrequeueLog(first(), keys),
        prequeueOrder: await readPrequeueOrder(first(), keys),
      });
      expect(verifyShuffle({ ...document, seed, seedHash: seedHash(seed) }).ok).toBe(true);
    });

    it('fails the same check for a queue opened with another seed (the check is not vacuous)', async () => {
      const keys = newRoom();
      const early = Array.from({ length: 40 }, (_, i) => `early-${i}`);
      await joinAll(clients, keys, early, t0);
      await openShuffledQueue(first(), keys, 'the seed that was used', { nowMs: t0 });
      const log = await readPrequeueLog(first(), keys);
      const published = derivePrequeueOrder('the seed that was published', log.length).map(
        (i) => log[i],
      );
      expect(await admitUntilEmpty(first(), keys, t0)).not.toEqual(published);
    });

    it('places every position exactly once when four processes open at once', async () => {
      const keys = newRoom();
      const early = Array.from({ length: 500 }, (_, i) => `early-${i}`);
      await joinAll(clients, keys, early, t0);
      const seed = 'four openers';
      await Promise.all(
        [7, 13, 50, 1000].map((chunkSize, i) =>
          openShuffledQueue(clients[i % clients.length] as RedisLike, keys, seed, {
            nowMs: t0,
            chunkSize,
          }),
        ),
      );
      expect(await first().xlen(keys.shuffled)).toBe(500);
      const numbers = (await first().hmget(keys.visitors, ...early))
        .map(Number)
        .sort((a, b) => a - b);
      expect(numbers).toEqual(Array.from({ length: 500 }, (_, i) => i + 1));
      const log = await readPrequeueLog(first(), keys);
      expect(await readPrequeueOrder(first(), keys)).toEqual(
        derivePrequeueOrder(seed, 500).map((i) => log[i] as string),
      );
    });
  });
}

shuffleSuite('pre-queue shuffle on standalone Redis', () => standaloneClients());
shuffleSuite('pre-queue shuffle on a 3-master Redis Cluster', () => clusterClients());

describe('pre-queue guards', () => {
  let redis: Redis;
  let close: () => Promise<void> = async () => {};
  beforeAll(async () => {
    const connected = await standaloneClients(1);
    redis = connected.clients[0] as Redis;
    close = connected.close;
    registerQueueScripts(redis);
  });
  afterAll(() => close());

  const apply = (keys: RoomKeys, first: number, seed: string, visitors: string[]) =>
    redis.queueApplyShuffleChunk(
      keys.state,
      keys.shuffled,
      keys.visitors,
      keys.seen,
      first,
      t0,
      seedHash(seed),
      ...visitors,
    );

  it('refuses chunks out of turn, from another seed, past the end, before sealing, of strangers', async () => {
    const keys = newRoom();
    const early = Array.from({ length: 10 }, (_, i) => `early-${i}`);
    await joinAll([redis], keys, early, t0);
    expect(await apply(keys, 1, 's', ['early-0'])).toBe(-1); // NotSealed
    expect(await sealPrequeue(redis, keys)).toBe(10);
    expect(await sealPrequeue(redis, keys)).toBe(10); // idempotent
    const order = derivePrequeueOrder('s', 10).map((i) => early[i] as string);

    expect(await apply(keys, 4, 's', order.slice(3, 6))).toBe(-2); // ShuffleGap
    expect(await apply(keys, 9, 's', order.slice(8, 10).concat('extra'))).toBe(-3); // ShuffleOutOfRange
    expect(await apply(keys, 1, 's', ['stranger'])).toBe(-5); // NotInPrequeue
    expect(await apply(keys, 1, 's', order.slice(0, 3))).toBe(3);
    expect(await apply(keys, 1, 's', order.slice(0, 3))).toBe(3); // already applied: no-op
    expect(await apply(keys, 2, 's', order.slice(1, 5))).toBe(5); // overlapping: only the tail
    expect(await apply(keys, 6, 'another seed', order.slice(5, 10))).toBe(-4); // SeedMismatch
    expect(await redis.xlen(keys.shuffled)).toBe(5);

    // A crashed opener is finished by the next one.
    await openShuffledQueue(redis, keys, 's', { nowMs: t0, chunkSize: 2 });
    expect(await readPrequeueOrder(redis, keys)).toEqual(order);
    const refusal = openShuffledQueue(redis, keys, 'another seed', { nowMs: t0 });
    await expect(refusal).rejects.toBeInstanceOf(QueueError);
    await expect(refusal).rejects.toMatchObject({ reason: 'SeedMismatch', code: -4 });
    await expect(
      openShuffledQueue(redis, keys, 's', { nowMs: t0, expectedSeedHash: seedHash('published') }),
    ).rejects.toThrow(/does not match the published seed hash/);
  });

  it('gives numbers after the already-issued ones when plain FIFO joins came first', async () => {
    const keys = newRoom();
    await joinQueue(redis, keys, { visitor: 'fifo-1', nowMs: t0, mode: 'fifo' });
    await joinQueue(redis, keys, { visitor: 'fifo-2', nowMs: t0, mode: 'fifo' });
    await joinAll([redis], keys, ['early-0', 'early-1', 'early-2'], t0);
    await openShuffledQueue(redis, keys, 'base', { nowMs: t0 });
    await joinQueue(redis, keys, { visitor: 'late', nowMs: t0, mode: 'fifo_shuffle' });
    const order = derivePrequeueOrder('base', 3).map((i) => `early-${i}`);
    expect(await admitUntilEmpty(redis, keys, t0)).toEqual(['fifo-1', 'fifo-2', ...order, 'late']);
  });
});
