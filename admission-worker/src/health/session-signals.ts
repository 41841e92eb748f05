// Admitted sessions still active, and how long sessions really last, measured from real
// token lifetimes rather than configured (CONTROLLER.md fact 3).
//
// The ticks keep each room's open sessions in a sorted set (token jti -> admitted-at ms):
// a tick adds the jtis of the visitors it admits. A session ends when its token is consumed
// (it appears in the waiting room's consumedTokens set; a tick notices within one interval)
// or when the token expires unconsumed (admitted more than sessionSeconds ago). Each tick
// removes the sessions that ended and adds their lifetimes to the room's running totals
// (endedCount, endedMs), and records a point (atMs, endedCount, endedMs). The mean session
// time over a recent window is the difference of two points' totals.

/** How far back the mean session time is measured. */
export const sessionWindowMs = 120_000;

/** Fewer sessions ended in the window than this make the mean session time unknown. */
export const minimumEndedSessions = 50;

export interface SessionPoint {
  atMs: number;
  endedCount: number;
  endedMs: number;
}

export function sessionPointMember(point: SessionPoint): string {
  return `${point.atMs}:${point.endedCount}:${point.endedMs}`;
}

export function parseSessionPoint(member: string): SessionPoint | null {
  const match = /^(\d+):(\d+):(\d+)$/.exec(member);
  if (!match) return null;
  return { atMs: Number(match[1]), endedCount: Number(match[2]), endedMs: Number(match[3]) };
}

export interface EndedSessions {
  /** Jtis of the sessions that ended since the last tick. */
  jtis: string[];
  count: number;
  /** Their lifetimes summed (ms). */
  totalMs: number;
}

/**
 * Sessions that ended since the last tick: `consumed` were used by a booking (lifetime up
 * to now), `expired` reached their token's expiry unconsumed (lifetime = the session).
 * Pairs are [jti, admitted-at ms]; a jti in both counts once, as consumed.
 */
export function endedSessions(
  nowMs: number,
  sessionMs: number,
  consumed: ReadonlyArray<readonly [string, number]>,
  expired: ReadonlyArray<readonly [string, number]>,
): EndedSessions {
  const lifetimes = new Map<string, number>();
  for (const [jti] of expired) lifetimes.set(jti, sessionMs);
  for (const [jti, admittedAtMs] of consumed) {
    lifetimes.set(jti, Math.max(0, Math.min(sessionMs, nowMs - admittedAtMs)));
  }
  let totalMs = 0;
  for (const ms of lifetimes.values()) totalMs += ms;
  return { jtis: [...lifetimes.keys()], count: lifetimes.size, totalMs: Math.round(totalMs) };
}

/**
 * Mean session time (s) over the last `sessionWindowMs`: lifetimes of the sessions that
 * ended in the window over their number, from the running totals now and at the oldest
 * point in the window. Unknown with fewer than `minimumEndedSessions` ended sessions.
 */
export function meanSessionSeconds(
  nowMs: number,
  totals: { endedCount: number; endedMs: number },
  points: readonly SessionPoint[],
): number | null {
  const inWindow = points.filter((p) => p.atMs >= nowMs - sessionWindowMs && p.atMs <= nowMs);
  const oldest = inWindow.reduce<SessionPoint | null>(
    (first, p) => (first === null || p.atMs < first.atMs ? p : first),
    null,
  );
  if (!oldest) return null;
  const ended = totals.endedCount - oldest.endedCount;
  if (ended < minimumEndedSessions) return null;
  return Math.round((totals.endedMs - oldest.endedMs) / ended / 10) / 100;
}

/** Live seat holds of the room's journey, from the booking API's inventory counts hash. */
export function liveHoldsFrom(
  counts: Readonly<Record<string, string>>,
  scope: { classes: readonly string[]; quotas: readonly string[] },
): number | null {
  // "<class>|<quota>:held" -> count, kept exact by every seat transition (booking-api keys.ts).
  if (Object.keys(counts).length === 0) return null;
  let held = 0;
  for (const [field, value] of Object.entries(counts)) {
    const match = /^([^|]+)\|([^:]+):held$/.exec(field);
    if (!match) continue;
    const [, classCode = '', quota = ''] = match;
    if (!scope.classes.includes(classCode) || !scope.quotas.includes(quota)) continue;
    const n = Number(value);
    if (Number.isFinite(n) && n > 0) held += n;
  }
  return held;
}
