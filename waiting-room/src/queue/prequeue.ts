// The optional pre-queue shuffle (DESIGN §3, docs/shuffle.md): visitors who join before
// the sale opens wait in an arrival-ordered join log; at opening the log is sealed, its
// order derived from the seed, and the visitors are placed in chunks.
import type { RoomKeys } from '../redis-keys.ts';
import { seedHash } from './fairness.ts';
import {
  assertCount,
  failOnErrorCode,
  type RedisLike,
  registerQueueScripts,
  unexpectedReply,
} from './scripts.ts';
import { derivePrequeueOrder } from './shuffle-order.ts';

/**
 * Freezes the pre-queue join log and reserves queue numbers for its visitors;
 * later joins queue behind them. Returns the pre-queue's size P. Idempotent.
 */
export async function sealPrequeue(redis: RedisLike, keys: RoomKeys): Promise<number> {
  registerQueueScripts(redis);
  const reply = await redis.queueSealPrequeue(keys.state, keys.seq, keys.prequeueLog);
  if (typeof reply !== 'number' || reply < 0) throw unexpectedReply('seal-prequeue', reply);
  return reply;
}

export interface ReadPrequeueLogOptions {
  /** Entries per XRANGE (default 1000). */
  pageSize?: number;
  /** Read at most this many (default: all, or P once sealed). */
  limit?: number;
}

/** Visitor ids of the pre-queue join log in arrival order (the published join log). */
export async function readPrequeueLog(
  redis: RedisLike,
  keys: RoomKeys,
  options: ReadPrequeueLogOptions = {},
): Promise<string[]> {
  const pageSize = options.pageSize ?? 1000;
  if (!Number.isSafeInteger(pageSize) || pageSize < 1)
    throw new RangeError('pageSize must be >= 1');
  let limit = options.limit ?? Number.POSITIVE_INFINITY;
  const [sealed, count] = await redis.hmget(keys.state, 'sealed', 'prequeueCount');
  if (sealed === '1') limit = Math.min(limit, Number(count ?? 0));

  const visitors: string[] = [];
  // Entry ids are "<arrival>-0", arrival = 1, 2, ...
  while (visitors.length < limit) {
    const want = Math.min(pageSize, limit - visitors.length);
    const page = await redis.xrange(
      keys.prequeueLog,
      `${visitors.length + 1}-0`,
      '+',
      'COUNT',
      want,
    );
    for (const [, fields] of page) {
      const visitor = fields[1];
      if (fields[0] !== 'v' || visitor === undefined)
        throw unexpectedReply('xrange prequeue-log', fields);
      visitors.push(visitor);
    }
    if (page.length < want) break;
  }
  return visitors;
}

/**
 * Visitor ids of the shuffled pre-queue in queue-number order, as placed in Redis (read
 * from the visitors hash, which outlives the trimmed `shuffled` stream). Only placed
 * positions are listed: all P once the queue is open.
 */
export async function readPrequeueOrder(redis: RedisLike, keys: RoomKeys): Promise<string[]> {
  const log = await readPrequeueLog(redis, keys);
  const placed: Array<{ number: number; visitor: string }> = [];
  for (let start = 0; start < log.length; start += 1000) {
    const page = log.slice(start, start + 1000);
    const numbers = await redis.hmget(keys.visitors, ...page);
    page.forEach((visitor, i) => {
      const number = Number(numbers[i]);
      if (Number.isSafeInteger(number) && number > 0) placed.push({ number, visitor });
    });
  }
  return placed.sort((a, b) => a.number - b.number).map(({ visitor }) => visitor);
}

export interface OpenShuffledQueueOptions {
  nowMs: number;
  /** Visitors placed per script call (default 1000). */
  chunkSize?: number;
  /** The seed hash published before opening; refuses a seed that does not match it. */
  expectedSeedHash?: string;
}

/**
 * Opens a shuffled pre-queue: seals it, derives the order from `seed` and places the
 * visitors chunk by chunk. Safe to call from many processes at once, and to call again
 * after a crash: chunks apply in order and exactly once, whoever sends them.
 */
export async function openShuffledQueue(
  redis: RedisLike,
  keys: RoomKeys,
  seed: string,
  options: OpenShuffledQueueOptions,
): Promise<{ count: number }> {
  const chunkSize = options.chunkSize ?? 1000;
  if (!Number.isSafeInteger(chunkSize) || chunkSize < 1)
    throw new RangeError('chunkSize must be >= 1');
  assertCount('nowMs', options.nowMs);
  if (seed.length === 0) throw new RangeError('seed must not be empty');
  const hash = seedHash(seed);
  if (options.expectedSeedHash !== undefined && options.expectedSeedHash.toLowerCase() !== hash) {
    throw new RangeError('the seed does not match the published seed hash');
  }
  registerQueueScripts(redis);
  const count = await sealPrequeue(redis, keys);
  if (count === 0) return { count };
  const log = await readPrequeueLog(redis, keys, { limit: count });
  if (log.length !== count) {
    throw new Error(`pre-queue log holds ${log.length} visitors, sealed with ${count}`);
  }
  const order = derivePrequeueOrder(seed, count);

  let next = 1;
  while (next <= count) {
    const last = Math.min(next + chunkSize - 1, count);
    const visitors = order.slice(next - 1, last).map((index) => log[index] as string);
    const reply = await redis.queueApplyShuffleChunk(
      keys.state,
      keys.shuffled,
      keys.visitors,
      keys.seen,
      next,
      options.nowMs,
      hash,
      ...visitors,
    );
    failOnErrorCode('apply-shuffle-chunk', reply);
    if (typeof reply !== 'number' || reply < last)
      throw unexpectedReply('apply-shuffle-chunk', reply);
    // Another process may have placed more than this chunk already.
    next = reply + 1;
  }
  return { count };
}
