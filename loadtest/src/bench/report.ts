// The bench's output: a human table on stderr and, as the last line of
// stdout, one JSON object with every figure and each goal met or not.
import type { RedisMemoryReport } from './redis-memory.ts';
import type { RoundTripCount } from './round-trips.ts';
import type { SseReport } from './sse/measure-sse.ts';
import { checkGoal, type GoalOutcome, type PairSummary, renderTable } from './stats.ts';

export interface BenchResults {
  machine: { cpus: number; node: string; platform: string; loadGenerator: string };
  durationS: number;
  connections: number;
  rounds: number;
  joinRoundTrips: RoundTripCount | null;
  statusRoundTrips: RoundTripCount | null;
  join: PairSummary | null;
  status: PairSummary | null;
  responseBytes: { join: number; status: number } | null;
  redisMemory: RedisMemoryReport | null;
  sse: SseReport | null;
  /** Streams asked for, the service's open-files limit, and the streams opened. */
  sseLimits: { requested: number; serviceFdLimit: number; target: number } | null;
  errors: string[];
  elapsedS: number;
}

export const goalTargets = {
  join_ratio: { direction: 'at_least', target: 0.7 },
  status_ratio: { direction: 'at_least', target: 0.8 },
  redis_bytes_per_waiting_visitor: { direction: 'at_most', target: 250 },
  sse_connections: { direction: 'at_least', target: 20_000 },
  sse_kb_per_connection: { direction: 'at_most', target: 10 },
} as const;

export function evaluateGoals(results: BenchResults): GoalOutcome[] {
  const values: Record<keyof typeof goalTargets, number | null> = {
    join_ratio: results.join?.ratio ?? null,
    status_ratio: results.status?.ratio ?? null,
    redis_bytes_per_waiting_visitor: results.redisMemory?.bytesPerVisitor ?? null,
    sse_connections: results.sse?.held ?? null,
    sse_kb_per_connection: results.sse?.kbPerConnection ?? null,
  };
  return Object.entries(goalTargets).map(([name, goal]) =>
    checkGoal({ name, value: values[name as keyof typeof goalTargets], ...goal }),
  );
}

export function reportJson(results: BenchResults): Record<string, unknown> {
  const goals = evaluateGoals(results);
  const { join, status, redisMemory: memory, sse } = results;
  return {
    bench: 'waiting-room',
    machine: results.machine,
    duration_s: results.durationS,
    connections: results.connections,
    rounds: results.rounds,
    join_rps: join?.realRps ?? null,
    join_baseline_rps: join?.baselineRps ?? null,
    join_ratio: join?.ratio ?? null,
    join_runs_rps: join ? { real: join.realRuns, baseline: join.baselineRuns } : null,
    join_p99_ms: join ? { real: join.realP99Ms, baseline: join.baselineP99Ms } : null,
    join_server_cpu_us_per_request: join
      ? { real: join.realCpuUsPerRequest, baseline: join.baselineCpuUsPerRequest }
      : null,
    join_redis_round_trips: results.joinRoundTrips?.perRequest ?? null,
    join_redis_round_trips_detail: results.joinRoundTrips,
    status_rps: status?.realRps ?? null,
    status_baseline_rps: status?.baselineRps ?? null,
    status_ratio: status?.ratio ?? null,
    status_runs_rps: status ? { real: status.realRuns, baseline: status.baselineRuns } : null,
    status_p99_ms: status ? { real: status.realP99Ms, baseline: status.baselineP99Ms } : null,
    status_server_cpu_us_per_request: status
      ? { real: status.realCpuUsPerRequest, baseline: status.baselineCpuUsPerRequest }
      : null,
    status_redis_round_trips: results.statusRoundTrips?.perRequest ?? null,
    status_redis_round_trips_detail: results.statusRoundTrips,
    response_bytes: results.responseBytes,
    redis_bytes_per_waiting_visitor: memory?.bytesPerVisitor ?? null,
    redis_key_bytes_per_waiting_visitor: memory?.keyBytesPerVisitor ?? null,
    redis_memory: memory,
    sse_connections: sse?.held ?? null,
    sse_kb_per_connection: sse?.kbPerConnection ?? null,
    sse_heap_kb_per_connection: sse?.heapKbPerConnection ?? null,
    sse_limits: results.sseLimits,
    sse: sse,
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

const show = (value: number | null | undefined, unit = '') =>
  value === null || value === undefined ? 'n/a' : `${value}${unit}`;

export function reportTable(results: BenchResults): string {
  const goals = new Map(evaluateGoals(results).map((goal) => [goal.name, goal]));
  const verdict = (name: string) => {
    const goal = goals.get(name);
    if (!goal) return '';
    const sign = goal.direction === 'at_least' ? '>=' : '<=';
    return `${goal.met ? 'met' : 'NOT MET'} (${sign} ${goal.target})`;
  };
  const { join, status, redisMemory: memory, sse } = results;
  const rows: string[][] = [
    [
      'join req/s',
      show(join?.realRps),
      show(join?.baselineRps),
      show(join?.ratio),
      verdict('join_ratio'),
    ],
    [
      'status req/s',
      show(status?.realRps),
      show(status?.baselineRps),
      show(status?.ratio),
      verdict('status_ratio'),
    ],
    [
      'Redis bytes / waiting visitor',
      show(memory?.bytesPerVisitor),
      `keys: ${show(memory?.keyBytesPerVisitor)}`,
      '',
      verdict('redis_bytes_per_waiting_visitor'),
    ],
    [
      'SSE streams held',
      show(sse?.held),
      `of ${show(sse?.target)}`,
      '',
      verdict('sse_connections'),
    ],
    [
      'SSE KiB / stream (RSS)',
      show(sse?.kbPerConnection),
      `heap: ${show(sse?.heapKbPerConnection)}`,
      '',
      verdict('sse_kb_per_connection'),
    ],
  ];
  const notes = [
    `machine: ${results.machine.cpus} cpus, Node ${results.machine.node}, load generator ${results.machine.loadGenerator}, ` +
      `${results.connections} connections, ${results.rounds} x ${results.durationS} s per side (medians)`,
    `Redis round trips per request: join ${show(results.joinRoundTrips?.perRequest)}, status ${show(results.statusRoundTrips?.perRequest)}`,
  ];
  for (const [name, pair] of [
    ['join', join],
    ['status', status],
  ] as const) {
    if (pair?.realCpuUsPerRequest != null && pair.baselineCpuUsPerRequest != null) {
      notes.push(
        `${name}: server CPU per request ${pair.realCpuUsPerRequest} µs real vs ${pair.baselineCpuUsPerRequest} µs baseline; ` +
          `p99 ${pair.realP99Ms} ms vs ${pair.baselineP99Ms} ms`,
      );
    }
  }
  const limits = results.sseLimits;
  if (limits && limits.target < limits.requested) {
    notes.push(
      `SSE streams capped at ${limits.target} by the service's open-files limit (${limits.serviceFdLimit}), not by the service`,
    );
  }
  if (sse) {
    notes.push(
      `SSE push after one tick: ${sse.push.received} of ${sse.held} streams, samples ${sse.push.samplesCorrect}/${sse.push.samplesChecked} correct, ` +
        `slowest ${show(sse.push.delayMaxMs, ' ms')}`,
    );
  }
  for (const error of results.errors) notes.push(`ERROR: ${error}`);
  return `${renderTable(['measure', 'real', 'baseline', 'ratio', 'goal'], rows)}\n${notes.join('\n')}`;
}
