// The waiting-room bench's pure parts: statistics, goal checks, load-generator
// output parsing and the SSE parser. The bench itself runs with
// `pnpm bench:waiting-room`, never as a timed test.
import { describe, expect, it } from 'vitest';
import {
  type AutocannonSummary,
  loadRunFromAutocannon,
  parseWrkOutput,
  wrkScript,
} from '../src/bench/load/load-spec.ts';
import { benchOptions } from '../src/bench/options.ts';
import { type BenchResults, evaluateGoals, reportJson } from '../src/bench/report.ts';
import { SseEventParser } from '../src/bench/sse/sse-protocol.ts';
import {
  alternatingSchedule,
  checkGoal,
  type LoadRun,
  median,
  perItem,
  ratio,
  renderTable,
  summarisePair,
} from '../src/bench/stats.ts';

const run = (rps: number, extra: Partial<LoadRun> = {}): LoadRun => ({
  rps,
  requests: rps * 5,
  non2xx: 0,
  errors: 0,
  latencyP50Ms: 1,
  latencyP99Ms: 5,
  durationS: 5,
  serverCpuUsPerRequest: null,
  ...extra,
});

describe('median', () => {
  it.each([
    [[5], 5],
    [[3, 1, 2], 2],
    [[4, 1, 3, 2], 2.5],
    [[10, 10, 1000], 10],
  ])('of %j is %d', (values, expected) => {
    expect(median(values)).toBe(expected);
  });

  it('refuses no values rather than inventing one', () => {
    expect(() => median([])).toThrow(RangeError);
  });

  it('does not reorder its input', () => {
    const values = [3, 1, 2];
    median(values);
    expect(values).toEqual([3, 1, 2]);
  });
});

describe('ratio', () => {
  it('is real over baseline, rounded to 3 decimals', () => {
    expect(ratio(700, 1000)).toBe(0.7);
    expect(ratio(1, 3)).toBe(0.333);
  });

  it('is null without a baseline, never Infinity', () => {
    expect(ratio(500, 0)).toBeNull();
    expect(ratio(500, Number.NaN)).toBeNull();
  });
});

describe('summarisePair', () => {
  it('compares medians, so one disturbed run moves neither side', () => {
    const summary = summarisePair(
      [run(900), run(100), run(1000)],
      [run(1000), run(1100), run(5000)],
    );
    expect(summary.realRps).toBe(900);
    expect(summary.baselineRps).toBe(1100);
    expect(summary.ratio).toBe(0.818);
    expect(summary.realRuns).toEqual([900, 100, 1000]);
  });

  it('reports the failed fraction of the real side', () => {
    const summary = summarisePair([run(100, { requests: 1000, non2xx: 5, errors: 5 })], [run(100)]);
    expect(summary.realFailureRate).toBe(0.01);
  });

  it('takes the median server CPU per request, ignoring unknown runs', () => {
    const summary = summarisePair(
      [
        run(1, { serverCpuUsPerRequest: 100 }),
        run(1, { serverCpuUsPerRequest: null }),
        run(1, { serverCpuUsPerRequest: 300 }),
      ],
      [run(1)],
    );
    expect(summary.realCpuUsPerRequest).toBe(200);
    expect(summary.baselineCpuUsPerRequest).toBeNull();
  });
});

describe('alternatingSchedule', () => {
  it('starts with the baseline and alternates', () => {
    expect(alternatingSchedule(3)).toEqual([
      'baseline',
      'real',
      'baseline',
      'real',
      'baseline',
      'real',
    ]);
  });
});

describe('checkGoal', () => {
  it.each([
    ['at_least', 0.7, 0.7, true],
    ['at_least', 0.69, 0.7, false],
    ['at_most', 250, 250, true],
    ['at_most', 251, 250, false],
  ] as const)('%s: %d against %d is met=%s', (direction, value, target, met) => {
    expect(checkGoal({ name: 'x', value, direction, target }).met).toBe(met);
  });

  it('never counts a missing measurement as met', () => {
    expect(checkGoal({ name: 'x', value: null, direction: 'at_most', target: 10 }).met).toBe(false);
    expect(checkGoal({ name: 'x', value: Number.NaN, direction: 'at_most', target: 10 }).met).toBe(
      false,
    );
  });
});

describe('perItem', () => {
  it('divides the growth by the count', () => {
    expect(perItem(1_000, 21_000_000, 100_000)).toBe(209.99);
  });

  it('is null without items', () => {
    expect(perItem(0, 10, 0)).toBeNull();
  });
});

describe('renderTable', () => {
  it('pads every column to its widest cell', () => {
    expect(renderTable(['a', 'bb'], [['xxx', 'y']])).toBe('a    bb\n---  --\nxxx  y');
  });
});

