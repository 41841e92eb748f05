// The admission controller: one pure, deterministic step per tick. The rule and its reasons
// are in docs/adr/0010-admission-controller.md; in short, the rate moves only on direct
// evidence (cut on overload, grow on headroom, bounded by the goodput the backend has shown),
// at most one cut per hold period, and blind ticks hold then decay, never grow.
import { resolveControllerConfig } from './config.ts';
import { knownCommitP95, measuredGoodput, readHealth } from './health.ts';
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
  overloadGoodput: number | null;
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
    overloadGoodput: null,
    baseP95Ms: null,
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
        activeSessionCap: sessionCap(prev.ratePerSecond, inputs, cfg),
        rule: stop.rule,
        reason: stop.reason,
      },
      // Nothing owed survives a stop, so resuming never releases a burst.
      state: { ...prev, remainder: 0 },
    };
  }

  const step = controllerStep(inputs, prev, cfg, interval);
  let rate = step.rate;
  let rule = step.rule;
  let reason = step.reason;
  // Max outranks min: with min above max, max wins.
  const bounded = Math.min(Math.max(rate, bounds.minPerSecond), bounds.maxPerSecond);
  if (
    bounded < rate ||
    (bounded > rate && bounded === bounds.maxPerSecond && bounds.maxPerSecond < bounds.minPerSecond)
  ) {
    rule = 'operator_max';
    reason = `operator max ${bounds.maxPerSecond}/s (controller: ${step.reason})`;
  } else if (bounded > rate) {
    rule = 'operator_min';
    reason = `operator min ${bounds.minPerSecond}/s (controller: ${step.reason})`;
  }
  rate = bounded;
  rate = Math.max(0, rate);

  const cap = sessionCap(rate, inputs, cfg);
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

  const p95 = knownCommitP95(inputs, cfg);
  const baseP95Ms =
    step.rule === 'blind_hold' || step.rule === 'blind_decay' || p95 === null
      ? prev.baseP95Ms
      : Math.min(prev.baseP95Ms ?? p95, p95);
  return {
    decision: { admit, ratePerSecond: rate, activeSessionCap: cap, rule, reason },
    state: {
      version: 1,
      ratePerSecond: rate,
      // A clamped tick forgives what it could not admit: carrying it would burst later.
      remainder: admit < whole ? 0 : owed - whole,
      lastCutAtMs: step.lastCutAtMs,
      blindSinceMs: step.blindSinceMs,
      overloadGoodput: step.overloadGoodput,
      baseP95Ms,
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
): RateStep {
  const now = inputs.nowMs;
  const rate = prev.ratePerSecond;
  const kept = {
    lastCutAtMs: prev.lastCutAtMs,
    blindSinceMs: null,
    overloadGoodput: prev.overloadGoodput,
  };
  const health = readHealth(inputs, cfg, prev.baseP95Ms);

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

  const goodput = measuredGoodput(inputs);
  const sinceCut = prev.lastCutAtMs === null ? Infinity : (now - prev.lastCutAtMs) / 1000;

  if (health.kind === 'overload') {
    if (sinceCut < cfg.cutHoldSeconds) {
      return { ...kept, rate, rule: 'cut_hold', reason: `${health.why}; cut ${sinceCut}s ago` };
    }
    const target = goodput === null ? rate * cfg.deepestCut : cfg.cutToGoodput * goodput;
    // Overload that the rate already sits below is the pipeline still arriving (admitted people
    // cannot be recalled); cutting again would compound, so hold and let the cap work.
    if (target >= rate) {
      return { ...kept, rate, rule: 'cut_hold', reason: `${health.why}; rate already below it` };
    }
    const cut = Math.max(target, rate * cfg.deepestCut);
    return {
      rate: cut,
      rule: 'overload_cut',
      reason: health.why,
      lastCutAtMs: now,
      blindSinceMs: null,
      overloadGoodput: goodput ?? prev.overloadGoodput,
    };
  }

  if (health.kind === 'steady') return { ...kept, rate, rule: 'steady', reason: health.why };
  if (inputs.queue.waiting <= 0)
    return { ...kept, rate, rule: 'no_demand', reason: 'nobody waiting' };
  if (sinceCut < cfg.increaseHoldSeconds) {
    return { ...kept, rate, rule: 'steady', reason: `${health.why}; waiting out the last cut` };
  }
  let grown = rate * Math.exp(cfg.increasePerSecond * health.strength * interval);
  if (goodput !== null) grown = Math.min(grown, Math.max(rate, cfg.goodputLead * goodput));
  if (grown <= rate) {
    return { ...kept, rate, rule: 'steady', reason: `${health.why}; at the goodput lead` };
  }
  return { ...kept, rate: grown, rule: 'headroom_increase', reason: health.why };
}

function sessionCap(rate: number, inputs: ControllerInputs, cfg: ControllerConfig): number {
  const operatorCap = Math.max(0, Math.floor(inputs.bounds.maxActiveSessions));
  const seconds = inputs.sessions.meanSessionSeconds;
  if (seconds === null || !(seconds > 0)) return operatorCap;
  return Math.min(operatorCap, Math.ceil(rate * seconds * cfg.sessionCapMargin));
}
