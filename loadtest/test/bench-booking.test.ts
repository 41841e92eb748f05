// The booking bench's pure parts: seat arithmetic, the pgbench script and its
// output, CPU accounting, the contention crowd, statistics and goals. The
// bench itself runs with `pnpm bench:booking`, never as a timed test.
import { describe, expect, it } from 'vitest';
import type { LoopResult } from '../src/bench/booking/closed-loop.ts';
import { closedLoop, cursor } from '../src/bench/booking/closed-loop.ts';
import { opCost, parseBashTimes, parseRedisInfo } from '../src/bench/booking/cost.ts';
import { contentionCrowd } from '../src/bench/booking/crowd.ts';
import { percentile, rateRun, summariseRates } from '../src/bench/booking/figures.ts';
import {
  blockCapacity,
  bookingSlot,
  type JourneyBlock,
  leadingSeatIds,
  pairsPerJourney,
} from '../src/bench/booking/layout.ts';
import { bookingBenchOptions } from '../src/bench/booking/options.ts';
import {
  commitDefines,
  commitRoundTrips,
  commitScript,
  commitVariables,
  parsePgbenchLog,
  parsePgbenchOutput,
  scriptStatements,
} from '../src/bench/booking/pgbench-script.ts';
import { type BookingResults, evaluateGoals, reportJson } from '../src/bench/booking/report.ts';

const block: JourneyBlock = {
  firstJourneyId: 10,
  journeys: 3,
  firstSeatId: 1_001,
  seatsPerJourney: 952,
  leadingSeats: 160,
};

describe('the seat layout', () => {
  it('gives each journey 80 two-seat slots', () => {
    expect(pairsPerJourney(block)).toBe(80);
    expect(blockCapacity(block)).toBe(240);
  });

  it('maps slots to distinct sleeper Tatkal seats, journey by journey', () => {
    expect(bookingSlot(block, 0)).toEqual({ journeyId: 10, seatIds: [1_001, 1_002] });
    expect(bookingSlot(block, 79)).toEqual({ journeyId: 10, seatIds: [1_159, 1_160] });
    expect(bookingSlot(block, 80)).toEqual({ journeyId: 11, seatIds: [1_953, 1_954] });
    const seats = new Set<number>();
    for (let k = 0; k < blockCapacity(block); k += 1) {
      const slot = bookingSlot(block, k);
      for (const seatId of slot?.seatIds ?? []) {
        const journeyStart = block.firstSeatId + ((slot?.journeyId ?? 0) - 10) * 952;
        expect(seatId - journeyStart).toBeLessThan(block.leadingSeats);
        seats.add(seatId);
      }
    }
    expect(seats.size).toBe(2 * blockCapacity(block));
  });

  it.each([-1, 240, 1.5])('has no slot %s', (k) => {
    expect(bookingSlot(block, k)).toBeUndefined();
  });

  it('lists the contested seats of a journey', () => {
    expect(leadingSeatIds(block, 1, 3)).toEqual([1_953, 1_954, 1_955]);
    expect(() => leadingSeatIds(block, 0, 161)).toThrow(RangeError);
  });
});

