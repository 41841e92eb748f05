import type { RoomKeys } from '../redis-keys.ts';
import {
  assertCount,
  failOnErrorCode,
  type RedisLike,
  registerQueueScripts,
  unexpectedReply,
} from './scripts.ts';

/** Pairs per script call: bounds how long one call keeps Redis busy. */
export const heartbeatsPerScript = 10_000;

export interface HeartbeatOutcome {
  /** Waiting visitors whose last-seen time moved forward. */
  refreshed: number;
  /** Skipped visitors who came back (admitted first at the next batch). */
  returned: number;
}

/**
 * Records the queue numbers seen alive, as [number, epoch seconds] pairs, in one
 * script call per room (per 10,000 pairs): src/lua/record-heartbeats.lua.
 */
export async function recordHeartbeats(
  redis: RedisLike,
  keys: RoomKeys,
  seen: ReadonlyArray<readonly [number: number, atSec: number]>,
): Promise<HeartbeatOutcome> {
  const outcome: HeartbeatOutcome = { refreshed: 0, returned: 0 };
  if (seen.length === 0) return outcome;
  registerQueueScripts(redis);
  for (let start = 0; start < seen.length; start += heartbeatsPerScript) {
    const pairs: number[] = [];
    for (const [number, atSec] of seen.slice(start, start + heartbeatsPerScript)) {
      assertCount('queue number', number);
      assertCount('seen-at seconds', atSec);
      pairs.push(number, atSec);
    }
    const reply = await redis.queueRecordHeartbeats(
      keys.state,
      keys.seq,
      keys.seen,
      keys.skipped,
      keys.returned,
      ...pairs,
    );
    failOnErrorCode('record-heartbeats', reply);
    if (!Array.isArray(reply) || typeof reply[0] !== 'number' || typeof reply[1] !== 'number') {
      throw unexpectedReply('record-heartbeats', reply);
    }
    outcome.refreshed += reply[0];
    outcome.returned += reply[1];
  }
  return outcome;
}
