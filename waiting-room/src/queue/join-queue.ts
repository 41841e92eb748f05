import { z } from 'zod';
import type { RoomKeys } from '../redis-keys.ts';
import {
  assertCount,
  failOnErrorCode,
  type QueueMode,
  type RedisLike,
  registerQueueScripts,
  unexpectedReply,
} from './scripts.ts';

export interface JoinResult {
  /** Null while waiting in a shuffled pre-queue that has not opened yet. */
  number: number | null;
  /** False when the visitor already had a place and got it back. */
  created: boolean;
  status: 'waiting' | 'prequeue' | 'admitted' | 'skipped';
}

const joinReply = z.tuple([
  z.number().int().nonnegative(),
  z.union([z.literal(0), z.literal(1)]),
  z.enum(['waiting', 'prequeue', 'admitted', 'skipped']),
]);

/**
 * Gives the visitor a place in the room's queue, or back the place it already has
 * (one atomic script, src/lua/join-queue.lua). A returning waiting visitor also
 * counts as seen alive.
 */
export async function joinQueue(
  redis: RedisLike,
  keys: RoomKeys,
  input: { visitor: string; nowMs: number; mode: QueueMode },
): Promise<JoinResult> {
  if (input.visitor.length === 0) throw new RangeError('visitor must not be empty');
  assertCount('nowMs', input.nowMs);
  registerQueueScripts(redis);
  const reply = await redis.queueJoin(
    keys.visitors,
    keys.state,
    keys.seq,
    keys.stream,
    keys.seen,
    keys.prequeueLog,
    keys.admitted,
    keys.skipped,
    input.visitor,
    input.nowMs,
    input.mode,
  );
  failOnErrorCode('join-queue', reply);
  const parsed = joinReply.safeParse(reply);
  if (!parsed.success) throw unexpectedReply('join-queue', reply);
  const [number, created, status] = parsed.data;
  return { number: number === 0 ? null : number, created: created === 1, status };
}
