// Every Redis key the waiting room owns is built here. A room's keys share the
// hash tag `{room:<id>}`, so all of a room's scripts run in one Redis Cluster
// slot. The deployment prefix (REDIS_KEY_PREFIX) and the layout version sit
// outside the tag.

export const layoutVersion = 'wr:v1';

export interface RoomKeys {
  /** Last queue number issued (INCR). */
  seq: string;
  /** Stream of joins in queue-number order; entry id `<number>-0`, field `v` = visitor. */
  stream: string;
  /** Hash visitor id -> queue number ("p" while waiting in a shuffled pre-queue). */
  visitors: string;
  /** Hash queue number -> last-seen epoch seconds, for waiting visitors only. */
  seen: string;
  /** Hash queue number -> admitted-at epoch ms. */
  admitted: string;
  /**
   * Hash queue number -> visitor id, passed over as abandoned and not back yet (a hash, not a
   * set: the stream entry is trimmed once behind the pointer, and a returning visitor's id is
   * still needed to admit it).
   */
  skipped: string;
  /** Sorted set of skipped visitors who came back: member = visitor id, score = queue number. */
  returned: string;
  /**
   * Hash: served (pointer), admittedTotal, skippedTotal, updatedMs, opened, draining (an
   * operator's drain: no new places); with a pre-queue shuffle also sealed, prequeueCount,
   * prequeueBase, shuffleApplied, shuffleSeedHash.
   */
  state: string;
  /** List of recent admission batches "<epoch ms>:<count>", newest first, bounded. */
  admissionLog: string;
  /** Stream of pre-queue joins (shuffle mode) in arrival order: the published join log. */
  prequeueLog: string;
  /**
   * Stream of the shuffled pre-queue in queue order: entry id `<position>-0` (position k holds
   * queue number prequeueBase + k), field `v` = visitor. Written in chunks at opening.
   */
  shuffled: string;
  /** Sorted set of consumed admission-token ids (score = token expiry), trimmed after expiry. */
  consumedTokens: string;
  /** Epoch seconds: tokens of this room issued at or before it are revoked. */
  revokedBefore: string;
  /** Token buckets for joins, by client address and by visitor. */
  joinLimitByIp: (ip: string) => string;
  joinLimitByVisitor: (visitor: string) => string;
  /** Proof-of-work challenges already spent. */
  spentChallenge: (challengeId: string) => string;
}

export function roomKeys(prefix: string, roomId: string): RoomKeys {
  const base = `${prefix}:${layoutVersion}:{room:${roomId}}`;
  return {
    seq: `${base}:seq`,
    stream: `${base}:stream`,
    visitors: `${base}:visitors`,
    seen: `${base}:seen`,
    admitted: `${base}:admitted`,
    skipped: `${base}:skipped`,
    returned: `${base}:returned`,
    state: `${base}:state`,
    admissionLog: `${base}:admission-log`,
    prequeueLog: `${base}:prequeue-log`,
    shuffled: `${base}:shuffled`,
    consumedTokens: `${base}:tokens:consumed`,
    revokedBefore: `${base}:tokens:revoked-before`,
    joinLimitByIp: (ip) => `${base}:limit:ip:${ip}`,
    joinLimitByVisitor: (visitor) => `${base}:limit:visitor:${visitor}`,
    spentChallenge: (challengeId) => `${base}:pow:${challengeId}`,
  };
}

/** Every key of a room matches this pattern (for audits and tests). */
export function roomKeyPattern(prefix: string, roomId: string): string {
  return `${prefix}:${layoutVersion}:{room:${roomId}}:*`;
}
