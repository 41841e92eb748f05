// The admission controller: one pure, deterministic step per tick. The rule and its reasons
// are in docs/adr/0010-admission-controller.md. In short: the rate moves only on direct
// evidence; it grows on headroom (latency near its unloaded floor), never faster than the
// goodput the backend has shown and never past the last overload's goodput unless latency says
// the backend has room; it is cut on overload, at most once per hold period, to a fraction of
// the goodput measured there; blind ticks hold, then decay, never grow; and the active-session
// cap (Little's law on the measured session time) stops admissions while the pipeline drains.
import { resolveControllerConfig } from './config.ts';
import { smooth } from './health.ts';
import { controllerStep, deadTimeSeconds } from './rate-step.ts';
import type {
  ControllerConfig,
  ControllerInputs,
  ControllerResult,
  ControllerRule,
  ControllerState,
} from './types.ts';

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
    saturatedAtMs: null,
    smoothedP50Ms: null,
    smoothedP95Ms: null,
    slowP50Ms: null,
    slowP95Ms: null,
    latencyTicks: 0,
    baseP50Ms: null,
    baseP95Ms: null,
    smoothedGoodput: null,
    sessionsMeasuredSinceMs: null,
    admittedShare: null,
    floorTicks: 0,
    poolQueuedAtMs: null,
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
        activeSessionCap: sessionCap(
          prev.ratePerSecond,
          inputs,
          cfg,
          prev.sessionsMeasuredSinceMs,
          false,
        ),
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
  // The session cap is the backstop for load (a capacity drop whose admitted people are still
  // arriving); on a tick that reads clear headroom it does not bind (see sessionCap).
  const headroom = step.headroomStrength ?? 0;
  const uncapped =
    (step.headroomStrength !== null && headroom >= cfg.uncapStrength) ||
    idleOnOldCommits(inputs, cfg);
  // Little's law on what the backend serves, not only on the rate admitted: at the knee, people
  // admitted beyond the goodput are a backlog still on its way, and the cap on the goodput
  // stops admitting them before they arrive. Never below a share of the measured capacity, so
  // a goodput held down by the cap itself cannot spiral the cap down with it (fact 4).
  const served =
    smoothed.goodput === null
      ? rate
      : Math.max(
          cfg.sessionCapGoodput * smoothed.goodput,
          cfg.sessionCapCapacityFloor * (step.capacityEstimate ?? 0),
        );
  const capRate = Math.min(rate, served);
  const cap = sessionCap(capRate, inputs, cfg, sessionsMeasuredSinceMs, uncapped);
  const owed = rate * interval + prev.remainder;
  const whole = Math.floor(owed);
  const room = Math.max(0, cap - sessions.active);
  const admit = Math.max(0, Math.min(whole, Math.floor(queue.waiting), Math.floor(room)));
  if (admit < whole && room < whole && room <= queue.waiting) {
    rule = 'session_cap';
    reason = `${sessions.active} active of cap ${cap} (rate: ${reason})`;
  } else if (queue.waiting <= 0 && (rule === 'steady' || rule === 'headroom_increase')) {
    rule = 'no_demand';
    reason = 'nobody waiting';
  }

  const blind = step.rule === 'blind_hold' || step.rule === 'blind_decay';
  const slowAdmitted = smoothAdmitted(prev.slowAdmitted ?? null, admit, interval, cfg);
  const spell = steadySpell(prev, rate, inputs.nowMs, cfg);
  const conversion = measureConversion(prev, {
    inputs,
    cfg,
    interval,
    steadySinceMs: spell.steadySinceMs,
    // Only with latency clearly on its floor: near the knee fewer commits than admissions is a
    // backlog forming (the backend at its capacity), not visitors who do not book.
    healthy: (step.headroomStrength ?? 0) >= cfg.uncapStrength,
    goodput: smoothed.goodput,
    slowAdmitted,
  });
  // How much of what the rate owed was admitted, smoothed: below limitedShare the goodput is
  // the controller's own limit (session cap, nobody waiting), not the backend's.
  const share = whole > 0 ? admit / whole : null;
  const shareAlpha = 1 - Math.exp(-interval / cfg.smoothingSeconds);
  const prevShare = prev.admittedShare ?? null;
  const admittedShare =
    share === null
      ? prevShare
      : prevShare === null
        ? share
        : prevShare + shareAlpha * (share - prevShare);
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
      saturatedAtMs: step.saturatedAtMs,
      smoothedP50Ms: blind ? prev.smoothedP50Ms : smoothed.p50,
      smoothedP95Ms: blind ? prev.smoothedP95Ms : smoothed.p95,
      slowP50Ms: blind ? prev.slowP50Ms : smoothed.slowP50,
      slowP95Ms: blind ? prev.slowP95Ms : smoothed.slowP95,
      latencyTicks: blind ? prev.latencyTicks : smoothed.latencyTicks,
      baseP50Ms: blind ? prev.baseP50Ms : smoothed.baseP50,
      baseP95Ms: blind ? prev.baseP95Ms : smoothed.baseP95,
      smoothedGoodput: blind ? prev.smoothedGoodput : smoothed.goodput,
      slowGoodput: blind ? (prev.slowGoodput ?? null) : smoothed.slowGoodput,
      slowAdmitted,
      sessionsMeasuredSinceMs,
      admittedShare,
      floorTicks: blind ? (prev.floorTicks ?? 0) : smoothed.floorTicks,
      poolQueuedAtMs: step.poolQueuedAtMs,
      spellStartMs: step.spellStartMs,
      conversion,
      ...spell,
    },
  };
}

