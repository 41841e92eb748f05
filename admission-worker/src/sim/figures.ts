// The per-run figures behind CONTROLLER.md's targets, read off a run's per-second trace. Times
// are in units of the scenario's dead time θ, goodputs as fractions of the ideal rate at the
// capacity of the moment, so one target fits every scenario.
import { deadTime, type Scenario, timeline } from './model.ts';
import type { RunTrace } from './run.ts';

export const secondLimits = Object.freeze({
  severeCommitP95Ms: 300,
  severeWaitMs: 1_000,
  softCommitP95Ms: 150,
  softWaitMs: 250,
});

export interface RunFigures {
  /** T1: time (θ) until the 10 s mean admission rate first reaches 0.9 r*. */
  rampTheta: number;
  /** The same for goodput, which trails admissions by the dead time (reported, not judged). */
  rampGoodputTheta: number;
  /** T2: severe seconds before the drop. */
  severeBeforeDrop: number;
  /** T3: share of soft seconds in the steady windows. */
  softSteadyShare: number;
  /** T4: mean goodput in the steady windows / r*. */
  steadyGoodput: number;
  /** T5: severe seconds while capacity is halved, in θ. */
  severeDropTheta: number;
  /** T6: errors / booking requests answered while capacity is halved. */
  dropErrorShare: number;
  /** T7: mean goodput over [drop + 4θ, drop + 5θ) / r* at half capacity: recovered by 5θ. */
  dropGoodput: number;
  /** T8: time (θ) after the restore until the 10 s mean admission rate reaches 0.9 r* again… */
  restoreTheta: number;
  restoreGoodputTheta: number;
  /** …and severe seconds after it. */
  severeAfterRestore: number;
  /** T9: mean goodput over the last 100 s / r*. */
  recoveredGoodput: number;
  /** T10: ticks with health missing at which the rate went up. */
  blindIncreases: number;
}

export interface IdealRates {
  full: number;
  reduced: number;
}

export function waitMs(tr: RunTrace, s: number): number {
  return Math.max(tr.waitP95Ms[s] ?? 0, tr.headWaitMs[s] ?? 0);
}

export function isSevere(tr: RunTrace, s: number): boolean {
  return (
    (tr.commitP95Ms[s] ?? 0) > secondLimits.severeCommitP95Ms ||
    waitMs(tr, s) > secondLimits.severeWaitMs ||
    (tr.timeouts[s] ?? 0) > 0
  );
}

export function isSoft(tr: RunTrace, s: number): boolean {
  return (
    (tr.commitP95Ms[s] ?? 0) > secondLimits.softCommitP95Ms ||
    waitMs(tr, s) > secondLimits.softWaitMs
  );
}

function count(from: number, to: number, pred: (s: number) => boolean): number {
  let n = 0;
  for (let s = Math.max(0, from); s < to; s++) if (pred(s)) n++;
  return n;
}

function mean(series: Float64Array, horizon: number, from: number, to: number): number {
  const lo = Math.max(0, Math.floor(from));
  const hi = Math.min(horizon, Math.ceil(to));
  let sum = 0;
  for (let s = lo; s < hi; s++) sum += series[s] ?? 0;
  return hi > lo ? sum / (hi - lo) : 0;
}

function meanCommits(tr: RunTrace, from: number, to: number): number {
  return mean(tr.commits, tr.horizonSeconds, from, to);
}

/** First second ≥ from whose 10 s trailing mean of `series` reaches `level`; the horizon if none. */
function reach(tr: RunTrace, series: Float64Array, from: number, level: number): number {
  for (let s = from + 9; s < tr.horizonSeconds; s++) {
    if (mean(series, tr.horizonSeconds, s - 9, s + 1) >= level) return s + 1 - from;
  }
  return tr.horizonSeconds - from;
}

export function runFigures(tr: RunTrace, scenario: Scenario, ideal: IdealRates): RunFigures {
  const theta = deadTime(scenario);
  const { dropAtSeconds: drop, restoreAtSeconds: restore } = timeline;
  const end = tr.horizonSeconds;
  const severe = (s: number) => isSevere(tr, s);

  // r* is an admission rate (the sweep's open-loop rate), so "time to 90 % of r*" is read on
  // admissions; goodput reaches it about one dead time later, which no controller can shorten.
  const ramp = reach(tr, tr.admitted, 0, 0.9 * ideal.full);
  const rampGoodput = reach(tr, tr.commits, 0, 0.9 * ideal.full);
  // Steady: from a dead time after the ramp (never before 200 s), and the last 100 s.
  const steadyFrom = Math.min(drop - 40, Math.max(200, rampGoodput + theta));
  const steady: Array<[number, number]> = [
    [steadyFrom, drop],
    [end - 100, end],
  ];
  const steadySeconds = steady.reduce((n, [a, b]) => n + (b - a), 0);
  const soft = steady.reduce((n, [a, b]) => n + count(a, b, (s) => isSoft(tr, s)), 0);
  const steadyCommits = steady.reduce((n, [a, b]) => n + meanCommits(tr, a, b) * (b - a), 0);

  let dropErrors = 0;
  let dropAnswered = 0;
  for (let s = drop; s < restore; s++) {
    dropErrors += tr.timeouts[s] ?? 0;
    dropAnswered += (tr.commits[s] ?? 0) + (tr.timeouts[s] ?? 0);
  }

  let blindIncreases = 0;
  for (let s = 1; s < end; s++) {
    if (tr.blind[s] === 1 && (tr.rate[s] ?? 0) > (tr.rate[s - 1] ?? 0) + 1e-9) blindIncreases++;
  }

  return {
    rampTheta: ramp / theta,
    rampGoodputTheta: rampGoodput / theta,
    severeBeforeDrop: count(0, drop, severe),
    softSteadyShare: soft / steadySeconds,
    steadyGoodput: steadyCommits / steadySeconds / ideal.full,
    severeDropTheta: count(drop, restore, severe) / theta,
    dropErrorShare: dropAnswered > 0 ? dropErrors / dropAnswered : 0,
    dropGoodput: meanCommits(tr, drop + 4 * theta, drop + 5 * theta) / ideal.reduced,
    restoreTheta: reach(tr, tr.admitted, restore, 0.9 * ideal.full) / theta,
    restoreGoodputTheta: reach(tr, tr.commits, restore, 0.9 * ideal.full) / theta,
    severeAfterRestore: count(restore, end, severe),
    recoveredGoodput: meanCommits(tr, end - 100, end) / ideal.full,
    blindIncreases,
  };
}
