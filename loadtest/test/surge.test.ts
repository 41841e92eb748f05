// The surge command's pure parts: FIFO-inversion counting, percentiles, the arrival plan,
// shaping of the figures and the JSON line, options, the report's words and charts. The surge
// itself runs with `pnpm loadtest:surge` (and at a tiny size in e2e/surge.int.test.ts).
import { describe, expect, it } from 'vitest';
import { decisionStreamKey as workerDecisionStreamKey } from '../../admission-worker/src/decisions/record.ts';
import { seededRandom } from '../src/bench/booking/crowd.ts';
import { type Outcome, outcomes, steps } from '../src/crowd/ledger.ts';
import { arrivalOffsetsMs, crowdPlan, spikeShare } from '../src/crowd/plan.ts';
import type { CrowdResults } from '../src/crowd/results.ts';
import type { RunAudit } from '../src/surge/audit.ts';
import { chartSpecs, chartSvg } from '../src/surge/charts.ts';
import {
  mergeHistograms,
  p95UpperBoundMs,
  parseCommitHistogram,
  shareWithin,
} from '../src/surge/commit-histogram.ts';
import { countInversions, countInversionsSlowly, type JoinedVisitor } from '../src/surge/fifo.ts';
import { headline, runFigures } from '../src/surge/figures.ts';
import { surgeOptions } from '../src/surge/options.ts';
import { percentile, summarise } from '../src/surge/percentiles.ts';
import { changedPaths } from '../src/surge/report.ts';
import { contrastFindings, secondsAbove } from '../src/surge/report-tables.ts';
import { decisionStreamKey, type Sample } from '../src/surge/sampler.ts';
import type { RunSeries } from '../src/surge/series.ts';
import { acceptanceFields } from './support/acceptance-fields.ts';

const inf = Number.POSITIVE_INFINITY;
/** Visitor joined in [sent, sent + 5] ms, served at `served`. */
const v = (sent: number, served: number): JoinedVisitor => ({
  joinSentMs: sent,
  joinDoneMs: sent + 5,
  servedAtMs: served,
});

describe('countInversions', () => {
  it('is zero when visitors are served in join order, ties (one tick) included', () => {
    expect(countInversions([v(0, 100), v(10, 100), v(20, 200), v(30, 300)])).toBe(0);
  });

  it('catches one visitor served before someone who joined earlier', () => {
    // The third joiner was admitted a tick before the second.
    expect(countInversions([v(0, 100), v(10, 300), v(20, 200)])).toBe(1);
  });

  it('counts every earlier visitor a later one overtook', () => {
    expect(countInversions([v(0, 200), v(10, 200), v(20, 200), v(30, 100)])).toBe(3);
  });

  it('counts an earlier visitor never served while a later one was', () => {
    expect(countInversions([v(0, inf), v(10, 100)])).toBe(1);
    expect(countInversions([v(0, 100), v(10, inf), v(20, inf)])).toBe(0);
  });

  it('does not count visitors whose joins overlapped: neither was first', () => {
    const a = { joinSentMs: 0, joinDoneMs: 50, servedAtMs: 200 };
    const b = { joinSentMs: 10, joinDoneMs: 20, servedAtMs: 100 };
    expect(countInversions([a, b])).toBe(0);
  });

  it('agrees with the pairwise count on random crowds', () => {
    const random = seededRandom(42);
    for (let round = 0; round < 30; round++) {
      const crowd = Array.from({ length: 80 }, () => {
        const sent = Math.floor(random() * 1000);
        return {
          joinSentMs: sent,
          joinDoneMs: sent + Math.floor(random() * 40),
          servedAtMs: random() < 0.1 ? inf : Math.floor(random() * 20) * 100,
        };
      });
      expect(countInversions(crowd)).toBe(countInversionsSlowly(crowd));
    }
  });
});

describe('percentiles', () => {
  it('takes the nearest rank', () => {
    const sorted = Array.from({ length: 100 }, (_, i) => i + 1);
    expect(percentile(sorted, 50)).toBe(50);
    expect(percentile(sorted, 95)).toBe(95);
    expect(percentile(sorted, 100)).toBe(100);
    expect(percentile([7], 99)).toBe(7);
    expect(percentile([], 95)).toBeNull();
  });

  it('summarises unsorted values', () => {
    expect(summarise([30, 10, 20, 40])).toEqual({
      count: 4,
      p50_ms: 20,
      p90_ms: 40,
      p95_ms: 40,
      p99_ms: 40,
      max_ms: 40,
    });
    expect(summarise([]).p95_ms).toBeNull();
  });
});

