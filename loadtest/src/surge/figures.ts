// One run's figures, shaped from what the crowd saw, what the audit found and what the sampler
// read once a second. Pure, so the shaping is unit-tested.

import type { Outcome } from '../crowd/ledger.ts';
import type { CrowdResults } from '../crowd/results.ts';
import type { RunAudit } from './audit.ts';
import { type CommitHistogram, p95UpperBoundMs, shareWithin } from './commit-histogram.ts';
import { countInversions, type JoinedVisitor } from './fifo.ts';
import type { Sample } from './sampler.ts';

export interface RunFigures {
  mode: 'protected' | 'contrast';
  visitors: number;
  seats: number;
  sold: number;
  confirmed: number;
  oversold: number;
  /** Protected: admission order against the join log. Contrast: seat order against arrival. */
  fifo_inversions: number;
  /** Pairs where a later arrival got a seat and an earlier one (who stayed) did not. */
  seat_inversions: number;
  /** Visitors counted for fairness: joined and never left the queue. */
  stayed: number;
  sellout_seconds: number | null;
  /** Worst windowed booking-commit p95 the booking API published from opening to sell-out. */
  commit_p95_ms: number | null;
  commit_target_ms: number;
  /** Every commit of the run (the booking API's histogram): count, share within target, p95 bound. */
  commits_total: number | null;
  commits_within_target_pct: number | null;
  commit_p95_all_le_ms: number | null;
  /** Seconds (samples) of the rush with the windowed commit p95 above target. */
  seconds_over_target: number;
  errors_5xx: number;
  timeouts: number;
  network_errors: number;
  booking_violations: number;
  inventory_mismatches: number;
  peak_queue_length: number | null;
  peak_waiting_visitors: number;
  peak_sse_streams: number;
  /** Admission ticks from opening to sell-out, by the controller rule that decided them. */
  controller_rules: Record<string, number>;
  /** Mean cores busy with work outside this run during the rush, and with this run's own. */
  other_cores_in_rush: number | null;
  run_cores_in_rush: number | null;
  outcomes: Record<Outcome, number>;
  steps: CrowdResults['steps'];
  stop_reason: string;
  /** The first few unexpected answers (5xx, 401, no answer), per step, as the crowd saw them. */
  error_samples: CrowdResults['samples'];
}

const pct = (share: number | null) => (share === null ? null : Math.round(share * 1000) / 10);

function mean(values: ReadonlyArray<number | null>): number | null {
  const known = values.filter((v): v is number => v !== null);
  if (known.length === 0) return null;
  return Math.round((known.reduce((sum, v) => sum + v, 0) / known.length) * 100) / 100;
}

const left = new Set<Outcome>(['abandoned', 'join_failed', 'not_arrived']);

/** Visitors who joined and stayed, with when they were served by `servedAt`. */
export function stayers(crowd: CrowdResults, servedAt: (n: number) => number): JoinedVisitor[] {
  const out: JoinedVisitor[] = [];
  for (let n = 0; n < crowd.visitors; n++) {
    const outcome = crowd.outcome[n] ?? 'pending';
    const joinDoneMs = crowd.joinDoneMs[n] ?? 0;
    if (left.has(outcome) || joinDoneMs === 0) continue;
    out.push({ joinSentMs: crowd.joinSentMs[n] ?? 0, joinDoneMs, servedAtMs: servedAt(n) });
  }
  return out;
}

