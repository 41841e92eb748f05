// The surge report: report.md (figures of the protected run beside the contrast run, per-step
// latencies, outcomes, what the contrast shows, charts), report.json (the same figures and
// the series per second) and the PNG charts, in loadtest/reports/<date>/.
import { execFileSync } from 'node:child_process';
import { mkdir, writeFile } from 'node:fs/promises';
import { cpus } from 'node:os';
import { join } from 'node:path';
import { spikeShare } from '../crowd/plan.ts';
import { renderCharts } from './charts.ts';
import type { RunFigures } from './figures.ts';
import type { SurgeOptions } from './options.ts';
import {
  contrastFindings,
  figureRows,
  outcomeRows,
  secondsAbove,
  stepRows,
} from './report-tables.ts';
import type { RunOutput } from './run.ts';
import { type RunSeries, runSeries } from './series.ts';

export function reproduceCommand(options: ReportOptions): string {
  return (
    `pnpm loadtest:surge --visitors=${options.visitors} --seats=${options.seats} --window=${options.windowS}` +
    ` --waiting-rooms=${options.waitingRooms} --booking-apis=${options.bookingApis} --workers=${options.workers}` +
    ` --sse-share=${options.sseShare} --abandon-share=${options.abandonShare} --seed=${options.seed}` +
    ` --min-rate=${options.minAdmitPerSecond} --max-rate=${options.maxAdmitPerSecond}` +
    ` --max-sessions=${options.maxActiveSessions} --latency-target=${options.latencyTargetMs}` +
    ` --session=${options.sessionSeconds} --budget=${options.runBudgetS}`
  );
}

/** The options a report records: everything but where the databases and the report live. */
export type ReportOptions = Omit<SurgeOptions, 'pgAdminUrl' | 'redisUrl' | 'reportDir'>;

/** report.json: the figures and series of both runs, and what is needed to render the report. */
export interface ReportTwin {
  generated_at: string;
  command: string;
  machine: ReturnType<typeof machine>;
  /** The code that ran: its commit, and the service files changed from it when the run began. */
  code?: CodeVersion;
  options: ReportOptions;
  elapsed_s: number;
  protected: { figures: RunFigures; series: RunSeries };
  contrast: { figures: RunFigures; series: RunSeries } | null;
}

export interface CodeVersion {
  commit: string;
  changed: string[];
}

/**
 * The paths of `git status --porcelain` output, whose lines are "XY path". The output is not
 * trimmed first: that would take the first line's leading status blank and a path's first letter.
 */
export function changedPaths(porcelain: string): string[] {
  return porcelain
    .split('\n')
    .filter((line) => line.length > 3)
    .map((line) => line.slice(3));
}

/** The commit checked out and the uncommitted changes of the code a run starts. */
export function codeVersion(): CodeVersion | undefined {
  try {
    const git = (args: string[]) => execFileSync('git', args, { encoding: 'utf8' });
    const changed = changedPaths(
      git([
        'status',
        '--porcelain',
        '--',
        'waiting-room',
        'booking-api',
        'admission-worker',
        'drizzle',
        'loadtest/src',
      ]),
    );
    return { commit: git(['rev-parse', '--short', 'HEAD']).trim(), changed };
  } catch {
    return undefined;
  }
}

function machine() {
  return {
    cpus: cpus().length,
    cpu_model: cpus()[0]?.model ?? 'unknown',
    node: process.version,
  };
}

function table(header: string[], rows: string[][]): string {
  return [
    `| ${header.join(' | ')} |`,
    `| ${header.map(() => '---').join(' | ')} |`,
    ...rows.map((row) => `| ${row.join(' | ')} |`),
  ].join('\n');
}

function codeLine(code: CodeVersion | undefined): string {
  if (!code) return '';
  const changed =
    code.changed.length > 0 ? ` with uncommitted changes to ${code.changed.join(', ')}` : '';
  return `,\ncode at commit ${code.commit}${changed}`;
}

