// Admitted sessions still active, and how long a session really lasts, measured from the
// room's own records rather than configured (CONTROLLER.md fact 3).
//
// Each tick records a point (atMs, admittedTotal, active) in the room's sessionPoints set.
// A token issued at admission lives `sessionSeconds` (exp = iat + sessionSeconds) unless a
// booking consumes it first, and the room's consumedTokens set holds consumed ids scored by
// exp. So, at time t:
//   issued in the last session      = admittedTotal(t) - admittedTotal(t - session)
//   of them consumed (exp still > t) = |consumedTokens with score > t|
//   active                           = issued - consumed.
// The mean session time follows from Little's law over a recent window W: mean active
// sessions = admission rate x mean session time. It is biased low while the pipeline is still
// filling (fewer active than the rate will sustain), which errs toward a smaller session cap.

/** How far back the mean session time is measured. */
export const sessionWindowMs = 120_000;

/** Fewer admissions than this in the window make the mean session time unknown. */
export const minimumAdmissions = 50;

export interface SessionPoint {
  atMs: number;
  admittedTotal: number;
  active: number;
}

export function parseSessionPoint(member: string): SessionPoint | null {
  const match = /^(\d+):(\d+):(\d+)$/.exec(member);
  if (!match) return null;
  return { atMs: Number(match[1]), admittedTotal: Number(match[2]), active: Number(match[3]) };
}

export interface SessionMeasurement {
  nowMs: number;
  sessionSeconds: number;
  /** The room's admittedTotal now (before this tick admits). */
  admittedTotal: number;
  /** Consumed tokens whose exp is still ahead. */
  consumedLive: number;
  /** The newest point at or before now - session (null when the room is younger than that). */
  baseline: SessionPoint | null;
  /** Points within the last `sessionWindowMs`, any order. */
  recent: readonly SessionPoint[];
}

export interface SessionFigures {
  active: number;
  meanSessionSeconds: number | null;
}

export function measureSessions(m: SessionMeasurement): SessionFigures {
  // Without a baseline every admission so far counts as possibly active: an overestimate
  // only ever lowers admissions.
  const issued = Math.max(0, m.admittedTotal - (m.baseline?.admittedTotal ?? 0));
  const active = Math.max(0, issued - m.consumedLive);
  const recent = m.recent
    .filter((p) => p.atMs >= m.nowMs - sessionWindowMs && p.atMs < m.nowMs)
    .sort((a, b) => a.atMs - b.atMs);
  const first = recent[0];
  if (!first) return { active, meanSessionSeconds: null };
  const admissions = m.admittedTotal - first.admittedTotal;
  const spanSeconds = (m.nowMs - first.atMs) / 1000;
  if (admissions < minimumAdmissions || spanSeconds <= 0)
    return { active, meanSessionSeconds: null };
  const meanActive =
    (recent.reduce((total, p) => total + p.active, 0) + active) / (recent.length + 1);
  const ratePerSecond = admissions / spanSeconds;
  const seconds = Math.min(m.sessionSeconds, meanActive / ratePerSecond);
  return { active, meanSessionSeconds: Math.round(seconds * 100) / 100 };
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