export function runFigures(input: {
  crowd: CrowdResults;
  audit: RunAudit;
  samples: readonly Sample[];
  targetMs: number;
  commits?: CommitHistogram | null;
}): RunFigures {
  const { crowd, audit, samples } = input;
  const seatServed = (n: number) => ((crowd.bookedMs[n] ?? 0) > 0 ? 0 : Number.POSITIVE_INFINITY);
  const admissionServed = (n: number) =>
    audit.admittedAtByNumber.get(crowd.number[n] ?? 0) ?? Number.POSITIVE_INFINITY;
  const seatInversions = countInversions(stayers(crowd, seatServed));
  const fifoInversions =
    crowd.mode === 'protected' ? countInversions(stayers(crowd, admissionServed)) : seatInversions;
  const selloutSeconds =
    audit.lastSeatAtMs === null
      ? null
      : Math.round((audit.lastSeatAtMs - crowd.releaseAtMs) / 100) / 10;
  // The health window published at t covers the commits of the seconds before t, so the rush's
  // commits are in the windows published until one window length after sell-out.
  const windowS = Math.max(1, ...samples.map((s) => s.windowS ?? 0));
  const rushEnd = selloutSeconds === null ? Number.POSITIVE_INFINITY : selloutSeconds + windowS;
  const rush = samples.filter((s) => s.t >= 0 && s.t <= rushEnd);
  const p95s = rush.map((s) => s.commitP95Ms).filter((v): v is number => v !== null);
  const stepValues = Object.values(crowd.steps);
  const total = (pick: (step: (typeof stepValues)[number]) => number) =>
    stepValues.reduce((sum, step) => sum + pick(step), 0);
  const queueLengths = samples.map((s) => s.queueLength).filter((v): v is number => v !== null);
  return {
    mode: crowd.mode,
    visitors: crowd.visitors,
    seats: audit.seats,
    sold: audit.sold,
    confirmed: audit.confirmed,
    oversold: audit.oversold,
    fifo_inversions: fifoInversions,
    seat_inversions: seatInversions,
    stayed: stayers(crowd, seatServed).length,
    sellout_seconds: selloutSeconds,
    commit_p95_ms: p95s.length > 0 ? Math.round(Math.max(...p95s) * 10) / 10 : null,
    commit_target_ms: input.targetMs,
    commits_total: input.commits?.count ?? null,
    commits_within_target_pct: pct(
      input.commits ? shareWithin(input.commits, input.targetMs) : null,
    ),
    commit_p95_all_le_ms: input.commits ? p95UpperBoundMs(input.commits) : null,
    seconds_over_target: rush.filter((s) => (s.commitP95Ms ?? 0) > input.targetMs).length,
    errors_5xx: total((step) => step.e5xx),
    timeouts: total((step) => step.timeouts),
    network_errors: total((step) => step.network),
    booking_violations: audit.bookingViolations,
    inventory_mismatches: audit.inventoryMismatches,
    peak_queue_length: queueLengths.length > 0 ? Math.max(...queueLengths) : null,
    peak_waiting_visitors: Math.max(0, ...crowd.gauges.map((g) => g.waiting)),
    peak_sse_streams: Math.max(0, ...crowd.gauges.map((g) => g.sseOpen)),
    controller_rules: rush.reduce<Record<string, number>>((counts, s) => {
      for (const [rule, n] of Object.entries(s.rules)) counts[rule] = (counts[rule] ?? 0) + n;
      return counts;
    }, {}),
    other_cores_in_rush: mean(rush.map((s) => s.otherCores)),
    run_cores_in_rush: mean(rush.map((s) => s.runCores)),
    outcomes: crowd.outcomes,
    steps: crowd.steps,
    stop_reason: crowd.stopReason,
    error_samples: crowd.samples,
  };
}

/** The JSON line's fields for one run (the acceptance's list first). */
export function headline(figures: RunFigures) {
  return {
    visitors: figures.visitors,
    seats: figures.seats,
    sold: figures.sold,
    oversold: figures.oversold,
    fifo_inversions: figures.fifo_inversions,
    sellout_seconds: figures.sellout_seconds,
    commit_p95_ms: figures.commit_p95_ms,
    commit_target_ms: figures.commit_target_ms,
    errors_5xx: figures.errors_5xx,
    timeouts: figures.timeouts,
    confirmed: figures.confirmed,
    seat_inversions: figures.seat_inversions,
    seconds_over_target: figures.seconds_over_target,
    commits_within_target_pct: figures.commits_within_target_pct,
    commit_p95_all_le_ms: figures.commit_p95_all_le_ms,
    network_errors: figures.network_errors,
    booking_violations: figures.booking_violations,
    inventory_mismatches: figures.inventory_mismatches,
  };
}