export function reportMarkdown(twin: ReportTwin, charts: readonly string[]): string {
  const { options, machine: m } = twin;
  const protectedRun = twin.protected.figures;
  const contrastRun = twin.contrast?.figures ?? null;
  // The rush's windows: until one health window (10 s) after sell-out.
  const overTarget = secondsAbove(
    twin.protected.series.commit_p95_ms,
    options.latencyTargetMs,
    (protectedRun.sellout_seconds ?? Number.POSITIVE_INFINITY) + 10,
  );
  const runs = contrastRun ? [protectedRun, contrastRun] : [protectedRun];
  const heads = [
    '',
    'protected (waiting room)',
    ...(contrastRun ? ['contrast (no waiting room)'] : []),
  ];
  return `# Tatkal surge: ${options.visitors.toLocaleString('en')} visitors for ${options.seats.toLocaleString('en')} berths

Generated ${twin.generated_at} by

\`\`\`
${reproduceCommand(options)}
\`\`\`

on ${m.cpus} × ${m.cpu_model}, Node ${m.node}, PostgreSQL and Redis on the same machine${codeLine(twin.code)}
(${twin.elapsed_s} s for both runs). Each run has its own database, Redis prefix and service
processes (${options.waitingRooms} waiting room, ${options.bookingApis} booking API, ${options.workers} admission worker);
one crowd-driver process holds every visitor. Arrivals: ${Math.round(spikeShare * 100)} % in the first second of
the sale, the rest thinning out over ${options.windowS} s (same seed, same arrivals in both runs).
Room bounds: ${options.minAdmitPerSecond}-${options.maxAdmitPerSecond} admissions/s, at most ${options.maxActiveSessions} active
sessions, booking-commit p95 target ${options.latencyTargetMs} ms, sessions of ${options.sessionSeconds} s.

## Figures

${table(heads, figureRows(runs))}

## What the contrast shows

${contrastRun ? contrastFindings(protectedRun, contrastRun, overTarget) : 'The contrast run was not made (--no-contrast).'}

## Latency per step (as the visitors measured it, every answer)

${runs.map((run) => `### ${run.mode}\n\n${table(['step', 'count', 'p50 ms', 'p90 ms', 'p95 ms', 'p99 ms', 'max ms', 'ok', '409', 'other 4xx', '5xx', 'timeouts', 'network'], stepRows(run))}`).join('\n\n')}

## How the visits ended

${table(['outcome', ...runs.map((run) => run.mode)], outcomeRows(runs))}

## Over time

${charts.map((chart) => `![${chart.replace('.png', '').replaceAll('-', ' ')}](${chart})`).join('\n\n')}

## How the figures are measured

- **sold, oversold**: SQL over \`seat_assignments\` after the run: seats with a live (PENDING or
  CONFIRMED) assignment, and live assignments beyond one per seat. \`booking violations\` is
  \`auditBookings\`; \`inventory mismatches\` is \`auditInventory\` (Redis against PostgreSQL).
- **FIFO inversions** (protected): pairs of visitors who stayed (did not leave the queue) where
  one's join had been answered before the other's join was sent, yet the later one was admitted
  in an earlier tick (the room's admission log in Redis) or the earlier one was never admitted.
  In the contrast run nobody queues, so the same count is taken over who got a seat: a later
  arrival with a seat while an earlier one, still there, got none (\`seat inversions\`, also
  given for the protected run).
- **sell-out**: from the opening to the creation of the booking that took the last berth.
- **commit p95**: the worst booking-commit p95 the booking API published in its 10 s health
  window (the figure the controller steers by), sampled once a second from the opening until
  one window after sell-out; \`seconds over target\` counts the samples above the room's
  target. **All commits** is the booking API's commit histogram over the whole run
  (\`tatkal_booking_commit_duration_seconds\`): the share within target and the bucket that
  holds the p95.
- **contrast run**: the same crowd (same seed) with no admission worker; the harness signs one
  admission token per visitor with the run's waiting-room key file, and every visitor goes
  straight to availability, hold, book and pay at its arrival time. The booking API is the
  production build with its defaults (token checks, \`MAX_IN_FLIGHT\` 256 with 503 beyond);
  its one waiting room only serves the public keys. The crowd opens at most 1,000 keep-alive
  connections per service instance in both runs.
- **cores busy**: from \`/proc\` once a second: the machine's busy cores, this run's processes
  (services, crowd driver, this command, the run database's PostgreSQL backends), and the rest
  (other work on the machine, and Redis).
- **5xx, timeouts**: answers the visitors received (every try, retries included); a timeout is
  no answer within 10 s. A step answered 503, 429, timed out or reset is retried twice with the
  same Idempotency-Key.
`;
}

export async function writeReport(
  options: SurgeOptions,
  protectedRun: RunOutput,
  contrastRun: RunOutput | null,
  elapsedS: number,
  code = codeVersion(),
): Promise<string[]> {
  const { pgAdminUrl: _pg, redisUrl: _redis, reportDir, ...recorded } = options;
  const twin: ReportTwin = {
    generated_at: new Date().toISOString(),
    command: reproduceCommand(recorded),
    machine: machine(),
    ...(code ? { code } : {}),
    options: recorded,
    elapsed_s: elapsedS,
    protected: { figures: protectedRun.figures, series: runSeries(protectedRun) },
    contrast: contrastRun ? { figures: contrastRun.figures, series: runSeries(contrastRun) } : null,
  };
  return writeReportFiles(reportDir, twin);
}

/** Writes report.md, report.json and the charts of `twin` into `dir`; returns the paths. */
export async function writeReportFiles(dir: string, twin: ReportTwin): Promise<string[]> {
  await mkdir(dir, { recursive: true });
  const series: Record<string, RunSeries> = { protected: twin.protected.series };
  if (twin.contrast) series.contrast = twin.contrast.series;
  const charts = await renderCharts(dir, series, twin.options.latencyTargetMs);
  await writeFile(join(dir, 'report.md'), reportMarkdown(twin, charts));
  const command = reproduceCommand(twin.options);
  await writeFile(join(dir, 'report.json'), `${JSON.stringify({ ...twin, command }, null, 1)}\n`);
  return [join(dir, 'report.md'), join(dir, 'report.json'), ...charts.map((c) => join(dir, c))];
}
