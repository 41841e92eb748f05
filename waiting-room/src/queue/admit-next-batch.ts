import type { RoomKeys } from '../redis-keys.ts';
import {
  assertCount,
  failOnErrorCode,
  type RedisLike,
  registerQueueScripts,
  unexpectedReply,
} from './scripts.ts';

export interface AdmitResult {
  /** In admission order: visitors who came back first, then by queue number. */
  admitted: Array<{ number: number; visitor: string }>;
  /** How many were passed over as abandoned by this call. */
  skipped: number;
  servedUpTo: number;
}

export interface AdmitOptions {
  nowMs: number;
  /** A visitor not seen for longer than this is skipped instead of admitted. */
  abandonAfterMs: number;
  /** Queue entries examined at most (default max(4n, 1000)), bounding the script's run time. */
  maxScan?: number;
  /**
   * Admit only while `key` still holds `token` (a lock holder's fencing token), checked in the
   * same atomic script: a caller whose lock expired or moved on admits nobody and gets a
   * QueueError with reason FenceLost. `key` must share the room's hash tag.
   */
  fence?: { key: string; token: string };
}

/** Batches kept in the admission log: two minutes of one-second ticks. */
export const admissionLogLength = 120;

/**
 * Admits up to `n` visitors in one atomic script (src/lua/admit-next-batch.lua):
 * skipped visitors who came back first, then forward from the pointer in queue
 * order, skipping the abandoned. Safe to call from any number of workers at once.
 */
export async function admitNextBatch(
  redis: RedisLike,
  keys: RoomKeys,
  n: number,
  options: AdmitOptions,
): Promise<AdmitResult> {
  assertCount('n', n);
  assertCount('nowMs', options.nowMs);
  assertCount('abandonAfterMs', options.abandonAfterMs);
  const maxScan = options.maxScan ?? Math.max(4 * n, 1000);
  assertCount('maxScan', maxScan);
  registerQueueScripts(redis);
  const reply = await redis.queueAdmitNextBatch(
    keys.state,
    keys.stream,
    keys.shuffled,
    keys.seen,
    keys.admitted,
    keys.skipped,
    keys.returned,
    keys.admissionLog,
    options.fence?.key ?? keys.state,
    n,
    options.nowMs,
    options.abandonAfterMs,
    maxScan,
    admissionLogLength,
    options.fence?.token ?? '',
  );
  failOnErrorCode('admit-next-batch', reply);
  return parseAdmitReply(reply);
}

function parseAdmitReply(reply: unknown): AdmitResult {
  if (!Array.isArray(reply) || reply.length < 2 || reply.length % 2 !== 0) {
    throw unexpectedReply('admit-next-batch', reply);
  }
  const [servedUpTo, skipped] = reply;
  if (typeof servedUpTo !== 'number' || typeof skipped !== 'number') {
    throw unexpectedReply('admit-next-batch', reply);
  }
  const admitted: AdmitResult['admitted'] = [];
  for (let i = 2; i < reply.length; i += 2) {
    const number: unknown = reply[i];
    const visitor: unknown = reply[i + 1];
    if (typeof number !== 'number' || typeof visitor !== 'string') {
      throw unexpectedReply('admit-next-batch', reply);
    }
    admitted.push({ number, visitor });
  }
  return { admitted, skipped, servedUpTo };
}
