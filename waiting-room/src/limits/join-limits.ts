import { readFileSync } from 'node:fs';
import type { Cluster, Redis, Result } from 'ioredis';
import type { RoomKeys } from '../redis-keys.ts';

const takeJoinTokensLua = readFileSync(
  new URL('../lua/take-join-tokens.lua', import.meta.url),
  'utf8',
);

declare module 'ioredis' {
  interface RedisCommander<Context> {
    takeJoinTokens(
      numKeys: number,
      ...keysAndArgs: Array<string | number>
    ): Result<[allowed: number, retryAfterMs: number], Context>;
  }
}

export interface BucketLimit {
  burst: number;
  perMinute: number;
}

export interface JoinLimits {
  perIp: BucketLimit;
  perVisitor: BucketLimit;
}

export function registerLimitScripts(redis: Redis | Cluster): void {
  // defineCommand is per client; defining twice would only repeat the work.
  if (typeof (redis as { takeJoinTokens?: unknown }).takeJoinTokens !== 'function') {
    redis.defineCommand('takeJoinTokens', { lua: takeJoinTokensLua });
  }
}

/**
 * Takes a join token from the client address's bucket and the visitor's
 * bucket at once. Returns 0 when allowed, else the milliseconds to wait.
 * A limit with burst 0 is off.
 */
export async function takeJoinTokens(
  redis: Redis | Cluster,
  keys: RoomKeys,
  input: { ip: string; visitor: string; nowMs: number; limits: JoinLimits },
): Promise<number> {
  const buckets: Array<[string, BucketLimit]> = [];
  if (input.limits.perIp.burst > 0)
    buckets.push([keys.joinLimitByIp(input.ip), input.limits.perIp]);
  if (input.limits.perVisitor.burst > 0) {
    buckets.push([keys.joinLimitByVisitor(input.visitor), input.limits.perVisitor]);
  }
  if (buckets.length === 0) return 0;
  const [allowed, retryAfterMs] = await redis.takeJoinTokens(
    buckets.length,
    ...buckets.map(([key]) => key),
    input.nowMs,
    ...buckets.flatMap(([, limit]) => [limit.burst, limit.perMinute]),
  );
  return allowed === 1 ? 0 : retryAfterMs;
}
