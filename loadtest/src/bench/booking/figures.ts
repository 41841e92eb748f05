// Pure arithmetic of the booking bench: percentiles, one run's rate, and the
// medians of alternating real/baseline runs. Tested in bench-booking.test.ts.
import { median, ratio, round } from '../stats.ts';
import type { LoopResult } from './closed-loop.ts';
import type { OpCost } from './cost.ts';

/** Nearest-rank percentile (p in 0..100) of unsorted values; null without values. */
export function percentile(values: readonly number[], p: number): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.min(sorted.length, Math.max(1, Math.ceil((p / 100) * sorted.length)));
  return sorted[rank - 1] ?? null;
}

/** One measured run of one side. */
export interface RateRun {
  /** Completed operations per second. */
  rate: number;
  ops: number;
  failures: number;
  elapsedS: number;
  p50Ms: number | null;
  p95Ms: number | null;
  /** The work ran out before the deadline (the rate is still ops / elapsed). */
  exhausted: boolean;
  cost: OpCost | null;
}

export function rateRun(loop: LoopResult, cost: OpCost | null = null): RateRun {
  const elapsedS = loop.elapsedMs / 1000;
  return {
    rate: elapsedS > 0 ? round(loop.ops / elapsedS) : 0,
    ops: loop.ops,
    failures: loop.failures,
    elapsedS: round(elapsedS, 2),
    p50Ms: roundOrNull(percentile(loop.latenciesMs, 50)),
    p95Ms: roundOrNull(percentile(loop.latenciesMs, 95)),
    exhausted: loop.exhausted,
    cost,
  };
}

export function roundOrNull(value: number | null, decimals = 2): number | null {
  return value === null ? null : round(value, decimals);
}

export interface RatePair {
  real: number;
  baseline: number;
  /** real / baseline of the medians. */
  ratio: number | null;
  realRuns: number[];
  baselineRuns: number[];
  /** Median over the runs of each run's p95. */
  realP95Ms: number | null;
  baselineP95Ms: number | null;
  /** Medians over the runs of each run's cost per operation. */
  realCost: OpCost;
  baselineCost: OpCost;
}

function medianOrNull(values: ReadonlyArray<number | null>): number | null {
  const known = values.filter((value): value is number => value !== null);
  return known.length === 0 ? null : round(median(known), 2);
}

function medianCost(runs: readonly RateRun[]): OpCost {
  const of = (field: keyof OpCost) => medianOrNull(runs.map((run) => run.cost?.[field] ?? null));
  return {
    clientCpuUs: of('clientCpuUs'),
    clientSystemCpuUs: of('clientSystemCpuUs'),
    redisCpuUs: of('redisCpuUs'),
    redisScriptUsPerCall: of('redisScriptUsPerCall'),
  };
}

export function summariseRates(real: readonly RateRun[], baseline: readonly RateRun[]): RatePair {
  const realRate = median(real.map((run) => run.rate));
  const baselineRate = median(baseline.map((run) => run.rate));
  return {
    real: round(realRate),
    baseline: round(baselineRate),
    ratio: ratio(realRate, baselineRate),
    realRuns: real.map((run) => run.rate),
    baselineRuns: baseline.map((run) => run.rate),
    realP95Ms: medianOrNull(real.map((run) => run.p95Ms)),
    baselineP95Ms: medianOrNull(baseline.map((run) => run.p95Ms)),
    realCost: medianCost(real),
    baselineCost: medianCost(baseline),
  };
}

export function describeRun(unit: string, run: RateRun): string {
  const end = run.exhausted ? ' (work ran out)' : '';
  const cost = run.cost;
  const cpu = cost
    ? `; client CPU/op ${cost.clientCpuUs ?? 'n/a'} µs (kernel ${cost.clientSystemCpuUs ?? 'n/a'})` +
      (cost.redisCpuUs === null ? '' : `, Redis ${cost.redisCpuUs} µs`) +
      (cost.redisScriptUsPerCall === null ? '' : ` (in script ${cost.redisScriptUsPerCall} µs)`)
    : '';
  return (
    `${run.rate} ${unit}/s over ${run.elapsedS} s${end}, p50 ${run.p50Ms ?? 'n/a'} ms, ` +
    `p95 ${run.p95Ms ?? 'n/a'} ms, ${run.failures} failed${cpu}`
  );
}
