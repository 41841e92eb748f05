// The admission controller: one pure, deterministic step per tick. The rule and its reasons
// are in docs/adr/0010-admission-controller.md. In short: the rate moves only on direct
// evidence; it grows on headroom (latency near its unloaded floor), never faster than the
// goodput the backend has shown and never past the last overload's goodput unless latency says
// the backend has room; it is cut on overload, at most once per hold period, to a fraction of
// the goodput measured there; blind ticks hold, then decay, never grow; and the active-session
// cap (Little's law on the measured session time) stops admissions while the pipeline drains.
import { resolveControllerConfig } from './config.ts';
import { measuredGoodput, readHealth, type Smoothed, smooth } from './health.ts';
import type {
  ControllerConfig,
  ControllerInputs,
  ControllerResult,
  ControllerRule,
  ControllerState,
} from './types.ts';

interface RateStep {
  rate: number;
  rule: ControllerRule;
  reason: string;
  lastCutAtMs: number | null;
  blindSinceMs: number | null;
  capacityEstimate: number | null;
  peakGoodput: number | null;
}

export function initialControllerState(
  inputs: ControllerInputs,
  config?: Partial<ControllerConfig>,
): ControllerState {
  const { bounds } = inputs;
  const prior = resolveControllerConfig(config).initialRatePerSecond;
  return {
    version: 1,
    ratePerSecond: Math.max(0, Math.min(Math.max(prior, bounds.minPerSecond), bounds.maxPerSecond)),
    remainder: 0,
    lastCutAtMs: null,
    blindSinceMs: null,
    capacityEstimate: null,
    peakGoodput: null,
    smoothedP50Ms: null,
    smoothedP95Ms: null,
    slowP50Ms: null,
    slowP95Ms: null,
    latencyTicks: 0,
    baseP50Ms: null,
    baseP95Ms: null,
    smoothedGoodput: null,
    sessionsMeasuredSinceMs: null,
  };
}

export function decide(
  inputs: ControllerInputs,
  state: ControllerState | null,
  config?: Partial<ControllerConfig>,
): ControllerResult {
  const cfg = resolveControllerConfig(config);
  const prev = state ?? initialControllerState(inputs, cfg);
  const { bounds, queue, sessions } = inputs;
  const interval = Number.isFinite(inputs.intervalSeconds)
    ? Math.max(0, inputs.intervalSeconds)
    : 0;

  const stop = stopRule(inputs);
  if (stop !== null) {
    return {
      decision: {
        admit: 0,
        ratePerSecond: prev.ratePerSecond,
        activeSessionCap: sessionCap(prev.ratePerSecond, inputs, cfg, prev.sessionsMeasuredSinceMs),
        rule: stop.rule,
        reason: stop.reason,
      },
      // Nothing owed survives a stop, so resuming never releases a burst.
      state: { ...prev, remainder: 0 },
    };
  }

  const smoothed = smooth(inputs, prev, cfg, interval);
  const step = controllerStep(inputs, prev, cfg, interval, smoothed);
  let rule = step.rule;
  let reason = step.reason;
  // Max outranks min: with min above max, max wins.
  const rate = Math.max(0, Math.min(Math.max(step.rate, bounds.minPerSecond), bounds.maxPerSecond));
  if (rate < step.rate || bounds.maxPerSecond < bounds.minPerSecond) {
    rule = 'operator_max';
    reason = `operator max ${bounds.maxPerSecond}/s (controller: ${step.reason})`;
  } else if (rate > step.rate) {
    rule = 'operator_min';
    reason = `operator min ${bounds.minPerSecond}/s (controller: ${step.reason})`;
  }

  const measuredSession = inputs.sessions.meanSessionSeconds;
  const sessionsMeasuredSinceMs =
    prev.sessionsMeasuredSinceMs ??
    (measuredSession !== null && measuredSession > 0 ? inputs.nowMs : null);
  const cap = sessionCap(rate, inputs, cfg, sessionsMeasuredSinceMs);
  const owed = rate * interval + prev.remainder;
  const whole = Math.floor(owed);
  const headroom = Math.max(0, cap - sessions.active);
  const admit = Math.max(0, Math.min(whole, Math.floor(queue.waiting), Math.floor(headroom)));
  if (admit < whole && headroom < whole && headroom <= queue.waiting) {
    rule = 'session_cap';
    reason = `${sessions.active} active of cap ${cap} (rate: ${reason})`;
  } else if (queue.waiting <= 0 && (rule === 'steady' || rule === 'headroom_increase')) {
    rule = 'no_demand';
    reason = 'nobody waiting';
  }

  const blind = step.rule === 'blind_hold' || step.rule === 'blind_decay';
  return {
    decision: { admit, ratePerSecond: rate, activeSessionCap: cap, rule, reason },
    state: {
      version: 1,
      ratePerSecond: rate,
      // A clamped tick forgives what it could not admit: carrying it would burst later.
      remainder: admit < whole ? 0 : owed - whole,
      lastCutAtMs: step.lastCutAtMs,
      blindSinceMs: step.blindSinceMs,
      capacityEstimate: step.capacityEstimate,
      peakGoodput: step.peakGoodput,
      smoothedP50Ms: blind ? prev.smoothedP50Ms : smoothed.p50,
      smoothedP95Ms: blind ? prev.smoothedP95Ms : smoothed.p95,
      slowP50Ms: blind ? prev.slowP50Ms : smoothed.slowP50,
      slowP95Ms: blind ? prev.slowP95Ms : smoothed.slowP95,
      latencyTicks: blind ? prev.latencyTicks : smoothed.latencyTicks,
      baseP50Ms: blind ? prev.baseP50Ms : smoothed.baseP50,
      baseP95Ms: blind ? prev.baseP95Ms : smoothed.baseP95,
      smoothedGoodput: blind ? prev.smoothedGoodput : smoothed.goodput,
      sessionsMeasuredSinceMs,
    },
  };
}

