// A room's tick lock: one holder at a time, each acquisition with a new, strictly increasing
// fencing token. The lock only keeps honest workers apart; what makes a stale holder harmless
// (one paused past its TTL, then resumed) is that every step that changes state checks the
// token atomically with the change: admitNextBatch's fence, stage-tick and record-tick.
import type { TickKeys } from './keys.ts';
import { type RedisLike, registerTickScripts } from './scripts.ts';

export interface TickLease {
  fence: number;
  /** The lock's value "<fence>:<worker>"; fenced steps compare the lock key against it. */
  token: string;
  /** Epoch ms the lock was taken. */
  acquiredMs: number;
}

/** Takes the room's tick lock, or null when another tick of the room holds it. */
export async function acquireTickLock(
  redis: RedisLike,
  keys: TickKeys,
  workerId: string,
  ttlMs: number,
  nowMs: number,
): Promise<TickLease | null> {
  const [fence, token] = await registerTickScripts(redis).tickAcquireLock(
    keys.lock,
    keys.fence,
    workerId,
    ttlMs,
  );
  if (fence === 0 || typeof token !== 'string') return null;
  return { fence, token, acquiredMs: nowMs };
}

/** Releases the lock if still held by this lease; true when it was. */
export async function releaseTickLock(
  redis: RedisLike,
  keys: TickKeys,
  lease: TickLease,
): Promise<boolean> {
  return (await registerTickScripts(redis).tickReleaseLock(keys.lock, lease.token)) === 1;
}
