// From per-run figures to CONTROLLER.md's table: each figure taken over the seeds at the 95th
// percentile in its bad direction (the 5th percentile for goodputs, where low is bad), then
// the worst scenario it applies to, compared with its target.
import type { RunFigures } from './figures.ts';

export interface Criterion {
  value: number;
  target: number | [number, number];
  pass: boolean;
  [detail: string]: unknown;
}

export type Criteria = Record<string, Criterion>;

/** Figures of every seed, per scenario name. */
export type FiguresByScenario = ReadonlyMap<string, readonly RunFigures[]>;

export function quantile(values: readonly number[], q: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const pos = (sorted.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return (sorted[lo] ?? 0) + ((sorted[hi] ?? 0) - (sorted[lo] ?? 0)) * (pos - lo);
}

type Key = keyof RunFigures;
/** The bad tail over seeds: p95 where high is bad, p5 where low is bad. */
const high = (runs: readonly RunFigures[], k: Key) =>
  quantile(
    runs.map((r) => r[k]),
    0.95,
  );
const low = (runs: readonly RunFigures[], k: Key) =>
  quantile(
    runs.map((r) => r[k]),
    0.05,
  );

const main = ['base', 'think_5_15', 'think_20_60', 'prior_15', 'prior_75'];
const fromForty = ['base', 'think_5_15', 'think_20_60', 'prior_75'];
const blindVariants = ['blackout_30s', 'stale_5s'];

function worst(
  by: FiguresByScenario,
  names: readonly string[],
  k: Key,
  dir: 'high' | 'low',
): { value: number; scenario: string } {
  let best: { value: number; scenario: string } | null = null;
  for (const name of names) {
    const runs = by.get(name);
    if (runs === undefined || runs.length === 0) continue;
    const v = dir === 'high' ? high(runs, k) : low(runs, k);
    if (best === null || (dir === 'high' ? v > best.value : v < best.value)) {
      best = { value: v, scenario: name };
    }
  }
  return best ?? { value: Number.NaN, scenario: 'none' };
}

const round = (x: number, digits = 4) => Number(x.toFixed(digits));

function atMost(w: { value: number; scenario: string }, target: number): Criterion {
  return { value: round(w.value), target, pass: w.value <= target, worst_scenario: w.scenario };
}

function atLeast(w: { value: number; scenario: string }, target: number): Criterion {
  return { value: round(w.value), target, pass: w.value >= target, worst_scenario: w.scenario };
}

export function evaluate(by: FiguresByScenario): Criteria {
  const t4Low = worst(by, main, 'steadyGoodput', 'low');
  const t4High = worst(by, main, 'steadyGoodput', 'high');
  const t8Time = worst(by, main, 'restoreTheta', 'high');
  const t8Severe = worst(by, main, 'severeAfterRestore', 'high');

  return {
    T1: {
      ...atMost(worst(by, fromForty, 'rampTheta', 'high'), 5),
      goodput_value: round(worst(by, fromForty, 'rampGoodputTheta', 'high').value),
    },
    T1b: {
      ...atMost(worst(by, ['prior_15'], 'rampTheta', 'high'), 12),
      goodput_value: round(worst(by, ['prior_15'], 'rampGoodputTheta', 'high').value),
    },
    T2: atMost(worst(by, main, 'severeBeforeDrop', 'high'), 0),
    T3: atMost(worst(by, main, 'softSteadyShare', 'high'), 0.02),
    T4: {
      value: round(t4Low.value),
      p95: round(t4High.value),
      target: [0.85, 0.95],
      pass: t4Low.value >= 0.85 && t4High.value <= 0.95,
      worst_scenario: t4Low.value < 0.85 ? t4Low.scenario : t4High.scenario,
    },
    T5: atMost(worst(by, main, 'severeDropTheta', 'high'), 2.5),
    T6: atMost(worst(by, main, 'dropErrorShare', 'high'), 0.001),
    T7: atLeast(worst(by, main, 'dropGoodput', 'low'), 0.8),
    T8: {
      value: round(t8Time.value),
      goodput_value: round(worst(by, main, 'restoreGoodputTheta', 'high').value),
      target: 6,
      severe_seconds: round(t8Severe.value),
      pass: t8Time.value <= 6 && t8Severe.value <= 0,
      worst_scenario: t8Time.value > 6 ? t8Time.scenario : t8Severe.scenario,
    },
    T9: atLeast(worst(by, main, 'recoveredGoodput', 'low'), 0.8),
    T10: blindCriterion(by),
  };
}

/**
 * T10: no increase while blind, and T5–T8 at most 1.5× worse than in the base scenario. A
 * figure still within its own target is not worse in any sense that matters, so each limit is
 * the looser of 1.5× the base figure and the target.
 */
function blindCriterion(by: FiguresByScenario): Criterion {
  const increases = worst(by, ['blackout_30s'], 'blindIncreases', 'high');
  const base = by.get('base') ?? [];
  const checks: Record<string, { value: number; limit: number; pass: boolean }> = {};
  let pass = increases.value <= 0;
  for (const name of blindVariants) {
    const runs = by.get(name) ?? [];
    const entries: Array<[string, number, number, 'high' | 'low']> = [
      [
        'T5',
        high(runs, 'severeDropTheta'),
        Math.max(1.5 * high(base, 'severeDropTheta'), 2.5),
        'high',
      ],
      [
        'T6',
        high(runs, 'dropErrorShare'),
        Math.max(1.5 * high(base, 'dropErrorShare'), 0.001),
        'high',
      ],
      ['T7', low(runs, 'dropGoodput'), Math.min(low(base, 'dropGoodput') / 1.5, 0.8), 'low'],
      ['T8', high(runs, 'restoreTheta'), Math.max(1.5 * high(base, 'restoreTheta'), 6), 'high'],
      [
        'T8_severe',
        high(runs, 'severeAfterRestore'),
        1.5 * high(base, 'severeAfterRestore'),
        'high',
      ],
    ];
    for (const [k, v, limit, dir] of entries) {
      const ok = dir === 'high' ? v <= limit : v >= limit;
      checks[`${name}.${k}`] = { value: round(v), limit: round(limit), pass: ok };
      pass &&= ok;
    }
  }
  return {
    value: round(increases.value),
    target: 0,
    pass,
    increases_while_blind: increases.value,
    checks,
  };
}
