// The unit of work a worker thread runs: one open-loop sweep or one simulated run, reduced to
// the small result the command aggregates (figures, not traces, cross the thread boundary).
import { type IdealRates, type RunFigures, runFigures } from './figures.ts';
import { scenarios } from './model.ts';
import type { PolicyName } from './policies.ts';
import { runOnce } from './run.ts';
import { findIdealRate } from './sweep.ts';

export type Job =
  | { kind: 'sweep'; cores: number; seeds: number[] }
  | { kind: 'run'; scenario: string; policy: PolicyName; seed: number; ideal: IdealRates };

export type JobResult =
  | { kind: 'sweep'; cores: number; idealRate: number }
  | { kind: 'run'; scenario: string; policy: PolicyName; seed: number; figures: RunFigures };

export function runJob(job: Job): JobResult {
  if (job.kind === 'sweep') {
    return {
      kind: 'sweep',
      cores: job.cores,
      idealRate: findIdealRate({ cores: job.cores, seeds: job.seeds }),
    };
  }
  const scenario = scenarios.find((s) => s.name === job.scenario);
  if (scenario === undefined) throw new Error(`unknown scenario ${job.scenario}`);
  const trace = runOnce({
    scenario,
    policy: job.policy,
    seed: job.seed,
    idealRate: job.ideal.full,
  });
  return {
    kind: 'run',
    scenario: job.scenario,
    policy: job.policy,
    seed: job.seed,
    figures: runFigures(trace, scenario, job.ideal),
  };
}
