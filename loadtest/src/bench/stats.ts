// Pure arithmetic of the benchmark report: medians, ratios against a baseline
// measured in the same run, goal checks and the human table. No I/O here, so
// loadtest/test/bench-stats.test.ts covers it without a service.

export function median(values: readonly number[]): number {
  if (values.length === 0) throw new RangeError('median of no values');
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  const upper = sorted[middle] as number;
  if (sorted.length % 2 === 1) return upper;
  return ((sorted[middle - 1] as number) + upper) / 2;
}

/** real / baseline, rounded to 3 decimals; null when the baseline measured nothing. */
export function ratio(real: number, baseline: number): number | null {
  if (!(baseline > 0) || !Number.isFinite(real)) return null;
  return Math.round((real / baseline) * 1000) / 1000;
}

export function round(value: number, decimals = 0): number {
  const factor = 10 ** decimals;
  return Math.round(value * factor) / factor;
}

/** One load-generator run against one endpoint. */
export interface LoadRun {
  /** Successful (2xx) responses per second over the run. */
  rps: number;
  /** Every response and socket error of the run. */
  requests: number;
  non2xx: number;
  errors: number;
  latencyP50Ms: number;
  latencyP99Ms: number;
  durationS: number;
  /** CPU time (user + system) the server process spent per successful request; null when unknown. */
  serverCpuUsPerRequest: number | null;
}

export interface PairSummary {
  realRps: number;
  baselineRps: number;
  ratio: number | null;
  realRuns: number[];
  baselineRuns: number[];
  realP99Ms: number;
  baselineP99Ms: number;
  /** Median server CPU µs per request: less sensitive than req/s to how much CPU the server got. */
  realCpuUsPerRequest: number | null;
  baselineCpuUsPerRequest: number | null;
  /** Fraction of the real endpoint's requests that did not succeed. */
  realFailureRate: number;
}

/** Medians of alternating runs of a real endpoint and its baseline. */
export function summarisePair(real: readonly LoadRun[], baseline: readonly LoadRun[]): PairSummary {
  const realRps = median(real.map((run) => run.rps));
  const baselineRps = median(baseline.map((run) => run.rps));
  const requests = real.reduce((sum, run) => sum + run.requests, 0);
  const failed = real.reduce((sum, run) => sum + run.non2xx + run.errors, 0);
  return {
    realRps: round(realRps),
    baselineRps: round(baselineRps),
    ratio: ratio(realRps, baselineRps),
    realRuns: real.map((run) => round(run.rps)),
    baselineRuns: baseline.map((run) => round(run.rps)),
    realP99Ms: round(median(real.map((run) => run.latencyP99Ms)), 2),
    baselineP99Ms: round(median(baseline.map((run) => run.latencyP99Ms)), 2),
    realCpuUsPerRequest: medianOrNull(real.map((run) => run.serverCpuUsPerRequest)),
    baselineCpuUsPerRequest: medianOrNull(baseline.map((run) => run.serverCpuUsPerRequest)),
    realFailureRate: requests === 0 ? 1 : round(failed / requests, 4),
  };
}

function medianOrNull(values: ReadonlyArray<number | null>): number | null {
  const known = values.filter((value): value is number => value !== null);
  return known.length === 0 ? null : round(median(known), 1);
}

/** The order of a pair's runs: baseline first, then alternating, so drift hits both alike. */
export function alternatingSchedule(rounds: number): Array<'baseline' | 'real'> {
  const order: Array<'baseline' | 'real'> = [];
  for (let i = 0; i < rounds; i += 1) order.push('baseline', 'real');
  return order;
}

export type GoalDirection = 'at_least' | 'at_most';

export interface Goal {
  name: string;
  value: number | null;
  direction: GoalDirection;
  target: number;
}

export interface GoalOutcome extends Goal {
  met: boolean;
}

export function checkGoal(goal: Goal): GoalOutcome {
  const { value } = goal;
  const met =
    value !== null &&
    Number.isFinite(value) &&
    (goal.direction === 'at_least' ? value >= goal.target : value <= goal.target);
  return { ...goal, met };
}

/** A JSON body of exactly `bytes` bytes (at least the 10 of `{"pad":""}`), for baselines. */
export function paddedJsonBody(bytes: number): string {
  const shell = '{"pad":""}';
  return `{"pad":"${'x'.repeat(Math.max(0, bytes - shell.length))}"}`;
}

/** (after - before) / count, rounded to 2 decimals; null without a count. */
export function perItem(before: number, after: number, count: number): number | null {
  if (!(count > 0)) return null;
  return round((after - before) / count, 2);
}

/** Fixed-width rows for stderr; the JSON line is the machine-readable report. */
export function renderTable(
  header: readonly string[],
  rows: ReadonlyArray<readonly string[]>,
): string {
  const widths = header.map((title, column) =>
    Math.max(title.length, ...rows.map((row) => (row[column] ?? '').length)),
  );
  const line = (cells: readonly string[]) =>
    cells
      .map((cell, column) => cell.padEnd(widths[column] ?? 0))
      .join('  ')
      .trimEnd();
  const rule = widths.map((width) => '-'.repeat(width)).join('  ');
  return [line(header), rule, ...rows.map(line)].join('\n');
}
