// Throughput of a real endpoint against its bare baseline: the same load
// generator, connections and duration, runs alternating baseline, real,
// baseline, real... so that whatever else the shared machine does hits both.
import { cpuMicros } from './children.ts';
import type { Cleanup, Progress } from './cleanup.ts';
import type { LoadSpec } from './load/load-spec.ts';
import { type LoadGenerator, runLoad } from './load/run-load.ts';
import {
  alternatingSchedule,
  type LoadRun,
  type PairSummary,
  round,
  summarisePair,
} from './stats.ts';

export interface PairPlan {
  name: string;
  real: Omit<LoadSpec, 'connections' | 'durationS'>;
  baseline: Omit<LoadSpec, 'connections' | 'durationS'>;
  /** Server processes, for their CPU time per request. */
  pids: { real: number; baseline: number };
}

export interface PairSettings {
  generator: LoadGenerator;
  connections: number;
  durationS: number;
  warmupS: number;
  rounds: number;
  scratchDir: string;
}

/** More failed requests than this makes a run's throughput meaningless. */
const maxFailureRate = 0.01;

function describe(run: LoadRun): string {
  const cpu =
    run.serverCpuUsPerRequest === null
      ? ''
      : `, server CPU ${round(run.serverCpuUsPerRequest, 1)} µs/req`;
  return `${round(run.rps)} req/s, p99 ${round(run.latencyP99Ms, 1)} ms${cpu}, ${run.non2xx} non-2xx, ${run.errors} errors`;
}

export async function measurePair(
  cleanup: Cleanup,
  plan: PairPlan,
  settings: PairSettings,
  progress: Progress,
): Promise<PairSummary> {
  const spec = (side: PairPlan['real'], durationS: number): LoadSpec => ({
    ...side,
    connections: settings.connections,
    durationS,
  });
  if (settings.warmupS > 0) {
    for (const side of ['baseline', 'real'] as const) {
      await runLoad(
        cleanup,
        settings.generator,
        spec(plan[side], settings.warmupS),
        settings.scratchDir,
      );
    }
  }
  const runs: Record<'baseline' | 'real', LoadRun[]> = { baseline: [], real: [] };
  for (const side of alternatingSchedule(settings.rounds)) {
    const cpuBefore = await cpuMicros(plan.pids[side]);
    const run = await runLoad(
      cleanup,
      settings.generator,
      spec(plan[side], settings.durationS),
      settings.scratchDir,
    );
    const succeeded = run.rps * run.durationS;
    const cpuUsed = (await cpuMicros(plan.pids[side])) - cpuBefore;
    run.serverCpuUsPerRequest = succeeded > 0 ? cpuUsed / succeeded : null;
    progress(`${plan.name} ${side}: ${describe(run)}`);
    if ((run.non2xx + run.errors) / Math.max(1, run.requests) > maxFailureRate) {
      throw new Error(`${plan.name} ${side}: too many failed requests (${describe(run)})`);
    }
    runs[side].push(run);
  }
  return summarisePair(runs.real, runs.baseline);
}
