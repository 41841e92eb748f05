// The controller's own rate update for one tick, before operator bounds and the session cap.
// Each kind of evidence maps to a bound on the rate, and the bounds are ordered (overload ≤ at
// the knee ≤ headroom) for the same tick, so worse health can never raise the rate.
import { knownPercentile, measuredGoodput, readHealth, type Smoothed } from './health.ts';
import type {
  ControllerConfig,
  ControllerInputs,
  ControllerRule,
  ControllerState,
} from './types.ts';

export interface RateStep {
  rate: number;
  rule: ControllerRule;
  reason: string;
  lastCutAtMs: number | null;
  blindSinceMs: number | null;
  capacityEstimate: number | null;
  peakGoodput: number | null;
  saturatedAtMs: number | null;
  /** The headroom strength this tick read (0–1), or null when it read no headroom at all. */
  headroomStrength: number | null;
  poolQueuedAtMs: number | null;
  spellStartMs: number | null;
}

/** The dead time is measured (session time from real token lifetimes), never configured. */
export function deadTimeSeconds(inputs: ControllerInputs, cfg: ControllerConfig): number {
  const measured = inputs.sessions.meanSessionSeconds;
  return measured !== null && measured > 0 ? measured : cfg.fallbackDeadTimeSeconds;
}

export function controllerStep(
  inputs: ControllerInputs,
  prev: ControllerState,
  cfg: ControllerConfig,
  interval: number,
  smoothed: Smoothed,
): RateStep {
  const now = inputs.nowMs;
  const rate = prev.ratePerSecond;
  const kept = {
    lastCutAtMs: prev.lastCutAtMs,
    blindSinceMs: null,
    capacityEstimate: prev.capacityEstimate,
    peakGoodput: prev.peakGoodput,
    saturatedAtMs: prev.saturatedAtMs,
    headroomStrength: null,
    poolQueuedAtMs: prev.poolQueuedAtMs ?? null,
    spellStartMs: prev.spellStartMs ?? null,
  };
  const health = readHealth(inputs, cfg, smoothed);

  if (health.kind === 'blind') {
    const since = prev.blindSinceMs ?? now;
    if ((now - since) / 1000 < cfg.blindHoldSeconds) {
      return { ...kept, rate, blindSinceMs: since, rule: 'blind_hold', reason: health.why };
    }
    const floor = Math.min(rate, inputs.bounds.minPerSecond);
    const decayed = floor + (rate - floor) * Math.exp(-cfg.blindDecayPerSecond * interval);
    return { ...kept, rate: decayed, blindSinceMs: since, rule: 'blind_decay', reason: health.why };
  }
  // A queue at the pool on the previous tick too: not a momentary burst.
  const queuedNow = (inputs.booking.poolWaiting ?? 0) > 0;
  const queuedBefore =
    prev.poolQueuedAtMs != null && now - prev.poolQueuedAtMs <= 1500 * Math.max(interval, 1);
  if (queuedNow) kept.poolQueuedAtMs = now;
  if (health.kind === 'steady') return { ...kept, rate, rule: 'steady', reason: health.why };

  const deadTime = deadTimeSeconds(inputs, cfg);
  const sinceCut = prev.lastCutAtMs === null ? Infinity : (now - prev.lastCutAtMs) / 1000;
  const goodput = smoothed.goodput;
  const known = prev.capacityEstimate;
  const ceiling = (capacity: number | null) =>
    capacity === null ? Infinity : cfg.capacityCeiling * capacity;
  // The rate may lead the goodput the backend has shown by at most goodputLead, less as latency
  // rises: growth is bounded by served load, not by admissions still on their way.
  const lead = (s: number) =>
    goodput === null ? Infinity : goodput * (1 + (cfg.goodputLead - 1) * s);
  // Easing down to that lead is only for a first approach to an unknown knee; once a capacity
  // is known its ceiling bounds the rate instead. And only while admissions kept up with the
  // rate: a goodput held down by the controller's own limits (the session cap, or nobody
  // waiting) says nothing about the backend, and easing the rate down to it would lower the
  // cap (∝ rate) and so the goodput again: a spiral to the minimum.
  const limited = (prev.admittedShare ?? 1) < cfg.limitedShare;
  const easeTo = (s: number) => (known === null && !limited ? lead(s) : Infinity);

  if (health.kind === 'overload') {
    // A standing queue at the pool (this tick and the last), or one while commits are slow,
    // means the backend is saturated: its goodput now is its capacity. Take the lower of this
    // window's and the smoothed one (after a capacity drop the smoothed one still remembers the
    // old). Without a queue the goodput may just be low demand; and a caller waiting a moment
    // for a connection, for one tick, while commits run at their unloaded latency is a burst at
    // the pool, not a backend at its limit: its goodput is whatever was admitted (CONTROLLER.md
    // fact 4), so it is no capacity reading.
    const freshP95 = knownPercentile(inputs.booking.commitP95Ms, inputs, cfg);
    const slowCommits =
      freshP95 !== null &&
      (freshP95 > cfg.headroomLatency * inputs.bounds.latencyTargetMs ||
        (smoothed.baseP95 !== null && freshP95 >= cfg.inflationKnee * smoothed.baseP95));
    const saturated = queuedNow && (slowCommits || queuedBefore);
    const raw = measuredGoodput(inputs, prev.conversion);
    const served = !saturated
      ? null
      : raw === null
        ? goodput
        : goodput === null
          ? raw
          : Math.min(raw, goodput);
    // A saturated backend never serves more than its capacity, so within one saturated spell
    // the estimate is the spell's best smoothed goodput (a window at a backlog's tail is low
    // for want of arrivals, not capacity). A new spell starts from what is served now, so a
    // capacity drop is taken at once.
    const newSpell =
      prev.saturatedAtMs === null || now - prev.saturatedAtMs > cfg.spellGapSeconds * 1000;
    const estimate =
      !saturated || served === null
        ? known
        : newSpell || known === null
          ? served
          : Math.max(known, goodput ?? served);
    // In a spell that began before the last cut, that cut already answered it: what is served
    // now is the backlog admitted before it draining, and a window at the tail reads low for
    // want of arrivals. Cutting to the spell's estimate there instead keeps one spell to one
    // cut (CONTROLLER.md fact 4); a second cut to the tail compounded the first and restarted
    // the hold, so the rate sat low for another dead time after the backlog had gone.
    const answered =
      saturated &&
      !newSpell &&
      prev.lastCutAtMs !== null &&
      prev.spellStartMs != null &&
      prev.spellStartMs <= prev.lastCutAtMs;
    const reading = answered && estimate !== null ? Math.max(estimate, served ?? 0) : served;
    // The rate itself stays bounded by what is served now: the backlog is still there.
    const bound = Math.min(
      easeTo(0),
      ceiling(served === null ? known : Math.min(known ?? served, served)),
    );
    const next = {
      ...kept,
      capacityEstimate: estimate,
      saturatedAtMs: saturated ? now : prev.saturatedAtMs,
      spellStartMs: saturated && newSpell ? now : kept.spellStartMs,
    };
    const held = Math.min(rate, bound);
    if (sinceCut < cfg.cutHoldDeadTimes * deadTime) {
      const why = `${health.why}; cut ${Math.round(sinceCut)} s ago`;
      return { ...next, rate: held, rule: 'cut_hold', reason: why };
    }
    const basis = reading ?? goodput;
    const target = Math.max(
      basis === null ? rate * cfg.deepestCut : cfg.cutToGoodput * basis,
      reading === null ? Math.min(ceiling(known), rate) : 0,
    );
    // Overload that the rate already sits below is the pipeline still arriving (admitted people
    // cannot be recalled); cutting again would compound, so hold and let the cap work.
    if (target >= rate) {
      const why = `${health.why}; rate already below what the backend serves`;
      return { ...next, rate: held, rule: 'cut_hold', reason: why };
    }
    return {
      ...next,
      rate: Math.min(Math.max(target, rate * cfg.deepestCut), bound),
      rule: 'overload_cut',
      reason: health.why,
      lastCutAtMs: now,
    };
  }

  const s = health.strength;
  let capacity = known;
  // Latency past the knee's onset, in this window and smoothed, while serving about the rate
  // admitted (so the pipeline is full, not in a gap left by an earlier stop): that goodput is
  // about what the backend can take. Not within a dead time of a saturated spell, whose backlog
  // still lifts latency. It bounds the next ticks, not this one.
  const baseP95 = smoothed.baseP95;
  const p95 = inputs.booking.commitP95Ms ?? 0;
  if (
    (smoothed.inflation ?? 0) >= cfg.inflationKnee &&
    baseP95 !== null &&
    p95 >= cfg.inflationKnee * baseP95 &&
    goodput !== null &&
    goodput >= cfg.kneeGoodputShare * rate &&
    (prev.saturatedAtMs === null || (now - prev.saturatedAtMs) / 1000 > deadTime)
  ) {
    const atKnee = goodput / cfg.kneeUtilisation;
    capacity = capacity === null ? atKnee : Math.min(capacity, atKnee);
  }
  // The healthy peak is a level (goodput smoothed over floorSmoothingSeconds), not the maximum
  // of the 2 s goodput: that maximum ratcheted up on noise, and lifting the ceiling to it
  // walked the rate into the knee in steady state.
  // It is at least peakAdmittedShare of the admission level (smoothed the same way) held while
  // healthy: the goodput trails admissions by the dead time plus its smoothing, so when
  // capacity drops soon after a ramp (think times of U(20, 60) s) the goodput level had not yet
  // caught up with what was admitted, and a restore stopped short of the pre-drop level.
  const level =
    smoothed.slowGoodput === null
      ? null
      : Math.max(smoothed.slowGoodput, cfg.peakAdmittedShare * (prev.slowAdmitted ?? 0));
  const peak =
    level !== null && s > 0 ? Math.max(prev.peakGoodput ?? level, level) : prev.peakGoodput;
  const waited = sinceCut >= cfg.increaseHoldDeadTimes * deadTime;
  const gain = (cfg.increasePerDeadTime / deadTime) * interval;
  // Raising the estimate comes before easing down to it: a rate held above the ceiling (by the
  // operator's minimum, say) with latency on its floor is the very evidence that the estimate
  // is low, and easing first would never let it rise (a stuck state after a capacity drop).
  let lifted = known;
  if (lifted !== null && waited && s > 0) {
    // Latency on its floor while serving this goodput: the knee (kneeUtilisation of capacity)
    // is further on, so the capacity is at least goodput / kneeUtilisation.
    if (s >= cfg.liftStrength && goodput !== null) {
      lifted = Math.max(lifted, goodput / cfg.kneeUtilisation);
    }
    // Pressing against the estimate with latency on its floor: the backend has more room than
    // last measured (capacity came back), and up to the healthy peak goodput the estimate rises
    // at the ramp's pace. Beyond it, it rises only while the goodput itself, not admissions
    // still on their way, presses on the ceiling, and slower (probing).
    const atCeiling = rate >= 0.98 * ceiling(lifted);
    const pressed = goodput !== null && goodput >= 0.95 * ceiling(lifted);
    if (atCeiling && s >= cfg.liftStrength && ceiling(lifted) < (peak ?? 0)) {
      lifted *= Math.exp(gain * s);
    } else if (atCeiling && pressed && s >= cfg.probeStrength) {
      lifted *= Math.exp(gain * s * cfg.probeFraction);
    }
  }
  if (lifted !== null && lifted !== known) capacity = lifted;
  const next = { ...kept, capacityEstimate: capacity, peakGoodput: peak, headroomStrength: s };
  // Admitted people still arrive, so as latency rises the rate eases down to these bounds
  // (never below the capacity ceiling or the goodput itself, so this cannot spiral); a real
  // cut needs overload.
  // Only once latency has clearly risen: a goodput that trails the rate while latency sits near
  // its floor is the pipeline still filling, not a sign of low capacity.
  const bound = Math.min(s < cfg.easeBelowStrength ? easeTo(s) : Infinity, ceiling(lifted));
  if (rate > bound) {
    return {
      ...next,
      rate: bound,
      rule: 'steady',
      reason: `${health.why}; easing to ${Math.round(bound)}/s`,
    };
  }
  if (s <= 0) return { ...next, rate, rule: 'steady', reason: health.why };
  if (!waited) {
    return { ...next, rate, rule: 'steady', reason: `${health.why}; waiting out the last cut` };
  }
  const grown = Math.min(rate * Math.exp(gain * s), lead(s), ceiling(lifted));
  if (grown <= rate)
    return { ...next, rate, rule: 'steady', reason: `${health.why}; at the ceiling` };
  return { ...next, rate: grown, rule: 'headroom_increase', reason: health.why };
}
