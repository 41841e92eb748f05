// `pnpm sim:controller`: find r* by the open-loop sweep, run every scenario of CONTROLLER.md
// with the controller and both baselines over N seeds (worker threads), print a table and, as
// the last line, the criteria as one JSON object.
//
//   node admission-worker/src/sim/command.ts [--seeds 20] [--first-seed 1000] [--workers 2]
//                                            [--sweep-seeds 3]
// The criteria are judged on seeds 1000-1019; another --first-seed runs a fresh set of seeds
// (a check that a figure near its target is not an artefact of the seed set).
import { availableParallelism } from 'node:os';
import { parseArgs } from 'node:util';
import { type Criteria, evaluate, quantile } from './criteria.ts';
import type { IdealRates, RunFigures } from './figures.ts';
import type { Job, JobResult } from './jobs.ts';
import { backendModel, scenarios } from './model.ts';
import type { PolicyName } from './policies.ts';
import { runJobs } from './pool.ts';

const policies: readonly PolicyName[] = ['controller', 'static', 'periodic_alarm'];

export interface SimulationReport {
  seeds: number;
  firstSeed: number;
  ideal: IdealRates;
  figures: Map<PolicyName, Map<string, RunFigures[]>>;
  criteria: Record<PolicyName, Criteria>;
}

export async function simulate(options: {
  seeds: number;
  /** The first run seed (default 1000); seed i of the run is firstSeed + i. */
  firstSeed?: number;
  workers: number;
  sweepSeeds: number;
  /** Restrict the run (tests, tuning); the command always runs everything. */
  policies?: readonly PolicyName[];
  scenarios?: readonly string[];
  /** Skip the sweep and use these ideal rates. */
  ideal?: IdealRates;
  onProgress?: (done: number, total: number) => void;
}): Promise<SimulationReport> {
  const ideal = options.ideal ?? (await sweepIdealRates(options.sweepSeeds, options.workers));
  const runPolicies = options.policies ?? policies;
  const runScenarios = scenarios.filter(
    (s) => options.scenarios === undefined || options.scenarios.includes(s.name),
  );

  // Common random numbers: seed i is the same backend randomness for every policy and scenario.
  const firstSeed = options.firstSeed ?? 1_000;
  const jobs: Job[] = [];
  for (let i = 0; i < options.seeds; i++) {
    for (const scenario of runScenarios) {
      for (const policy of runPolicies) {
        jobs.push({ kind: 'run', scenario: scenario.name, policy, seed: firstSeed + i, ideal });
      }
    }
  }
  const results = await runJobs(jobs, options.workers, (_, done) =>
    options.onProgress?.(done, jobs.length),
  );

  const figures = new Map<PolicyName, Map<string, RunFigures[]>>();
  for (const r of results) {
    if (r.kind !== 'run') continue;
    const byScenario = figures.get(r.policy) ?? new Map<string, RunFigures[]>();
    figures.set(r.policy, byScenario);
    const list = byScenario.get(r.scenario) ?? [];
    byScenario.set(r.scenario, list);
    list.push(r.figures);
  }
  const criteria = Object.fromEntries(
    runPolicies.map((p) => [p, evaluate(figures.get(p) ?? new Map())]),
  ) as Record<PolicyName, Criteria>;
  return { seeds: options.seeds, firstSeed, ideal, figures, criteria };
}

/** r* at full and at halved capacity, from the open-loop sweep over `seeds` sweep seeds. */
export async function sweepIdealRates(seeds: number, workers: number): Promise<IdealRates> {
  const sweepSeeds = Array.from({ length: seeds }, (_, i) => 9_001 + i);
  const sweeps = (await runJobs(
    [backendModel.fullCores, backendModel.reducedCores].map(
      (cores): Job => ({ kind: 'sweep', cores, seeds: sweepSeeds }),
    ),
    workers,
  )) as Array<Extract<JobResult, { kind: 'sweep' }>>;
  const rateFor = (cores: number) => sweeps.find((s) => s.cores === cores)?.idealRate ?? Number.NaN;
  return { full: rateFor(backendModel.fullCores), reduced: rateFor(backendModel.reducedCores) };
}

