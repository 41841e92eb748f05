// Where the machine's CPU went, once a second: all of it (/proc/stat), this run's own processes
// (services, crowd, and PostgreSQL backends serving the run's database, from /proc/<pid>/stat),
// and the rest: other work on a shared machine, and Redis. A booking commit that is slow while
// the rest is high was slowed by the machine, not by the admissions.
import { readFile } from 'node:fs/promises';
import { cpus } from 'node:os';
import { cpuMicros } from '../bench/children.ts';

export interface CpuShare {
  /** Cores busy on the whole machine, and of them this run's processes and the rest. */
  machineCores: number;
  runCores: number;
  otherCores: number;
}

async function machineTicks(): Promise<{ busy: number; total: number }> {
  const line = (await readFile('/proc/stat', 'utf8')).split('\n')[0] ?? '';
  const fields = line.trim().split(/\s+/).slice(1).map(Number);
  const total = fields.reduce((sum, value) => sum + value, 0);
  // idle + iowait are not busy.
  return { busy: total - (fields[3] ?? 0) - (fields[4] ?? 0), total };
}

export class MachineCpu {
  readonly #cores = cpus().length;
  #previous: { atMs: number; busy: number; total: number; run: Map<number, number> } | null = null;

  /** The share since the previous call; null on the first call. */
  async sample(runPids: readonly number[]): Promise<CpuShare | null> {
    const atMs = Date.now();
    const ticks = await machineTicks();
    const run = new Map<number, number>();
    await Promise.all(
      runPids.map(async (pid) => {
        const micros = await cpuMicros(pid).catch(() => null);
        if (micros !== null) run.set(pid, micros);
      }),
    );
    const previous = this.#previous;
    this.#previous = { atMs, ...ticks, run };
    if (!previous || ticks.total === previous.total) return null;
    const seconds = (atMs - previous.atMs) / 1000;
    const machineCores =
      ((ticks.busy - previous.busy) / (ticks.total - previous.total)) * this.#cores;
    let runMicros = 0;
    for (const [pid, micros] of run) {
      const before = previous.run.get(pid);
      if (before !== undefined) runMicros += micros - before;
    }
    const runCores = Math.min(machineCores, runMicros / 1e6 / seconds);
    const round = (value: number) => Math.round(value * 100) / 100;
    return {
      machineCores: round(machineCores),
      runCores: round(runCores),
      otherCores: round(Math.max(0, machineCores - runCores)),
    };
  }
}
