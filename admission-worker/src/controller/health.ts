// Reads one tick's health into the only three things the update rule acts on: blind (the
// inputs cannot be trusted), overload (direct evidence the backend is past its knee) and
// headroom (direct evidence it is not, with how much). Anything else is "steady": no evidence
// either way, which is never a reason to move.
import type { ControllerConfig, ControllerInputs } from './types.ts';

export type HealthReading =
  | { kind: 'blind'; why: string }
  | { kind: 'overload'; why: string }
  | { kind: 'headroom'; strength: number; why: string }
  | { kind: 'steady'; why: string };

/** Commit p95 when enough commits back it; otherwise unknown (null), never "healthy". */
export function knownCommitP95(inputs: ControllerInputs, config: ControllerConfig): number | null {
  const { commitP95Ms, commitSamples } = inputs.booking;
  if (commitP95Ms === null || !Number.isFinite(commitP95Ms)) return null;
  return commitSamples >= config.minSamples ? commitP95Ms : null;
}

/** Commits per second over the booking window, when the window's length is known. */
export function measuredGoodput(inputs: ControllerInputs): number | null {
  const window = inputs.booking.windowSeconds;
  if (window === undefined || window === null || !(window > 0)) return null;
  return inputs.booking.commitSamples / window;
}

export function readHealth(
  inputs: ControllerInputs,
  config: ControllerConfig,
  baseP95Ms: number | null,
): HealthReading {
  const { booking, database, bounds } = inputs;
  if (booking.ageMs === null || booking.ageMs > config.staleAfterMs) {
    return { kind: 'blind', why: booking.ageMs === null ? 'no health summary' : 'stale health' };
  }
  if (booking.poolWaiting === null && booking.errors5xx === null && booking.timeouts === null) {
    return { kind: 'blind', why: 'pool and error counters unknown' };
  }

  const p95 = knownCommitP95(inputs, config);
  const poolSize = booking.poolMax !== null && booking.poolMax > 0 ? booking.poolMax : 1;
  const errors = (booking.errors5xx ?? 0) + (booking.timeouts ?? 0);
  const requests = Math.max(booking.requests ?? 0, 1);
  const lockWaits = database.lockWaits ?? 0;

  if (p95 !== null && p95 > bounds.latencyTargetMs) {
    return { kind: 'overload', why: `commit p95 ${Math.round(p95)} ms over target` };
  }
  if (
    booking.poolWaiting !== null &&
    booking.poolWaiting > config.poolWaitingTolerance * poolSize
  ) {
    return { kind: 'overload', why: `${booking.poolWaiting} waiting for a pool connection` };
  }
  if (errors > config.errorTolerance * requests) {
    return { kind: 'overload', why: `${errors} errors or timeouts in the window` };
  }
  if (lockWaits > config.lockWaitTolerance * poolSize) {
    return { kind: 'overload', why: `${lockWaits} sessions waiting on locks` };
  }

  if (p95 === null) return { kind: 'steady', why: 'commit p95 unknown (too few samples)' };
  if (booking.poolWaiting === null || booking.poolWaiting > 0) {
    return { kind: 'steady', why: 'pool waiting unknown' };
  }
  if (booking.errors5xx === null || booking.timeouts === null) {
    return { kind: 'steady', why: 'error counters unknown' };
  }
  const threshold = config.headroomLatency * bounds.latencyTargetMs;
  if (p95 > threshold)
    return { kind: 'steady', why: `commit p95 ${Math.round(p95)} ms near target` };
  // Full strength at the unloaded latency, none at the threshold: the climb of p95 above its
  // floor is the first sign of the knee, so the gain fades before the knee is reached.
  const floor = baseP95Ms === null ? p95 : Math.min(baseP95Ms, threshold * 0.9);
  const strength = clamp((threshold - p95) / Math.max(threshold - floor, threshold * 0.1), 0, 1);
  return { kind: 'headroom', strength, why: `commit p95 ${Math.round(p95)} ms` };
}

export function clamp(value: number, low: number, high: number): number {
  return Math.min(high, Math.max(low, value));
}
