// The booking bench's output: a human table on stderr and, as the last line of
// stdout, one JSON object with every figure and each goal met or not.
import { checkGoal, type GoalOutcome, renderTable } from '../stats.ts';
import type { CommitReport } from './commits.ts';
import type { ContentionReport } from './contention.ts';
import type { HoldReport } from './holds.ts';
import { commitRoundTrips } from './pgbench-script.ts';

export interface BookingMachine {
  cpus: number;
  node: string;
  platform: string;
  postgres: string | null;
  redis: string | null;
  pgbench: string | null;
}

export interface BookingResults {
  machine: BookingMachine;
  durationS: number;
  warmupS: number;
  rounds: number;
  holdCallers: number;
  pgClients: number;
  holds: HoldReport | null;
  commits: CommitReport | null;
  contention: ContentionReport | null;
  /** Summed over every journey the bench booked on, after the runs. */
  audit: { journeys: number; oversold: number; violations: number; samples: string[] } | null;
  errors: string[];
  elapsedS: number;
}

export const goalTargets = {
  hold_ratio: { direction: 'at_least', target: 0.5 },
  confirm_ratio: { direction: 'at_least', target: 0.5 },
  oversold: { direction: 'at_most', target: 0 },
  inventory_mismatches: { direction: 'at_most', target: 0 },
} as const;

/** Every seat sold twice anywhere: the commit runs, the contention runs. */
export function totalOversold(results: BookingResults): number | null {
  if (!results.audit && !results.contention) return null;
  return (
    (results.audit?.oversold ?? 0) +
    (results.contention?.direct_pg.oversold ?? 0) +
    (results.contention?.redis_holds.oversold ?? 0)
  );
}

export function inventoryMismatches(results: BookingResults): number | null {
  const parts = [
    results.holds?.inventoryMismatches,
    results.contention?.redis_holds.inventory_mismatches,
  ].filter((value): value is number => typeof value === 'number');
  return parts.length === 0 ? null : parts.reduce((sum, value) => sum + value, 0);
}

export function evaluateGoals(results: BookingResults): GoalOutcome[] {
  const values: Record<keyof typeof goalTargets, number | null> = {
    hold_ratio: results.holds?.pair.ratio ?? null,
    confirm_ratio: results.commits?.pair.ratio ?? null,
    oversold: totalOversold(results),
    inventory_mismatches: inventoryMismatches(results),
  };
  return Object.entries(goalTargets).map(([name, goal]) =>
    checkGoal({ name, value: values[name as keyof typeof goalTargets], ...goal }),
  );
}

export function reportJson(results: BookingResults): Record<string, unknown> {
  const goals = evaluateGoals(results);
  const { holds, commits, contention } = results;
  const holdPair = holds?.pair;
  const commitPair = commits?.pair;
  return {
    bench: 'booking',
    machine: results.machine,
    duration_s: results.durationS,
    warmup_s: results.warmupS,
    rounds: results.rounds,
    hold_callers: results.holdCallers,
    hold_unit:
      'holds/s: one holdSeats (one EVALSHA of hold-seats.lua) per hold, two named seats of one ' +
      'class and quota that nobody holds; no release inside the run (release_rps is measured ' +
      'apart, freeing the run before); the baseline is one EVALSHA of INCR per call',
    hold_rps: holdPair?.real ?? null,
    evalsha_baseline_rps: holdPair?.baseline ?? null,
    hold_ratio: holdPair?.ratio ?? null,
    hold_runs_rps: holdPair ? { real: holdPair.realRuns, baseline: holdPair.baselineRuns } : null,
    hold_p95_ms: holdPair?.realP95Ms ?? null,
    evalsha_baseline_p95_ms: holdPair?.baselineP95Ms ?? null,
    hold_cpu_us_per_call: holdPair
      ? { hold: holdPair.realCost, trivial_script: holdPair.baselineCost }
      : null,
    release_rps: holds?.releaseRps ?? null,
    hold_inventories: holds
      ? { inventories: holds.inventories, holds_each: holds.holdsPerInventory }
      : null,
    hold_runs_exhausted: holds?.holdRuns.map((run) => run.exhausted) ?? null,
    pg_clients: results.pgClients,
    confirm_unit:
      'commits/s: createBooking of two passengers on two free sleeper Tatkal seats through a room ' +
      `(${commitRoundTrips} round trips); the baseline is pgbench -M extended -j 1 sending the same statements`,
    confirm_tps: commitPair?.real ?? null,
    pgbench_baseline_tps: commitPair?.baseline ?? null,
    confirm_ratio: commitPair?.ratio ?? null,
    confirm_runs_tps: commitPair
      ? { real: commitPair.realRuns, baseline: commitPair.baselineRuns }
      : null,
    confirm_p95_ms: commitPair?.realP95Ms ?? null,
    pgbench_p95_ms: commitPair?.baselineP95Ms ?? null,
    node_postgres_tps: commits?.driverPair.real ?? null,
    node_postgres_ratio: commits?.driverPair.ratio ?? null,
    node_postgres_runs_tps: commits ? commits.driverPair.realRuns : null,
    node_postgres_p95_ms: commits?.driverPair.realP95Ms ?? null,
    commit_client_cpu_us_per_commit: commits
      ? {
          create_booking: commits.pair.realCost,
          node_postgres: commits.driverPair.realCost,
          pgbench: commits.pair.baselineCost,
        }
      : null,
    commit_journeys: commits?.block.journeys ?? null,
    oversold: totalOversold(results),
    audit: results.audit,
    inventory_mismatches: inventoryMismatches(results),
    contention,
    goals: Object.fromEntries(
      goals.map((goal) => [
        goal.name,
        { value: goal.value, [goal.direction]: goal.target, met: goal.met },
      ]),
    ),
    all_goals_met: goals.every((goal) => goal.met),
    errors: results.errors,
    elapsed_s: results.elapsedS,
  };
}

