// The admission worker's own Redis keys for a room's ticks. They share the room's hash tag
// `{room:<id>}` with the waiting room's queue keys, so the fence check inside admitNextBatch
// and the tick scripts below each run in one Redis Cluster slot.
import { workerLayoutVersion } from '../decisions/record.ts';

export interface TickKeys {
  /** String "<fence>:<worker>" while a tick of the room runs (PX = lock TTL). */
  lock: string;
  /** Counter INCR'd by every acquisition: the fencing tokens, strictly increasing per room. */
  fence: string;
  /**
   * Hash carried between ticks: controller (state JSON), lastTickMs, recordedServed,
   * recordedAdmitted, recordedSkipped, endedCount and endedMs (sessions ended so far and
   * their summed lifetimes), and pending (the running tick's
   * inputs and decision, staged before it admits, so a successor can record a crashed tick).
   */
  state: string;
  /** Sorted set of admitted sessions not yet ended: member token jti, score admitted-at ms. */
  openSessions: string;
  /** Sorted set of per-tick points "<atMs>:<endedCount>:<endedMs>" scored by atMs. */
  sessionPoints: string;
  /** Sorted set "<lastNumber>:<atMs>" scored by lastNumber: when each number had been issued. */
  joinClock: string;
  /** Last decision-stream entry id copied to PostgreSQL (a hint; PostgreSQL dedupes by fence). */
  auditCursor: string;
}

export function tickKeys(prefix: string, roomId: string): TickKeys {
  const base = `${prefix}:${workerLayoutVersion}:{room:${roomId}}:tick`;
  return {
    lock: `${base}:lock`,
    fence: `${base}:fence`,
    state: `${base}:state`,
    openSessions: `${base}:open-sessions`,
    sessionPoints: `${base}:session-points`,
    joinClock: `${base}:join-clock`,
    auditCursor: `${base}:audit-cursor`,
  };
}