const columns: Array<[keyof RunFigures, string, 'high' | 'low', number]> = [
  ['rampTheta', 'ramp θ', 'high', 2],
  ['rampGoodputTheta', 'rampGP θ', 'high', 2],
  ['severeBeforeDrop', 'sev<drop', 'high', 0],
  ['softSteadyShare', 'soft%', 'high', 1],
  ['steadyGoodput', 'steady', 'low', 3],
  ['severeDropTheta', 'sevDrop θ', 'high', 2],
  ['dropErrorShare', 'err%', 'high', 3],
  ['dropGoodput', 'dropGP', 'low', 3],
  ['restoreTheta', 'restore θ', 'high', 2],
  ['restoreGoodputTheta', 'restGP θ', 'high', 2],
  ['severeAfterRestore', 'sevRest', 'high', 0],
  ['recoveredGoodput', 'recGP', 'low', 3],
  ['blindIncreases', 'blind↑', 'high', 0],
];

export function formatTable(report: SimulationReport): string {
  const lines: string[] = [];
  lines.push(
    `r* (open-loop sweep): ${report.ideal.full}/s at ${backendModel.fullCores} cores, ` +
      `${report.ideal.reduced}/s at ${backendModel.reducedCores} cores; ${report.seeds} seeds from ${report.firstSeed}; ` +
      'cells are p95 over seeds (p5 for goodputs), times in θ, goodputs as fractions of r*',
  );
  const pad = (s: string, n: number) => s.padStart(n);
  for (const [policy, byScenario] of report.figures) {
    lines.push('');
    lines.push(`${policy}`);
    lines.push(pad('scenario', 14) + columns.map(([, h]) => pad(h, 10)).join(''));
    for (const scenario of scenarios) {
      const runs = byScenario.get(scenario.name) ?? [];
      const cells = columns.map(([k, , dir, digits]) => {
        const q = quantile(
          runs.map((r) => r[k]),
          dir === 'high' ? 0.95 : 0.05,
        );
        const shown = k === 'softSteadyShare' || k === 'dropErrorShare' ? q * 100 : q;
        return pad(shown.toFixed(digits), 10);
      });
      lines.push(pad(scenario.name, 14) + cells.join(''));
    }
    lines.push('');
    for (const [name, c] of Object.entries(report.criteria[policy] ?? {})) {
      lines.push(
        `  ${name.padEnd(4)} ${c.pass ? 'pass' : 'FAIL'}  value ${JSON.stringify(c.value)} target ${JSON.stringify(c.target)}` +
          (typeof c.worst_scenario === 'string' ? `  (worst: ${c.worst_scenario})` : ''),
      );
    }
  }
  return lines.join('\n');
}

export function summaryLine(report: SimulationReport): string {
  return JSON.stringify({
    seeds: report.seeds,
    criteria: report.criteria.controller,
    baselines: {
      static: { criteria: report.criteria.static },
      periodic_alarm: { criteria: report.criteria.periodic_alarm },
    },
  });
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      seeds: { type: 'string', default: '20' },
      'first-seed': { type: 'string', default: '1000' },
      workers: { type: 'string', default: String(Math.min(2, availableParallelism())) },
      'sweep-seeds': { type: 'string', default: '3' },
    },
  });
  const seeds = Number(values.seeds);
  const workers = Number(values.workers);
  const sweepSeeds = Number(values['sweep-seeds']);
  const firstSeed = Number(values['first-seed']);
  if (!(firstSeed >= 0 && Number.isInteger(firstSeed)))
    throw new Error('--first-seed must be a non-negative integer');
  if (!(seeds >= 1 && Number.isInteger(seeds)))
    throw new Error('--seeds must be a positive integer');
  if (!(workers >= 1 && Number.isInteger(workers)))
    throw new Error('--workers must be a positive integer');
  const started = performance.now();
  const report = await simulate({
    seeds,
    firstSeed,
    workers,
    sweepSeeds,
    onProgress: (done, total) => {
      if (done % 50 === 0 || done === total) process.stderr.write(`\r${done}/${total} runs`);
    },
  });
  process.stderr.write('\n');
  console.log(formatTable(report));
  console.log(`\n${((performance.now() - started) / 1000).toFixed(1)} s`);
  console.log(summaryLine(report));
}

if (import.meta.url === `file://${process.argv[1]}`) {
  await main();
}
