// Reads one tick's health into the only things the update rule acts on: blind (the inputs
// cannot be trusted), overload (direct evidence the backend is past its knee) and headroom
// (direct evidence it is not, graded by how far latency has risen above its unloaded floor).
// Anything else is "steady": no evidence either way, which is never a reason to move.
import type { ControllerConfig, ControllerInputs, ControllerState } from './types.ts';

export type HealthReading =
  | { kind: 'blind'; why: string }
  | { kind: 'overload'; why: string }
  | { kind: 'headroom'; strength: number; why: string }
  | { kind: 'steady'; why: string };

/** Smoothed latency and goodput after this tick, and the inflation they imply. */
export interface Smoothed {
  p50: number | null;
  p95: number | null;
  slowP50: number | null;
  slowP95: number | null;
  latencyTicks: number;
  baseP50: number | null;
  baseP95: number | null;
  goodput: number | null;
  /** Goodput smoothed slowly (floorSmoothingSeconds): a level, not a noisy peak. */
  slowGoodput: number | null;
  /** Smoothed latency over its unloaded floor (1 = unloaded); null while unknown. */
  inflation: number | null;
  /** Consecutive ticks with fresh latency near the floor, no pool queue and no errors. */
  floorTicks: number;
}

/** A commit percentile when enough commits back it; otherwise unknown (null), never "healthy". */
export function knownPercentile(
  value: number | null,
  inputs: ControllerInputs,
  config: ControllerConfig,
): number | null {
  if (value === null || !Number.isFinite(value) || value <= 0) return null;
  return inputs.booking.commitSamples >= config.minSamples ? value : null;
}

/** Commits per second over the booking window, when the window's length is known. */
/**
 * Commits per second in the booking API's window, divided by the conversion (commits per
 * admitted visitor, see `ControllerState.conversion`): the goodput in admissions, the unit the
 * rate is in. Where everyone admitted books, the two are the same.
 */
export function measuredGoodput(
  inputs: ControllerInputs,
  conversion: number | null | undefined,
): number | null {
  const window = inputs.booking.windowSeconds;
  if (window === undefined || window === null || !(window > 0)) return null;
  return inputs.booking.commitSamples / window / (conversion ?? 1);
}

export function isBlind(inputs: ControllerInputs, config: ControllerConfig): string | null {
  const { booking } = inputs;
  if (booking.ageMs === null) return 'no health summary';
  if (booking.ageMs > config.staleAfterMs) return `health ${booking.ageMs} ms old`;
  if (booking.poolWaiting === null && booking.errors5xx === null && booking.timeouts === null) {
    return 'pool and error counters unknown';
  }
  return null;
}

export function smooth(
  inputs: ControllerInputs,
  prev: ControllerState,
  config: ControllerConfig,
  interval: number,
): Smoothed {
  const known50 = knownPercentile(inputs.booking.commitP50Ms, inputs, config);
  const known95 = knownPercentile(inputs.booking.commitP95Ms, inputs, config);
  const latencyTicks = prev.latencyTicks + (known95 === null ? 0 : 1);
  // Until a smoother has as many ticks as its time constant it is a plain running mean, so the
  // first noisy readings weigh no more than later ones.
  const weight = (tau: number) =>
    Math.max(1 - Math.exp(-interval / tau), 1 / Math.max(1, latencyTicks));
  const alpha = weight(config.smoothingSeconds);
  const ewma = (old: number | null, x: number | null, a: number) =>
    x === null ? old : old === null ? x : old + a * (x - old);
  let p50 = ewma(prev.smoothedP50Ms, known50, alpha);
  let p95 = ewma(prev.smoothedP95Ms, known95, alpha);
  // The smoothing is for noise, not for a level shift: once the fresh latency has sat near its
  // unloaded floor for a few ticks, with no pool queue and no errors, while the smoothed one
  // still says loaded (the tail of a capacity drop), the backend has recovered and the smoothed
  // latency drops to the fresh one. Otherwise an 8 s smoother takes half a minute to forget a
  // spell of seconds-long commits, and the rate sits at its minimum all that time.
  const floorTicks = nearFloor(inputs, prev, config, known50, known95)
    ? (prev.floorTicks ?? 0) + 1
    : 0;
  if (
    floorTicks >= config.recoveryTicks &&
    prev.baseP95Ms !== null &&
    p95 !== null &&
    p95 > config.recoveryInflation * prev.baseP95Ms &&
    p95 > config.headroomLatency * inputs.bounds.latencyTargetMs
  ) {
    // Only for the tail of an overload spell (smoothed p95 still near the target), not for
    // wobbles around the knee. Down to the knee's onset, not to the fresh reading: the
    // smoother goes on from there, so headroom is read again within a few seconds, and only
    // if the fresh latency stays low.
    p95 = config.recoveryInflation * prev.baseP95Ms;
    if (p50 !== null && prev.baseP50Ms !== null) {
      p50 = Math.min(p50, config.recoveryInflation * prev.baseP50Ms);
    }
  }
  const slowAlpha = weight(config.floorSmoothingSeconds);
  const slowP50 = ewma(prev.slowP50Ms, known50, slowAlpha);
  const slowP95 = ewma(prev.slowP95Ms, known95, slowAlpha);
  // The floor is the lowest slow average, and only once that average rests on enough ticks:
  // a minimum over noisy early readings would sit below the truth for good, and every later
  // reading would look loaded.
  // Until then the floor is the running mean itself (taken at the prior's light load).
  const mature = latencyTicks >= config.floorSmoothingSeconds;
  // From a poorly sampled second, a slow average lowers the floor only by what exceeds its
  // own noise. A percentile of n commits spreads about 1.4/√n (14 % at a light prior's 100 a
  // second), the 30 s average of such seconds about a seventh of that, and the lowest of many
  // such averages sits under the truth by about their spread: from a 15 % prior the floor came
  // out 2-5 % low in some seeds, every later reading looked loaded, and the rate settled short
  // of the knee for good (T8). Well-sampled seconds lower it as before.
  const samples = Math.max(inputs.booking.commitSamples, 1);
  const noise =
    samples >= config.floorWellSampled
      ? 0
      : (config.floorNoise * Math.sqrt(slowAlpha / (2 - slowAlpha))) / Math.sqrt(samples);
  const floor = (old: number | null, slow: number | null) =>
    latencyTicks < config.floorAfterTicks || slow === null
      ? old
      : !mature || old === null
        ? slow
        : Math.min(old, slow * (1 + noise));
  const baseP50 = floor(prev.baseP50Ms, slowP50);
  const baseP95 = floor(prev.baseP95Ms, slowP95);
  // Goodput is smoothed faster: it bounds growth, and lag there is lost ramp time.
  const goodputAlpha = 1 - Math.exp((-4 * interval) / config.smoothingSeconds);
  const served = measuredGoodput(inputs, prev.conversion);
  const goodput = ewma(prev.smoothedGoodput, served, goodputAlpha);
  const slowGoodput = ewma(
    prev.slowGoodput ?? null,
    served,
    1 - Math.exp(-interval / config.floorSmoothingSeconds),
  );
  const ratios: number[] = [];
  if (p50 !== null && baseP50 !== null && baseP50 > 0) ratios.push(p50 / baseP50);
  if (p95 !== null && baseP95 !== null && baseP95 > 0) ratios.push(p95 / baseP95);
  const inflation = ratios.length === 0 ? null : ratios.reduce((a, b) => a + b, 0) / ratios.length;
  return {
    p50,
    p95,
    slowP50,
    slowP95,
    latencyTicks,
    baseP50,
    baseP95,
    goodput,
    slowGoodput,
    inflation,
    floorTicks,
  };
}