describe('the pgbench commit script', () => {
  const constants = {
    block,
    clients: 16,
    run: 4,
    roomId: 'bench-booking',
    passengers: [
      { name: 'Passenger 1', age: 30, gender: 'F' },
      { name: 'Passenger 2', age: 31, gender: 'M' },
    ],
    amount: {
      baseFarePaise: 129_000,
      tatkalChargePaise: 38_700,
      premiumSurchargePaise: 0,
      totalPaise: 167_700,
    },
    expiresAt: new Date('2026-01-01T00:00:00Z'),
  };

  it('sends as many statements as createBooking, in one transaction', () => {
    const statements = scriptStatements(commitScript());
    expect(statements).toHaveLength(commitRoundTrips);
    expect(statements.map((statement) => statement.text.split(' ')[0])).toEqual([
      'select',
      'begin',
      'select',
      'select',
      'select',
      'select',
      'select',
      'select',
      'select',
      'select',
      'select',
      'insert',
      'with',
      'insert',
      'commit',
    ]);
    expect(statements.find((s) => s.text.includes('for update of "seats"'))?.text).toContain(
      '"seats"."id" in ($2, $3)',
    );
  });

  it('numbers each variable once and keeps \\gset prefixes', () => {
    const statements = scriptStatements(commitScript());
    const insert = statements.find((s) => s.text.startsWith('insert into "bookings"'));
    expect(insert?.gsetPrefix).toBe('booking_');
    expect(insert?.parameters.filter((name) => name === 'hold')).toHaveLength(1);
    expect(insert?.text).not.toContain(':');
    expect(statements[2]?.gsetPrefix).toBe('');
    const defined = new Set([
      ...Object.keys(commitVariables(constants)),
      ...['k', 'journey', 'seat_a', 'seat_b', 'hold', 'pnr', 'ordinal_1', 'ordinal_2'],
      ...['train_number', 'booking_id', 'passenger_1', 'passenger_2'],
    ]);
    for (const statement of statements) {
      for (const name of statement.parameters) expect(defined, name).toContain(name);
    }
  });

  it('passes the constants as -D pairs', () => {
    const defines = commitDefines(constants);
    expect(defines.filter((arg) => arg === '-D')).toHaveLength(defines.length / 2);
    expect(defines).toContain('first_seat=1001');
    expect(defines).toContain('pairs=80');
    expect(defines).toContain('name_2=Passenger 2');
    expect(defines).toContain('expires_at=2026-01-01T00:00:00.000Z');
  });

  it('reads pgbench 15 output', () => {
    const stdout = [
      'transaction type: booking-commit.sql',
      'number of transactions actually processed: 4851',
      'number of failed transactions: 0 (0.000%)',
      'latency average = 19.779 ms',
      'initial connection time = 38.210 ms',
      'tps = 808.934523 (without initial connection time)',
    ].join('\n');
    expect(parsePgbenchOutput(stdout, '0m0.01s 0m0.00s\n0m0.69s 0m0.81s\n')).toEqual({
      tps: 808.934523,
      processed: 4851,
      failed: 0,
      latencyAverageMs: 19.779,
      aborted: false,
    });
    const aborted = parsePgbenchOutput(
      stdout,
      'pgbench: error: client 3 script 0 aborted in command 21 query 0: ERROR: ...',
    );
    expect(aborted.aborted).toBe(true);
    expect(() => parsePgbenchOutput('', 'connection refused')).toThrow(/no summary/);
  });

  it('reads latencies from the per-transaction log', () => {
    const log = '0 0 18234 0 1700000000 123456\n1 0 20500 0 1700000000 223456\n\n';
    expect(parsePgbenchLog(log)).toEqual([18.234, 20.5]);
  });
});

describe('CPU accounting', () => {
  it('reads Redis CPU and script time from INFO', () => {
    const info = [
      '# CPU',
      'used_cpu_sys:1.500000',
      'used_cpu_user:2.250000',
      '# Commandstats',
      'cmdstat_evalsha:calls=10,usec=300,usec_per_call=30.00,rejected_calls=0,failed_calls=0',
      'cmdstat_eval:calls=2,usec=20,usec_per_call=10.00,rejected_calls=0,failed_calls=0',
      'cmdstat_get:calls=99,usec=99,usec_per_call=1.00,rejected_calls=0,failed_calls=0',
    ].join('\r\n');
    expect(parseRedisInfo(info)).toEqual({ cpuUs: 3_750_000, scriptCalls: 12, scriptUs: 320 });
  });

  it('divides by the operations of the run', () => {
    expect(
      opCost(
        100,
        { before: { user: 1_000, system: 500 }, after: { user: 3_000, system: 1_500 } },
        {
          before: { cpuUs: 0, scriptCalls: 10, scriptUs: 100 },
          after: { cpuUs: 4_000, scriptCalls: 110, scriptUs: 3_100 },
        },
      ),
    ).toEqual({ clientCpuUs: 30, clientSystemCpuUs: 10, redisCpuUs: 40, redisScriptUsPerCall: 30 });
    expect(opCost(0, { before: { user: 0, system: 0 }, after: { user: 5, system: 5 } })).toEqual({
      clientCpuUs: null,
      clientSystemCpuUs: null,
      redisCpuUs: null,
      redisScriptUsPerCall: null,
    });
  });

  it("reads a child's CPU from bash's times", () => {
    expect(parseBashTimes('noise\n0m0.002s 0m0.001s\n1m2.500s 0m0.250s\n')).toEqual({
      user: 62_500_000,
      system: 250_000,
    });
    expect(parseBashTimes('pgbench: error')).toBeNull();
  });
});