describe('the crowd plan', () => {
  it('spikes at the opening and stays in the window, the same for the same seed', () => {
    const offsets = arrivalOffsetsMs(20_000, 60, 6);
    expect(offsets.every((ms, i) => i === 0 || ms >= (offsets[i - 1] ?? 0))).toBe(true);
    expect(offsets.at(-1)).toBeLessThanOrEqual(60_000);
    const firstSecond = offsets.filter((ms) => ms < 1000).length / offsets.length;
    expect(firstSecond).toBeGreaterThan(spikeShare);
    expect(firstSecond).toBeLessThan(spikeShare + 0.1);
    expect(arrivalOffsetsMs(100, 60, 6)).toEqual(arrivalOffsetsMs(100, 60, 6));
    expect(arrivalOffsetsMs(100, 60, 7)).not.toEqual(arrivalOffsetsMs(100, 60, 6));
  });

  it('draws SSE and leaving visitors at the requested shares', () => {
    const plan = crowdPlan({
      visitors: 10_000,
      windowS: 60,
      seed: 1,
      sseShare: 0.3,
      abandonShare: 0.05,
    });
    const sse = plan.usesSse.reduce((n, x) => n + x, 0) / 10_000;
    const leaving = plan.abandonAfterMs.filter((ms) => ms > 0).length / 10_000;
    expect(sse).toBeGreaterThan(0.27);
    expect(sse).toBeLessThan(0.33);
    expect(leaving).toBeGreaterThan(0.04);
    expect(leaving).toBeLessThan(0.06);
  });
});

const emptySteps = () =>
  Object.fromEntries(
    steps.map((step) => [
      step,
      {
        count: 0,
        p50_ms: null,
        p90_ms: null,
        p95_ms: null,
        p99_ms: null,
        max_ms: null,
        ok: 0,
        conflict409: 0,
        other4xx: 0,
        e5xx: 0,
        timeouts: 0,
        network: 0,
      },
    ]),
  ) as CrowdResults['steps'];

/** Four visitors: joined at 0, 10, 20, 30 ms (queue numbers 1-4); one left the queue. */
function crowd(mode: 'protected' | 'contrast', booked: number[], outcome: Outcome[]): CrowdResults {
  const tally = Object.fromEntries(outcomes.map((name) => [name, 0])) as Record<Outcome, number>;
  for (const name of outcome) tally[name]++;
  const result: CrowdResults = {
    mode,
    releaseAtMs: 1_000_000,
    stoppedAtMs: 1_090_000,
    stopReason: 'sold out',
    visitors: 4,
    joinSentMs: [1_000_000, 1_000_010, 1_000_020, 1_000_030],
    joinDoneMs: [1_000_005, 1_000_015, 1_000_025, 1_000_035],
    admittedSeenMs: [0, 0, 0, 0],
    bookedMs: booked,
    number: [1, 2, 3, 4],
    outcome,
    outcomes: tally,
    steps: emptySteps(),
    perSecond: {
      arrivals: [4],
      joined: [4],
      admitted: [],
      holds: [],
      booked: [],
      paid: [],
      soldOut: [],
      e5xx: [],
      timeouts: [],
      network: [],
    },
    gauges: [{ second: 0, waiting: 3, sseOpen: 1, inJourney: 0 }],
    samples: [],
  };
  result.steps.book.e5xx = 2;
  result.steps.hold.timeouts = 1;
  return result;
}

const audit = (admitted: Array<[number, number]>): RunAudit => ({
  seats: 2,
  sold: 2,
  confirmed: 2,
  oversold: 0,
  bookingViolations: 0,
  bookingViolationKinds: [],
  inventoryMismatches: 0,
  lastSeatAtMs: 1_012_000,
  admittedAtByNumber: new Map(admitted),
});

const sample = (t: number, commitP95Ms: number | null): Sample => ({
  t,
  queueLength: 3,
  admitted: 1,
  ratePerSecond: 10,
  activeSessions: 1,
  sessionCap: 100,
  rule: 'steady',
  rules: { steady: 1 },
  commitP95Ms,
  commitsInWindow: 60,
  windowS: 10,
  inFlight: 0,
  errors5xxInWindow: 0,
  timeoutsInWindow: 0,
  sold: 0,
  confirmed: 0,
  machineCores: 1.5,
  runCores: 1,
  otherCores: 0.5,
});

