// Runs the journey scenario with artillery as a child process and reads its JSON report: used by
// `pnpm loadtest:rush` and by the smoke test. Bounded in time: a run still going at the
// deadline is killed and reported as such.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const scenarioFile = fileURLToPath(new URL('./journey.yml', import.meta.url));
const artilleryBin = fileURLToPath(new URL('../node_modules/.bin/artillery', import.meta.url));

export interface ArtilleryRun {
  /** Artillery's exit code: non-zero when a threshold (ensure) was breached. */
  exitCode: number | null;
  killedAtDeadline: boolean;
  output: string;
  /** Aggregate counters of the JSON report (e.g. tatkal.outcome.confirmed, vusers.failed). */
  counters: Record<string, number>;
  /** Aggregate summaries (min, p95, p99, ...) by metric, e.g. tatkal.response_time.book. */
  summaries: Record<string, Record<string, number>>;
  /** Each threshold line artillery printed, `ok: ...` or `fail: ...`. */
  checks: string[];
}

export interface ArtilleryOptions {
  environment: 'rush' | 'smoke';
  /** TATKAL_* variables for the scenario (see journey.yml). */
  env: Record<string, string>;
  deadlineMs: number;
  /** Copy artillery's console output to this process's stdout as it comes. */
  echo?: boolean;
  /** Keep artillery's JSON report here; by default it goes to a temporary file. */
  reportFile?: string;
}

// biome-ignore lint/suspicious/noControlCharactersInRegex: artillery colours its check lines
const ansi = /\u001b\[[0-9;]*m/g;

export async function runArtillery(options: ArtilleryOptions): Promise<ArtilleryRun> {
  const dir = mkdtempSync(join(tmpdir(), 'tatkal-artillery-'));
  const reportFile = options.reportFile ?? join(dir, 'report.json');
  try {
    const child = spawn(
      artilleryBin,
      ['run', '--environment', options.environment, '--output', reportFile, scenarioFile],
      {
        env: {
          PATH: process.env.PATH ?? '',
          HOME: process.env.HOME ?? dir,
          ARTILLERY_DISABLE_TELEMETRY: 'true',
          ...options.env,
        },
        stdio: ['ignore', 'pipe', 'pipe'],
        detached: true,
      },
    );
    let output = '';
    const collect = (chunk: Buffer) => {
      output += chunk.toString();
      if (options.echo) process.stdout.write(chunk);
    };
    child.stdout?.on('data', collect);
    child.stderr?.on('data', collect);
    let killedAtDeadline = false;
    const deadline = setTimeout(() => {
      killedAtDeadline = true;
      // Artillery runs its workers as threads of one process; its group is ours to end.
      if (child.pid) process.kill(-child.pid, 'SIGKILL');
    }, options.deadlineMs);
    const [exitCode] = (await once(child, 'close')) as [number | null];
    clearTimeout(deadline);
    const clean = output.replace(ansi, '');
    const checks = clean
      .split('\n')
      .map((line) => line.trim())
      .filter((line) => /^(ok|fail): /.test(line));
    let counters: Record<string, number> = {};
    let summaries: Record<string, Record<string, number>> = {};
    try {
      const report = JSON.parse(readFileSync(reportFile, 'utf8')) as {
        aggregate: {
          counters: Record<string, number>;
          summaries: Record<string, Record<string, number>>;
        };
      };
      counters = report.aggregate.counters;
      summaries = report.aggregate.summaries;
    } catch {
      // No report: the run died or was killed; the output says why.
    }
    return { exitCode, killedAtDeadline, output: clean, counters, summaries, checks };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