describe('the contention crowd', () => {
  it('asks for two distinct contested seats per attempt, both orders, replayably', () => {
    const crowd = contentionCrowd(2_000, 20, 7);
    expect(crowd).toHaveLength(2_000);
    for (const { positions } of crowd) {
      expect(positions[0]).not.toBe(positions[1]);
      for (const position of positions) expect(position).toBeGreaterThanOrEqual(0);
      for (const position of positions) expect(position).toBeLessThan(20);
    }
    expect(crowd.some(({ positions }) => positions[0] > positions[1])).toBe(true);
    expect(crowd.some(({ positions }) => positions[0] < positions[1])).toBe(true);
    expect(new Set(crowd.flatMap(({ positions }) => positions)).size).toBe(20);
    expect(contentionCrowd(2_000, 20, 7)).toEqual(crowd);
    expect(contentionCrowd(2_000, 20, 8)).not.toEqual(crowd);
    expect(() => contentionCrowd(1, 1, 7)).toThrow(RangeError);
  });
});

describe('closed loops and their figures', () => {
  it('runs callers until the work runs out, counting failures apart', async () => {
    const loop = await closedLoop({
      callers: 4,
      durationMs: 10_000,
      next: cursor([1, 2, 3, 4, 5, 6, 7]),
      run: async (n: number) => {
        if (n === 3) throw new Error('three');
      },
    });
    expect(loop.ops).toBe(6);
    expect(loop.failures).toBe(1);
    expect(loop.failureSamples).toEqual(['three']);
    expect(loop.exhausted).toBe(true);
    expect(loop.latenciesMs).toHaveLength(6);
  });

  it.each([
    [[], 95, null],
    [[5], 95, 5],
    [[1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 95, 10],
    [[1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 50, 5],
    [[10, 1, 9, 2, 8, 3, 7, 4, 6, 5], 90, 9],
  ])('percentile of %j at %i is %s', (values, p, expected) => {
    expect(percentile(values, p)).toBe(expected);
  });

  it('takes medians of alternating runs and their ratio', () => {
    const loop = (ops: number, elapsedMs: number): LoopResult => ({
      ops,
      failures: 0,
      failureSamples: [],
      elapsedMs,
      latenciesMs: [1, 2, 3, 4],
      exhausted: false,
    });
    const real = [loop(300, 1_000), loop(100, 1_000), loop(200, 1_000)].map((run) => rateRun(run));
    const baseline = [loop(900, 1_000), loop(1_000, 2_000), loop(400, 1_000)].map((run) =>
      rateRun(run),
    );
    const pair = summariseRates(real, baseline);
    expect(pair.real).toBe(200);
    expect(pair.baseline).toBe(500);
    expect(pair.ratio).toBe(0.4);
    expect(pair.realRuns).toEqual([300, 100, 200]);
    expect(pair.realP95Ms).toBe(4);
  });
});

describe('options', () => {
  it('has defaults that fit a few minutes', () => {
    const options = bookingBenchOptions({});
    expect(options.durationS).toBe(6);
    expect(options.rounds).toBe(3);
    expect(options.contentionAttempts).toBe(2_000);
    expect(options.contentionCallers).toBe(200);
    expect(options.contentionSeats).toBe(20);
    expect([...options.phases]).toEqual(['holds', 'commits', 'contention']);
  });

  it.each([
    [{ BENCH_PHASES: 'holds,sse' }, /BENCH_PHASES/],
    [{ BENCH_PG_CLIENTS: '0' }, /BENCH_PG_CLIENTS/],
    [{ BENCH_CONTENTION_SEATS: '1' }, /BENCH_CONTENTION_SEATS/],
  ])('refuses %j', (env, message) => {
    expect(() => bookingBenchOptions(env)).toThrow(message);
  });
});

describe('goals', () => {
  const results = (overrides: Partial<BookingResults>): BookingResults => ({
    machine: {
      cpus: 2,
      node: 'v24',
      platform: 'linux-x64',
      postgres: '15',
      redis: '7',
      pgbench: '15',
    },
    durationS: 6,
    warmupS: 2,
    rounds: 3,
    holdCallers: 64,
    pgClients: 16,
    holds: null,
    commits: null,
    contention: null,
    audit: null,
    errors: [],
    elapsedS: 1,
    ...overrides,
  });

  it('fails every goal it could not measure', () => {
    const goals = evaluateGoals(results({}));
    expect(goals.every((goal) => !goal.met)).toBe(true);
    expect(reportJson(results({})).all_goals_met).toBe(false);
  });

  it('counts a seat sold twice anywhere as oversold', () => {
    const json = reportJson(
      results({ audit: { journeys: 3, oversold: 1, violations: 2, samples: [] } }),
    );
    expect(json.oversold).toBe(1);
    expect(json.goals).toMatchObject({ oversold: { value: 1, at_most: 0, met: false } });
  });
});