/** This tick's own latency is near the unloaded floor, with no pool queue and no errors. */
function nearFloor(
  inputs: ControllerInputs,
  prev: ControllerState,
  config: ControllerConfig,
  known50: number | null,
  known95: number | null,
): boolean {
  const { booking } = inputs;
  if (known95 === null || prev.baseP95Ms === null) return false;
  if (known95 > config.recoveryInflation * prev.baseP95Ms) return false;
  if (known50 !== null && prev.baseP50Ms !== null) {
    if (known50 > config.recoveryInflation * prev.baseP50Ms) return false;
  }
  const poolSize = booking.poolMax !== null && booking.poolMax > 0 ? booking.poolMax : 1;
  if (
    booking.poolWaiting === null ||
    booking.poolWaiting > config.poolWaitingTolerance * poolSize
  ) {
    return false;
  }
  if (booking.errors5xx === null || booking.timeouts === null) return false;
  const requests = Math.max(booking.requests ?? 0, 1);
  return booking.errors5xx + booking.timeouts <= config.errorTolerance * requests;
}

export function readHealth(
  inputs: ControllerInputs,
  config: ControllerConfig,
  smoothed: Smoothed,
): HealthReading {
  const blind = isBlind(inputs, config);
  if (blind !== null) return { kind: 'blind', why: blind };
  const { booking, database, bounds } = inputs;
  const p95 = knownPercentile(booking.commitP95Ms, inputs, config);
  const poolSize = booking.poolMax !== null && booking.poolMax > 0 ? booking.poolMax : 1;
  const errors = (booking.errors5xx ?? 0) + (booking.timeouts ?? 0);
  const requests = Math.max(booking.requests ?? 0, 1);
  const lockWaits = database.lockWaits ?? 0;
  const target = bounds.latencyTargetMs;

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
  // One slow second is noise at a few hundred commits; a slow second on a rising trend is not.
  if (p95 !== null && p95 > target && (smoothed.p95 ?? 0) > 0.75 * target) {
    return { kind: 'overload', why: `commit p95 ${Math.round(p95)} ms over target` };
  }

  if (p95 === null) return { kind: 'steady', why: 'commit p95 unknown (too few samples)' };
  if (booking.poolWaiting === null || booking.errors5xx === null || booking.timeouts === null) {
    return { kind: 'steady', why: 'pool or error counters unknown' };
  }
  if (smoothed.inflation === null) {
    return {
      kind: 'steady',
      why: `commit p95 ${Math.round(p95)} ms; unloaded latency not known yet`,
    };
  }
  const span = Math.max(config.inflationNone - config.inflationFull, 1e-6);
  const nearTarget = p95 > config.headroomLatency * target;
  const strength = nearTarget ? 0 : clamp((config.inflationNone - smoothed.inflation) / span, 0, 1);
  const why = nearTarget
    ? `commit p95 ${Math.round(p95)} ms near target`
    : `latency ${smoothed.inflation.toFixed(2)}× unloaded`;
  return {
    kind: 'headroom',
    strength,
    why: strength <= 0 && !nearTarget ? `${why}: near the knee` : why,
  };
}

export function clamp(value: number, low: number, high: number): number {
  return Math.min(high, Math.max(low, value));
}
