// One simulated run: a scenario, a policy and a seed. Each second the policy gets the inputs a
// production tick would build (from the simulated measurements, late or missing as the
// scenario says), its admissions go to the backend, and the backend runs to the next second.
import type { ControllerInputs } from '../controller/index.ts';
import { Backend, type SecondTrace } from './backend.ts';
import { backendModel, coresAt, type Scenario, timeline } from './model.ts';
import { createPolicy, type PolicyName } from './policies.ts';

/** Visitors in the queue at the start: more than any policy can admit in the horizon. */
const crowd = 5_000_000;
/** The window over which session time is measured from ended sessions. */
const sessionWindowSeconds = 30;

export interface RunSpec {
  scenario: Scenario;
  policy: PolicyName;
  seed: number;
  idealRate: number;
  horizonSeconds?: number;
  keepNotes?: boolean;
}

export interface RunTrace extends SecondTrace {
  horizonSeconds: number;
  rate: Float64Array;
  /** 1 where the policy's health inputs were missing this tick. */
  blind: Uint8Array;
  /** The policy's rule and reason per tick, kept only when asked for (debugging a run). */
  notes: string[] | null;
}

export function runOnce(spec: RunSpec): RunTrace {
  const horizon = spec.horizonSeconds ?? timeline.horizonSeconds;
  const { scenario } = spec;
  const backend = new Backend({
    seed: spec.seed,
    horizonSeconds: horizon,
    thinkMin: scenario.thinkMin,
    thinkMax: scenario.thinkMax,
    coresAt,
  });
  const policy = createPolicy(spec.policy, {
    idealRate: spec.idealRate,
    priorFraction: scenario.priorFraction,
  });
  const tr = backend.trace;
  const rate = new Float64Array(horizon);
  const blind = new Uint8Array(horizon);
  const notes: string[] | null = spec.keepNotes === true ? [] : null;
  let ended = 0;
  let windowEnds = 0;
  let windowSeconds = 0;

  for (let t = 0; t < horizon; t++) {
    if (t > 0) {
      ended += tr.sessionEnds[t - 1] ?? 0;
      windowEnds += tr.sessionEnds[t - 1] ?? 0;
      windowSeconds += tr.sessionSecondsSum[t - 1] ?? 0;
      const old = t - 1 - sessionWindowSeconds;
      if (old >= 0) {
        windowEnds -= tr.sessionEnds[old] ?? 0;
        windowSeconds -= tr.sessionSecondsSum[old] ?? 0;
      }
    }
    const b = scenario.blackout;
    const dark = b !== null && t >= b.startSeconds && t < b.startSeconds + b.seconds;
    blind[t] = dark ? 1 : 0;
    const inputs = buildInputs(tr, t, dark, scenario.staleSeconds, {
      active: backend.admittedTotal - ended,
      meanSessionSeconds: windowEnds > 0 ? windowSeconds / windowEnds : null,
      waiting: crowd - backend.admittedTotal,
      poolBusy: backend.inService,
      poolWaiting: backend.poolWaiting,
    });
    const out = policy.tick(inputs);
    rate[t] = out.ratePerSecond;
    notes?.push(`${out.rule}: ${out.reason}`);
    backend.admit(t, out.admit);
    backend.advanceTo(t + 1);
  }
  return { ...tr, horizonSeconds: horizon, rate, blind, notes };
}

interface Live {
  active: number;
  meanSessionSeconds: number | null;
  waiting: number;
  poolBusy: number;
  poolWaiting: number;
}

function buildInputs(
  tr: SecondTrace,
  t: number,
  dark: boolean,
  staleSeconds: number,
  live: Live,
): ControllerInputs {
  // The health summary of second s covers (s, s + 1]; at tick t the newest is s = t − 1,
  // or s = t − 1 − stale when it arrives late. Pool gauges are read with the summary.
  const s = t - 1 - staleSeconds;
  const known = !dark && s >= 0;
  const at = (a: Float64Array) => (known ? (a[s] ?? 0) : null);
  const commits = known ? (tr.commits[s] ?? 0) : 0;
  const timeouts = at(tr.timeouts);
  const fresh = staleSeconds === 0;
  return {
    nowMs: t * 1000,
    intervalSeconds: 1,
    queueReachable: true,
    booking: {
      commitP50Ms: commits > 0 ? at(tr.commitP50Ms) : null,
      commitP95Ms: commits > 0 ? at(tr.commitP95Ms) : null,
      commitSamples: commits,
      poolBusy: known ? (fresh ? live.poolBusy : (tr.poolBusy[s] ?? 0)) : null,
      poolWaiting: known ? (fresh ? live.poolWaiting : (tr.poolWaiting[s] ?? 0)) : null,
      poolMax: known ? backendModel.poolSize : null,
      inFlight: known ? (tr.poolBusy[s] ?? 0) + (tr.poolWaiting[s] ?? 0) : null,
      requests: known ? commits + (timeouts ?? 0) : null,
      errors5xx: known ? 0 : null,
      timeouts,
      ageMs: known ? staleSeconds * 1000 : s < 0 && !dark ? 0 : null,
      windowSeconds: known ? 1 : null,
    },
    database: { lockWaits: known ? 0 : null, activeSessions: at(tr.poolBusy) },
    queue: { waiting: live.waiting, headAgeMs: live.waiting > 0 ? t * 1000 : null },
    sessions: {
      active: live.active,
      meanSessionSeconds: live.meanSessionSeconds,
      liveHolds: null,
    },
    bounds: {
      paused: false,
      emergencyBrake: false,
      minPerSecond: 1,
      maxPerSecond: 10_000,
      maxActiveSessions: 1_000_000,
      latencyTargetMs: 150,
    },
  };
}
