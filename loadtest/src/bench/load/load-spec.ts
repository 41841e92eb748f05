// What one throughput measurement asks of the load generator, and how each
// generator's output becomes a LoadRun. Pure, so the parsing is unit tested.
import type { LoadRun } from '../stats.ts';

export interface LoadSpec {
  url: string;
  method: 'GET' | 'POST';
  headers: Record<string, string>;
  body?: string;
  /** A file of queue tickets, one a line, sent round-robin as X-Queue-Ticket. */
  ticketsFile?: string;
  connections: number;
  durationS: number;
}

/** The figures wrk's `done` hook prints (see wrkScript), prefixed by WRK_JSON. */
interface WrkSummary {
  requests: number;
  duration_us: number;
  connect: number;
  read: number;
  write: number;
  status: number;
  timeout: number;
  p50_us: number;
  p99_us: number;
}

export function parseWrkOutput(stdout: string): LoadRun {
  const line = stdout.split('\n').find((entry) => entry.startsWith('WRK_JSON '));
  if (!line) throw new Error(`wrk printed no summary:\n${stdout.slice(-2000)}`);
  const summary = JSON.parse(line.slice('WRK_JSON '.length)) as WrkSummary;
  const durationS = summary.duration_us / 1e6;
  const errors = summary.connect + summary.read + summary.write + summary.timeout;
  const ok = Math.max(0, summary.requests - summary.status);
  return {
    rps: durationS > 0 ? ok / durationS : 0,
    requests: summary.requests + errors,
    non2xx: summary.status,
    errors,
    latencyP50Ms: summary.p50_us / 1000,
    latencyP99Ms: summary.p99_us / 1000,
    durationS,
    serverCpuUsPerRequest: null,
  };
}

/** The subset of autocannon's result the bench reads. */
export interface AutocannonSummary {
  duration: number;
  errors: number;
  timeouts: number;
  non2xx: number;
  '2xx': number;
  latency: { p50: number; p99: number };
}

export function loadRunFromAutocannon(result: AutocannonSummary): LoadRun {
  const ok = result['2xx'];
  return {
    rps: result.duration > 0 ? ok / result.duration : 0,
    requests: ok + result.non2xx + result.errors,
    non2xx: result.non2xx,
    errors: result.errors,
    latencyP50Ms: result.latency.p50,
    latencyP99Ms: result.latency.p99,
    durationS: result.duration,
    serverCpuUsPerRequest: null,
  };
}

function luaString(value: string): string {
  return `"${value.replaceAll('\\', '\\\\').replaceAll('"', '\\"').replaceAll('\n', '\\n')}"`;
}

/**
 * A wrk Lua script for the spec: method, headers and body, tickets read from
 * a file and rotated per request, and a `done` hook that prints exact counts
 * and percentiles as one JSON line.
 */
export function wrkScript(spec: Omit<LoadSpec, 'url' | 'connections' | 'durationS'>): string {
  const lines = [`wrk.method = ${luaString(spec.method)}`];
  for (const [name, value] of Object.entries(spec.headers)) {
    lines.push(`wrk.headers[${luaString(name)}] = ${luaString(value)}`);
  }
  if (spec.body !== undefined) lines.push(`wrk.body = ${luaString(spec.body)}`);
  if (spec.ticketsFile !== undefined) {
    lines.push(
      'local tickets = {}',
      `for line in io.lines(${luaString(spec.ticketsFile)}) do if #line > 0 then tickets[#tickets + 1] = line end end`,
      'local next_ticket = 0',
      'request = function()',
      '  next_ticket = next_ticket % #tickets + 1',
      '  local headers = {}',
      '  for name, value in pairs(wrk.headers) do headers[name] = value end',
      '  headers["X-Queue-Ticket"] = tickets[next_ticket]',
      '  return wrk.format(nil, nil, headers)',
      'end',
    );
  }
  lines.push(
    'done = function(summary, latency, requests)',
    '  local e = summary.errors',
    '  io.write(string.format(\'WRK_JSON {"requests":%d,"duration_us":%d,"connect":%d,"read":%d,"write":%d,"status":%d,"timeout":%d,"p50_us":%d,"p99_us":%d}\\n\',',
    '    summary.requests, summary.duration, e.connect, e.read, e.write, e.status, e.timeout,',
    '    latency:percentile(50), latency:percentile(99)))',
    'end',
  );
  return `${lines.join('\n')}\n`;
}