const show = (value: number | string | null | undefined, unit = '') =>
  value === null || value === undefined ? 'n/a' : `${value}${unit}`;

export function reportTable(results: BookingResults): string {
  const goals = new Map(evaluateGoals(results).map((goal) => [goal.name, goal]));
  const verdict = (name: string) => {
    const goal = goals.get(name);
    if (!goal) return '';
    const sign = goal.direction === 'at_least' ? '>=' : '<=';
    return `${goal.met ? 'met' : 'NOT MET'} (${sign} ${goal.target})`;
  };
  const { holds, commits, contention } = results;
  const rows: string[][] = [
    [
      'holds/s vs trivial EVALSHA/s',
      show(holds?.pair.real),
      show(holds?.pair.baseline),
      show(holds?.pair.ratio),
      verdict('hold_ratio'),
    ],
    ['hold p95 ms', show(holds?.pair.realP95Ms), show(holds?.pair.baselineP95Ms), '', ''],
    [
      'commits/s vs pgbench tps',
      show(commits?.pair.real),
      show(commits?.pair.baseline),
      show(commits?.pair.ratio),
      verdict('confirm_ratio'),
    ],
    ['commit p95 ms', show(commits?.pair.realP95Ms), show(commits?.pair.baselineP95Ms), '', ''],
    ['seats sold twice', show(totalOversold(results)), '', '', verdict('oversold')],
    [
      'Redis vs PostgreSQL mismatches',
      show(inventoryMismatches(results)),
      '',
      '',
      verdict('inventory_mismatches'),
    ],
  ];
  const notes = [
    `machine: ${results.machine.cpus} cpus, Node ${results.machine.node}, PostgreSQL ${show(results.machine.postgres)}, ` +
      `Redis ${show(results.machine.redis)}; ${results.rounds} x ${results.durationS} s per side (medians)`,
  ];
  if (holds) {
    const { realCost: hold, baselineCost: trivial } = holds.pair;
    notes.push(
      `CPU per call, hold vs trivial script: here ${show(hold.clientCpuUs)} vs ${show(trivial.clientCpuUs)} µs, ` +
        `Redis ${show(hold.redisCpuUs)} vs ${show(trivial.redisCpuUs)} µs (inside the script ` +
        `${show(hold.redisScriptUsPerCall)} vs ${show(trivial.redisScriptUsPerCall)} µs); releases ${show(holds.releaseRps)}/s`,
    );
  }
  if (commits) {
    const cpu = (cost: CommitReport['pair']['realCost']) =>
      `${show(cost.clientCpuUs)} µs (kernel ${show(cost.clientSystemCpuUs)})`;
    notes.push(
      `client CPU per commit: createBooking ${cpu(commits.pair.realCost)}, node-postgres ` +
        `${cpu(commits.driverPair.realCost)}, pgbench ${cpu(commits.pair.baselineCost)}; ` +
        `${results.pgClients} connections each`,
    );
  }
  if (contention) {
    for (const [name, side] of [
      ['straight to PostgreSQL', contention.direct_pg],
      ['Redis holds first', contention.redis_holds],
    ] as const) {
      notes.push(
        `contention, ${name}: ${side.attempts} attempts for ${contention.seats} seats from ${contention.callers} callers: ` +
          `${side.attempts_per_s}/s, p95 ${show(side.p95_ms)} ms, ${side.db_transactions} DB transactions, ` +
          `${side.seats_sold} seats sold, ${side.oversold} oversold, ${side.errors} errors`,
      );
    }
  }
  if (results.audit) {
    notes.push(
      `audit: ${results.audit.journeys} journeys, ${results.audit.violations} violations; ` +
        `inventory mismatches ${show(inventoryMismatches(results))}`,
    );
  }
  for (const error of results.errors) notes.push(`ERROR: ${error}`);
  return `${renderTable(['measure', 'real', 'baseline', 'ratio', 'goal'], rows)}\n${notes.join('\n')}`;
}