describe('runFigures', () => {
  const outcome: Outcome[] = ['paid', 'paid', 'sold_out', 'abandoned'];
  const booked = [1_005_000, 1_012_000, 0, 0];
  const samples = [sample(1, 80), sample(12, 120), sample(21, 140), sample(40, 900)];

  it('finds no inversion when the admission log follows the join log', () => {
    const figures = runFigures({
      crowd: crowd('protected', booked, outcome),
      audit: audit([
        [1, 1_001_000],
        [2, 1_001_000],
        [3, 1_002_000],
        [4, 1_002_000],
      ]),
      samples,
      targetMs: 150,
    });
    expect(figures.fifo_inversions).toBe(0);
    expect(figures.stayed).toBe(3);
    expect(figures.sellout_seconds).toBe(12);
    // Windows published until one window (10 s) after sell-out; the 900 ms one is later.
    expect(figures.commit_p95_ms).toBe(140);
    expect(figures.seconds_over_target).toBe(0);
    expect(figures.errors_5xx).toBe(2);
    expect(figures.timeouts).toBe(1);
  });

  it('catches a visitor admitted before one who joined earlier', () => {
    const figures = runFigures({
      crowd: crowd('protected', booked, outcome),
      audit: audit([
        [1, 1_001_000],
        [2, 1_003_000],
        [3, 1_002_000],
      ]),
      samples,
      targetMs: 130,
    });
    expect(figures.fifo_inversions).toBe(1);
    expect(figures.seconds_over_target).toBe(1);
  });

  it('ignores visitors who left the queue, and skipping them is no inversion', () => {
    // Number 4 left and was never admitted; nobody behind it.
    const figures = runFigures({
      crowd: crowd('protected', booked, outcome),
      audit: audit([
        [1, 1_001_000],
        [2, 1_001_000],
        [3, 1_002_000],
      ]),
      samples,
      targetMs: 150,
    });
    expect(figures.fifo_inversions).toBe(0);
  });

  it('in the contrast run, counts seats given to later arrivals', () => {
    const figures = runFigures({
      crowd: crowd(
        'contrast',
        [0, 1_006_000, 1_004_000, 0],
        ['gave_up', 'paid', 'paid', 'sold_out'],
      ),
      audit: audit([]),
      samples,
      targetMs: 150,
    });
    // Visitor 1 (no seat) was overtaken by visitors 2 and 3.
    expect(figures.fifo_inversions).toBe(2);
    expect(figures.seat_inversions).toBe(2);
  });

  it('heads the JSON line with the acceptance fields', () => {
    const figures = runFigures({
      crowd: crowd('protected', booked, outcome),
      audit: audit([]),
      samples,
      targetMs: 150,
    });
    expect(Object.keys(headline(figures))).toEqual(expect.arrayContaining([...acceptanceFields]));
  });
});

describe('surgeOptions', () => {
  it('defaults to 30,000 visitors in 60 s for 1,500 berths, smaller under CI', () => {
    const local = surgeOptions([], {});
    expect([local.visitors, local.seats, local.windowS]).toEqual([30_000, 1_500, 60]);
    const ci = surgeOptions([], { CI: 'true' });
    expect(ci.visitors).toBeLessThan(local.visitors);
    expect(ci.seats).toBeLessThan(local.seats);
  });

  it('reads flags before the environment and refuses bad values', () => {
    expect(surgeOptions(['--visitors=300', '--seats=60'], { SURGE_VISITORS: '900' }).visitors).toBe(
      300,
    );
    expect(surgeOptions([], { SURGE_VISITORS: '900' }).visitors).toBe(900);
    expect(() => surgeOptions(['--seats=5000'], {})).toThrow(/--seats/);
    expect(() => surgeOptions(['--visitors=many'], {})).toThrow(/whole number/);
    expect(() => surgeOptions(['--vistors=10'], {})).toThrow(/unknown option/);
    expect(surgeOptions(['--no-contrast', '--no-report'], {})).toMatchObject({
      contrast: false,
      reportDir: '',
    });
  });
});