function stopRule(inputs: ControllerInputs): { rule: ControllerRule; reason: string } | null {
  if (inputs.bounds.paused) return { rule: 'paused', reason: 'room paused by the operator' };
  if (inputs.bounds.emergencyBrake) {
    return { rule: 'emergency_brake', reason: 'emergency brake engaged' };
  }
  if (!inputs.queueReachable) {
    return { rule: 'queue_unreachable', reason: 'queue store unreachable: failing closed' };
  }
  return null;
}

function controllerStep(
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
  };
  const health = readHealth(inputs, cfg, smoothed);

  if (health.kind === 'blind') {
    const since = prev.blindSinceMs ?? now;
    const blindFor = (now - since) / 1000;
    if (blindFor < cfg.blindHoldSeconds) {
      return { ...kept, rate, blindSinceMs: since, rule: 'blind_hold', reason: health.why };
    }
    const floor = Math.min(rate, inputs.bounds.minPerSecond);
    const decayed = floor + (rate - floor) * Math.exp(-cfg.blindDecayPerSecond * interval);
    return { ...kept, rate: decayed, blindSinceMs: since, rule: 'blind_decay', reason: health.why };
  }

  // The dead time is measured (session time from real token lifetimes), never configured.
  const measured = inputs.sessions.meanSessionSeconds;
  const deadTime = measured !== null && measured > 0 ? measured : cfg.fallbackDeadTimeSeconds;
  const sinceCut = prev.lastCutAtMs === null ? Infinity : (now - prev.lastCutAtMs) / 1000;
  const goodput = smoothed.goodput;

  if (health.kind === 'overload') {
    // Under overload the goodput is the capacity. Take the lower of this window's and the
    // smoothed one: right after a capacity drop the smoothed figure still remembers the old.
    const raw = measuredGoodput(inputs);
    const served = raw === null ? goodput : goodput === null ? raw : Math.min(raw, goodput);
    const measuredCapacity = { capacityEstimate: served ?? prev.capacityEstimate };
    // Never above what the same tick would allow without the overload (near the knee the rate
    // eases to the goodput and the capacity ceiling), so worse health never admits more.
    const known =
      served === null ? prev.capacityEstimate : Math.min(prev.capacityEstimate ?? served, served);
    const bound = Math.min(
      served ?? Infinity,
      known === null ? Infinity : cfg.capacityCeiling * known,
    );
    const held = Math.min(rate, bound);
    if (sinceCut < cfg.cutHoldDeadTimes * deadTime) {
      return {
        ...kept,
        ...measuredCapacity,
        rate: held,
        rule: 'cut_hold',
        reason: `${health.why}; cut ${Math.round(sinceCut)} s ago`,
      };
    }
    const target = served === null ? rate * cfg.deepestCut : cfg.cutToGoodput * served;
    // Overload that the rate already sits below is the pipeline still arriving (admitted people
    // cannot be recalled); cutting again would compound, so hold and let the cap work.
    if (target >= rate) {
      return {
        ...kept,
        ...measuredCapacity,
        rate: held,
        rule: 'cut_hold',
        reason: `${health.why}; rate already below ${cfg.cutToGoodput}× goodput`,
      };
    }
    return {
      ...measuredCapacity,
      peakGoodput: prev.peakGoodput,
      rate: Math.min(Math.max(target, rate * cfg.deepestCut), bound),
      rule: 'overload_cut',
      reason: health.why,
      lastCutAtMs: now,
      blindSinceMs: null,
    };
  }

  if (health.kind === 'steady') return { ...kept, rate, rule: 'steady', reason: health.why };
  if (inputs.queue.waiting <= 0)
    return { ...kept, rate, rule: 'no_demand', reason: 'nobody waiting' };

  const s = health.strength;
  const inflation = smoothed.inflation ?? 1;
  let capacity = prev.capacityEstimate;
  // Latency well past the knee's onset while serving `goodput`: that goodput is about what the
  // backend can take, measured without waiting for an overload to prove it.
  if (inflation >= cfg.inflationKnee && goodput !== null && rate >= goodput) {
    capacity = capacity === null ? goodput : Math.min(capacity, goodput);
  }
  const peak =
    goodput !== null && s > 0 ? Math.max(prev.peakGoodput ?? goodput, goodput) : prev.peakGoodput;
  const next = { ...kept, capacityEstimate: capacity, peakGoodput: peak };
  // How far above the goodput it has shown the backend may be pushed: the full lead while
  // latency sits on its floor, none at the knee; and never past the capacity ceiling. Admitted
  // people still arrive, so as latency rises the rate eases down to these bounds (never below
  // the capacity ceiling or the goodput itself, so this cannot spiral); a real cut needs overload.
  const lead = goodput === null ? Infinity : goodput * (1 + (cfg.goodputLead - 1) * s);
  const capped = capacity === null ? Infinity : cfg.capacityCeiling * capacity;
  if (s < 1 && rate > Math.min(lead, capped)) {
    const eased = Math.min(lead, capped);
    return {
      ...next,
      rate: eased,
      rule: 'steady',
      reason: `${health.why}; easing to ${Math.round(eased)}/s`,
    };
  }
  if (s <= 0) return { ...next, rate, rule: 'steady', reason: health.why };
  if (sinceCut < cfg.increaseHoldDeadTimes * deadTime) {
    return { ...next, rate, rule: 'steady', reason: `${health.why}; waiting out the last cut` };
  }

  const gain = (cfg.increasePerDeadTime / deadTime) * interval;
  let ceiling = lead;
  if (capacity !== null) {
    // Pressing against the estimate with latency still near its floor: the backend has more room
    // than last measured (capacity came back). Up to the healthy peak goodput the estimate rises
    // at the ramp's pace; beyond it only while the goodput itself, not admissions still on their
    // way, presses on the ceiling, and slower (probing).
    const ceilingNow = cfg.capacityCeiling * capacity;
    if (s >= cfg.liftStrength && rate >= 0.98 * ceilingNow) {
      if (ceilingNow < (peak ?? 0)) capacity *= Math.exp(gain * s);
      else if (goodput !== null && goodput >= 0.95 * ceilingNow) {
        capacity *= Math.exp(gain * s * cfg.probeFraction);
      }
    }
    ceiling = Math.min(ceiling, cfg.capacityCeiling * capacity);
  }
  const grown = Math.min(rate * Math.exp(gain * s), ceiling);
  const after = { ...next, capacityEstimate: capacity };
  if (grown <= rate)
    return { ...after, rate, rule: 'steady', reason: `${health.why}; at the ceiling` };
  return { ...after, rate: grown, rule: 'headroom_increase', reason: health.why };
}

function sessionCap(
  rate: number,
  inputs: ControllerInputs,
  cfg: ControllerConfig,
  measuredSinceMs: number | null,
): number {
  const operatorCap = Math.max(0, Math.floor(inputs.bounds.maxActiveSessions));
  const seconds = inputs.sessions.meanSessionSeconds;
  if (seconds === null || !(seconds > 0) || measuredSinceMs === null) return operatorCap;
  // Until sessions have been measured for one session time, only the quick ones have ended and
  // the mean is short: Little's law on it would stop a cold start for no reason.
  if ((inputs.nowMs - measuredSinceMs) / 1000 < seconds) return operatorCap;
  return Math.min(operatorCap, Math.ceil(rate * seconds * cfg.sessionCapMargin));
}