describe('wrk output', () => {
  it('turns the done hook line into successful requests per second', () => {
    const stdout = [
      'Running 5s test @ http://127.0.0.1:1/x',
      'WRK_JSON {"requests":10100,"duration_us":5000000,"connect":0,"read":2,"write":0,"status":100,"timeout":1,"p50_us":1500,"p99_us":9000}',
    ].join('\n');
    expect(parseWrkOutput(stdout)).toEqual({
      rps: 2000,
      requests: 10103,
      non2xx: 100,
      errors: 3,
      latencyP50Ms: 1.5,
      latencyP99Ms: 9,
      durationS: 5,
      serverCpuUsPerRequest: null,
    });
  });

  it('refuses output without the summary line', () => {
    expect(() => parseWrkOutput('unable to connect to 127.0.0.1:1')).toThrow(/no summary/);
  });

  it('writes a script that sets the request and rotates tickets from a file', () => {
    const script = wrkScript({
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"a":"b"}',
      ticketsFile: '/tmp/t.txt',
    });
    expect(script).toContain('wrk.method = "POST"');
    expect(script).toContain('wrk.headers["content-type"] = "application/json"');
    expect(script).toContain('wrk.body = "{\\"a\\":\\"b\\"}"');
    expect(script).toContain('io.lines("/tmp/t.txt")');
    expect(script).toContain('headers["X-Queue-Ticket"] = tickets[next_ticket]');
    expect(script).toContain('done = function(summary, latency, requests)');
  });

  it('has no request hook without tickets', () => {
    expect(wrkScript({ method: 'GET', headers: {} })).not.toContain('request = function');
  });
});

describe('autocannon result', () => {
  it('counts only 2xx responses as throughput', () => {
    const result: AutocannonSummary = {
      duration: 4,
      errors: 2,
      timeouts: 1,
      non2xx: 8,
      '2xx': 4000,
      latency: { p50: 2, p99: 12 },
    };
    expect(loadRunFromAutocannon(result)).toMatchObject({
      rps: 1000,
      requests: 4010,
      non2xx: 8,
      errors: 2,
    });
  });
});

describe('SseEventParser', () => {
  it('splits events across arbitrary chunk boundaries', () => {
    const stream = 'event: status\ndata: {"position":3}\nid: 1\n\nevent: ping\ndata: {}\n\n';
    for (let cut = 0; cut <= stream.length; cut += 1) {
      const parser = new SseEventParser();
      const events = [...parser.push(stream.slice(0, cut)), ...parser.push(stream.slice(cut))];
      expect(events).toEqual([
        { event: 'status', data: '{"position":3}' },
        { event: 'ping', data: '{}' },
      ]);
    }
  });

  it('accepts CRLF line ends and joins multi-line data', () => {
    const parser = new SseEventParser();
    expect(parser.push('data: a\r\ndata: b\r\n\r\n')).toEqual([{ event: 'message', data: 'a\nb' }]);
  });
});

describe('benchOptions', () => {
  it('has defaults that run every phase', () => {
    const options = benchOptions({});
    expect(options.durationS).toBe(6);
    expect([...options.phases]).toEqual(['throughput', 'memory', 'sse']);
  });

  it.each([
    ['BENCH_DURATION_S', '0'],
    ['BENCH_CONNECTIONS', 'many'],
    ['BENCH_LOAD_GENERATOR', 'ab'],
    ['BENCH_PHASES', 'throughput,latency'],
  ])('names the bad variable %s', (name, value) => {
    expect(() => benchOptions({ [name]: value })).toThrow(name);
  });
});

describe('report', () => {
  const empty: BenchResults = {
    machine: { cpus: 2, node: 'v24.0.0', platform: 'linux-x64', loadGenerator: 'wrk' },
    durationS: 6,
    connections: 64,
    rounds: 3,
    joinRoundTrips: null,
    statusRoundTrips: null,
    join: null,
    status: null,
    responseBytes: null,
    redisMemory: null,
    sse: null,
    sseLimits: null,
    errors: ['throughput: boom'],
    elapsedS: 1,
  };

  it('counts a phase that did not run as a goal not met', () => {
    expect(evaluateGoals(empty).every((goal) => !goal.met)).toBe(true);
    const json = reportJson(empty);
    expect(json.all_goals_met).toBe(false);
    expect(json.join_ratio).toBeNull();
    expect(json.errors).toEqual(['throughput: boom']);
  });

  it('carries the figures the acceptance asks for', () => {
    const json = reportJson({
      ...empty,
      errors: [],
      join: summarisePair([run(800)], [run(1000)]),
      status: summarisePair([run(900)], [run(1000)]),
    });
    expect(json).toMatchObject({
      join_rps: 800,
      join_baseline_rps: 1000,
      join_ratio: 0.8,
      status_ratio: 0.9,
      machine: { cpus: 2, node: 'v24.0.0' },
      duration_s: 6,
    });
    expect(json.goals).toMatchObject({
      join_ratio: { met: true, at_least: 0.7 },
      status_ratio: { met: true },
    });
  });
});