describe('the report', () => {
  it('reads the admission worker decision stream at its key', () => {
    expect(decisionStreamKey('pfx', 'demo')).toBe(workerDecisionStreamKey('pfx', 'demo'));
  });

  it('says what the contrast shows, and only what the figures show', () => {
    const base = runFigures({
      crowd: crowd(
        'protected',
        [1_005_000, 1_012_000, 0, 0],
        ['paid', 'paid', 'sold_out', 'abandoned'],
      ),
      audit: audit([
        [1, 1_001_000],
        [2, 1_001_000],
        [3, 1_002_000],
      ]),
      samples: [sample(1, 80)],
      targetMs: 150,
    });
    const calm = contrastFindings(base, { ...base, mode: 'contrast' });
    expect(calm).not.toMatch(/sheds/);
    expect(calm).not.toMatch(/went to visitors who arrived later/);
    const stormy = contrastFindings(base, {
      ...base,
      mode: 'contrast',
      timeouts: 500,
      seat_inversions: 9_000,
      oversold: 3,
    });
    expect(stormy).toMatch(/sheds or drops/);
    expect(stormy).toMatch(/went to visitors who arrived later/);
    expect(stormy).toMatch(/0 protected, 3 contrast\./);
  });

  it('draws one line per run and the target', () => {
    const series = (p95: Array<number | null>): RunSeries => ({
      t: p95.map((_, i) => i),
      queue_length: p95.map(() => 0),
      admissions_per_s: p95.map(() => 1),
      commit_p95_ms: p95,
      bookings_per_s: p95.map(() => 1),
      active_sessions: p95.map(() => 1),
      errors_5xx_per_s: p95.map(() => 0),
      timeouts_per_s: p95.map(() => 0),
      sold: p95.map(() => 0),
      other_cores: p95.map(() => 0.5),
      run_cores: p95.map(() => 1),
    });
    const spec = chartSpecs(150).find((chart) => chart.file === 'commit-p95.png');
    if (!spec) throw new Error('no commit chart');
    const svg = chartSvg(spec, {
      protected: series([null, 80, 90]),
      contrast: series([400, 900, null]),
    });
    expect(svg.match(/<path /g)).toHaveLength(2);
    expect(svg).toContain('target 150 ms');
  });
});

describe('the commit histogram', () => {
  const metrics = (fast: number, slow: number) =>
    [
      '# TYPE tatkal_booking_commit_duration_seconds histogram',
      `tatkal_booking_commit_duration_seconds_bucket{le="0.1"} ${fast}`,
      `tatkal_booking_commit_duration_seconds_bucket{le="0.15"} ${fast}`,
      `tatkal_booking_commit_duration_seconds_bucket{le="0.5"} ${fast + slow}`,
      `tatkal_booking_commit_duration_seconds_bucket{le="+Inf"} ${fast + slow}`,
      `tatkal_booking_commit_duration_seconds_count ${fast + slow}`,
    ].join('\n');

  it('sums instances and reads the share within target and the p95 bound', () => {
    const merged = mergeHistograms([
      parseCommitHistogram(metrics(90, 0)),
      parseCommitHistogram(metrics(5, 5)),
    ]);
    expect(merged.count).toBe(100);
    expect(shareWithin(merged, 150)).toBe(0.95);
    expect(p95UpperBoundMs(merged)).toBe(100);
    // One more slow commit and the p95 is past the target.
    const worse = mergeHistograms([merged, parseCommitHistogram(metrics(0, 1))]);
    expect(p95UpperBoundMs(worse)).toBe(500);
    expect(shareWithin(worse, 120)).toBeNull();
  });
});

describe('secondsAbove', () => {
  it('gathers the seconds over a limit into spans, up to a last second', () => {
    expect(secondsAbove([null, 200, 300, 100, null, 160, 170, 400], 150)).toEqual([
      [1, 2],
      [5, 7],
    ]);
    expect(secondsAbove([200, 200, 200], 150, 1)).toEqual([[0, 1]]);
    expect(secondsAbove([100, null], 150)).toEqual([]);
  });
});

describe('changedPaths', () => {
  it('keeps every path whole, the first line included', () => {
    const porcelain =
      ' M admission-worker/src/controller/config.ts\nM  booking-api/src/main.ts\n?? loadtest/src/new.ts\n';
    expect(changedPaths(porcelain)).toEqual([
      'admission-worker/src/controller/config.ts',
      'booking-api/src/main.ts',
      'loadtest/src/new.ts',
    ]);
    // The bug this guards against: trimming the output first cut the first path's first letter.
    expect(changedPaths(porcelain.trim())[0]).toBe('dmission-worker/src/controller/config.ts');
  });

  it('has nothing to say of a clean tree', () => {
    expect(changedPaths('')).toEqual([]);
  });
});
