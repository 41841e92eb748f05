// Redis memory per waiting visitor: N visitors joined through the real
// joinQueue into one room under a fresh key prefix, measured as the growth of
// INFO used_memory, cross-checked by MEMORY USAGE of each of the room's keys.
// used_memory is server-wide, so other clients writing at the same time show
// up in it; the per-key sum cannot be disturbed that way.
import { randomBytes } from 'node:crypto';
import { joinQueue, roomKeyPattern, roomKeys } from '@tatkal/waiting-room';
import { Redis } from 'ioredis';
import { progress as defaultProgress, type Progress } from './cleanup.ts';
import { perItem } from './stats.ts';

export interface RedisMemoryReport {
  visitors: number;
  usedMemoryBefore: number;
  usedMemoryAfter: number;
  bytesPerVisitor: number | null;
  /** Sum of MEMORY USAGE (SAMPLES 0) over the room's keys / visitors. */
  keyBytesPerVisitor: number | null;
  byKey: Record<string, { bytes: number; encoding: string; length: number }>;
  joinSeconds: number;
}

async function usedMemory(redis: Redis): Promise<number> {
  const info = await redis.info('memory');
  const match = /^used_memory:(\d+)/m.exec(info);
  if (!match?.[1]) throw new Error('INFO memory has no used_memory');
  return Number(match[1]);
}

async function keyLength(redis: Redis, key: string, type: string): Promise<number> {
  if (type === 'hash') return redis.hlen(key);
  if (type === 'stream') return redis.xlen(key);
  if (type === 'zset') return redis.zcard(key);
  if (type === 'list') return redis.llen(key);
  return 1;
}

export async function measureRedisMemory(
  redisUrl: string,
  prefix: string,
  visitors: number,
  progress: Progress = defaultProgress,
): Promise<RedisMemoryReport> {
  const redis = new Redis(redisUrl);
  try {
    const roomId = 'bench-memory';
    const keys = roomKeys(prefix, roomId);
    // Load the scripts first, so the script cache is not counted per visitor.
    await joinQueue(redis, keys, {
      visitor: 'warmup-visitor-000000',
      nowMs: Date.now(),
      mode: 'fifo',
    });
    const warm = await redis.keys(roomKeyPattern(prefix, roomId));
    if (warm.length > 0) await redis.unlink(...warm);
    await new Promise((resolve) => setTimeout(resolve, 300));

    const before = await usedMemory(redis);
    const started = performance.now();
    const batch = 2_000;
    for (let first = 0; first < visitors; first += batch) {
      const nowMs = Date.now();
      const joins: Array<Promise<unknown>> = [];
      for (let i = first; i < Math.min(visitors, first + batch); i += 1) {
        // The same id shape as newVisitorId(): 16 random bytes, base64url.
        const visitor = randomBytes(16).toString('base64url');
        joins.push(joinQueue(redis, keys, { visitor, nowMs, mode: 'fifo' }));
      }
      await Promise.all(joins);
      if ((first / batch) % 10 === 9) progress(`redis memory: ${first + batch} visitors joined`);
    }
    const joinSeconds = (performance.now() - started) / 1000;
    // Let the server release the pipelined replies' buffers before reading.
    await new Promise((resolve) => setTimeout(resolve, 500));
    const after = await usedMemory(redis);

    const byKey: RedisMemoryReport['byKey'] = {};
    let keyBytes = 0;
    for (const key of (await redis.keys(roomKeyPattern(prefix, roomId))).sort()) {
      const bytes = Number(await redis.call('MEMORY', 'USAGE', key, 'SAMPLES', '0'));
      const type = await redis.type(key);
      const encoding = String(await redis.call('OBJECT', 'ENCODING', key));
      keyBytes += bytes;
      byKey[key.slice(key.lastIndexOf('}:') + 2)] = {
        bytes,
        encoding,
        length: await keyLength(redis, key, type),
      };
    }
    return {
      visitors,
      usedMemoryBefore: before,
      usedMemoryAfter: after,
      bytesPerVisitor: perItem(before, after, visitors),
      keyBytesPerVisitor: perItem(0, keyBytes, visitors),
      byKey,
      joinSeconds: Math.round(joinSeconds * 10) / 10,
    };
  } finally {
    redis.disconnect();
  }
}
