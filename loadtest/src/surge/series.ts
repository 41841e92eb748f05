// A run's series per second since the opening, for the charts and the JSON twin. The sampler's
// readings (worker decisions, booking-API health, queue state, SQL) are placed at the second
// they were taken; the crowd's counters are already per second.
import type { RunOutput } from './run.ts';

export interface RunSeries {
  /** Seconds since the opening, 0 .. end. */
  t: number[];
  queue_length: Array<number | null>;
  admissions_per_s: Array<number | null>;
  commit_p95_ms: Array<number | null>;
  bookings_per_s: Array<number | null>;
  /** Protected: the worker's active admitted sessions; contrast: visitors booking at once. */
  active_sessions: Array<number | null>;
  errors_5xx_per_s: number[];
  timeouts_per_s: number[];
  sold: Array<number | null>;
  /** Cores busy with work outside this run (other processes on a shared machine, Redis). */
  other_cores: Array<number | null>;
  run_cores: Array<number | null>;
}

export function runSeries(run: RunOutput): RunSeries {
  const { samples, crowd } = run;
  const lastSample = Math.ceil(samples.at(-1)?.t ?? 0);
  const length = Math.max(lastSample + 1, crowd.perSecond.arrivals.length);
  const empty = <T>(fill: T) => Array.from({ length }, () => fill);
  const series: RunSeries = {
    t: Array.from({ length }, (_, i) => i),
    queue_length: empty<number | null>(null),
    admissions_per_s: empty<number | null>(null),
    commit_p95_ms: empty<number | null>(null),
    bookings_per_s: empty<number | null>(null),
    active_sessions: empty<number | null>(null),
    errors_5xx_per_s: empty(0),
    timeouts_per_s: empty(0),
    sold: empty<number | null>(null),
    other_cores: empty<number | null>(null),
    run_cores: empty<number | null>(null),
  };
  let previous: (typeof samples)[number] | undefined;
  for (const sample of samples) {
    const i = Math.round(sample.t);
    if (i < 0 || i >= length) {
      previous = sample;
      continue;
    }
    const dt = previous ? Math.max(0.2, sample.t - previous.t) : 1;
    series.commit_p95_ms[i] = sample.commitP95Ms;
    series.sold[i] = sample.sold;
    series.other_cores[i] = sample.otherCores;
    series.run_cores[i] = sample.runCores;
    series.bookings_per_s[i] = previous
      ? Math.round(((sample.sold - previous.sold) / dt) * 10) / 10
      : 0;
    if (run.figures.mode === 'protected') {
      series.queue_length[i] = sample.queueLength;
      series.admissions_per_s[i] = Math.round((sample.admitted / dt) * 10) / 10;
      series.active_sessions[i] = sample.activeSessions;
    }
    previous = sample;
  }
  if (run.figures.mode === 'contrast') {
    crowd.perSecond.admitted.forEach((count, i) => {
      if (i < length) series.admissions_per_s[i] = count;
    });
    for (let i = 0; i < length; i++) series.queue_length[i] = 0;
    for (const gauge of crowd.gauges) {
      if (gauge.second < length) series.active_sessions[gauge.second] = gauge.inJourney;
    }
  }
  crowd.perSecond.e5xx.forEach((count, i) => {
    if (i < length) series.errors_5xx_per_s[i] = count;
  });
  crowd.perSecond.timeouts.forEach((count, i) => {
    if (i < length) series.timeouts_per_s[i] = count;
  });
  return series;
}