/**
 * Nothing at the booking backend (no connection busy or awaited, no request in flight) while
 * its latency window has stretched back for want of commits. The booking API's window takes
 * in its last commits when few come, so slow commits from before an idle spell still read as
 * overload; the sessions counted active are not loading the backend (people who found their
 * class sold out and never used their token, say), and a cap on them would admit nobody, so no
 * new commit would ever refresh the window: a stall until those tokens expire (found by the
 * end-to-end surge). Only the stretched window: an idle instant in a normal window (a momentary
 * lull after a cut) keeps the cap, which the simulation needs (T8 6.1θ against 7.1θ without).
 */
function idleOnOldCommits(inputs: ControllerInputs, cfg: ControllerConfig): boolean {
  const { booking } = inputs;
  return (
    booking.poolBusy === 0 &&
    booking.poolWaiting === 0 &&
    booking.inFlight === 0 &&
    (booking.windowSeconds ?? 0) > cfg.stretchedWindowSeconds
  );
}

/** The steady spell this tick belongs to: it goes on while the rate stays within the band. */
function steadySpell(
  prev: ControllerState,
  rate: number,
  nowMs: number,
  cfg: ControllerConfig,
): { steadyRate: number; steadySinceMs: number } {
  const since = prev.steadySinceMs ?? null;
  const at = prev.steadyRate ?? null;
  if (since !== null && at !== null && Math.abs(rate - at) <= cfg.steadyBand * at) {
    return { steadyRate: at, steadySinceMs: since };
  }
  return { steadyRate: rate, steadySinceMs: nowMs };
}

/**
 * Commits per admitted visitor. The goodput trails admissions by the dead time, so while the
 * rate moves their ratio is the lag, not the conversion (on a ramp it reads far below one):
 * it is taken only once the rate has held steady for a dead time and the slow smoothing of
 * admissions, on ticks that read headroom, and smoothed again. Never above one.
 */
function measureConversion(
  prev: ControllerState,
  at: {
    inputs: ControllerInputs;
    cfg: ControllerConfig;
    interval: number;
    steadySinceMs: number;
    healthy: boolean;
    goodput: number | null;
    slowAdmitted: number | null;
  },
): number | null {
  const kept = prev.conversion ?? null;
  const { inputs, cfg, goodput, slowAdmitted } = at;
  if (!at.healthy || goodput === null || slowAdmitted === null || !(slowAdmitted > 0)) return kept;
  const steadyFor = (inputs.nowMs - at.steadySinceMs) / 1000;
  if (steadyFor < deadTimeSeconds(inputs, cfg) + cfg.floorSmoothingSeconds) return kept;
  // The smoothed goodput is in admissions (divided by the conversion it was read with).
  const commits = goodput * (kept ?? 1);
  // A shortfall the rules already allow for (the knee's goodput share) is taken as none:
  // timeouts and retries after a capacity change read a little below one, and dividing by
  // that would overstate every goodput the controller compares with its rate.
  const ratio = commits / slowAdmitted;
  const reading = ratio >= cfg.kneeGoodputShare ? 1 : Math.max(cfg.minConversion, ratio);
  if (kept === null) return reading;
  return kept + (1 - Math.exp(-at.interval / cfg.smoothingSeconds)) * (reading - kept);
}

/** Admissions per second, smoothed over floorSmoothingSeconds (a running level, not a peak). */
function smoothAdmitted(
  prev: number | null,
  admit: number,
  interval: number,
  cfg: ControllerConfig,
): number | null {
  if (!(interval > 0)) return prev;
  const perSecond = admit / interval;
  if (prev === null) return perSecond;
  return prev + (1 - Math.exp(-interval / cfg.floorSmoothingSeconds)) * (perSecond - prev);
}

function stopRule(inputs: ControllerInputs): { rule: ControllerRule; reason: string } | null {
  if (inputs.bounds.paused) {
    return { rule: 'paused', reason: inputs.bounds.pausedReason ?? 'room paused by the operator' };
  }
  if (inputs.bounds.emergencyBrake) {
    return { rule: 'emergency_brake', reason: 'emergency brake engaged' };
  }
  if (!inputs.queueReachable) {
    return { rule: 'queue_unreachable', reason: 'queue store unreachable: failing closed' };
  }
  return null;
}

/**
 * Active sessions allowed: Little's law on the measured session time, within the operator's
 * cap. The measured mean comes from sessions that ended, so it is biased short whenever long
 * sessions are still open (the quick ones end first; one that runs to its token's expiry
 * counts only then): the cap it gives can bind far below the rate. That bias is harmless as a
 * backstop under load (erring tight while the backend is overloaded is the point of fact 3,
 * and the cap lifts as soon as latency is back on its floor), but with clear headroom (latency
 * near its floor, no pool queue, no errors) a binding cap would only starve the backend and
 * make the goodput look low: so on such ticks only the operator's cap applies.
 */
function sessionCap(
  rate: number,
  inputs: ControllerInputs,
  cfg: ControllerConfig,
  measuredSinceMs: number | null,
  uncapped: boolean,
): number {
  const operatorCap = Math.max(0, Math.floor(inputs.bounds.maxActiveSessions));
  if (uncapped) return operatorCap;
  const seconds = inputs.sessions.meanSessionSeconds;
  if (seconds === null || !(seconds > 0) || measuredSinceMs === null) return operatorCap;
  // Until sessions have been measured for one session time, only the quick ones have ended and
  // the mean is short: Little's law on it would stop a cold start for no reason.
  if ((inputs.nowMs - measuredSinceMs) / 1000 < seconds) return operatorCap;
  return Math.min(operatorCap, Math.ceil(rate * seconds * cfg.sessionCapMargin));
}
