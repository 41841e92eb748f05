// The report's tables and its plain-words comparison of the two runs, from the figures only.
import { outcomes } from '../crowd/ledger.ts';
import type { RunFigures } from './figures.ts';

const n = (value: number) => value.toLocaleString('en');

const show = (value: number | null | undefined, unit = '') =>
  value === null || value === undefined ? '-' : `${value.toLocaleString('en')}${unit}`;

export function figureRows(runs: readonly RunFigures[]): string[][] {
  const row = (label: string, pick: (run: RunFigures) => string) => [label, ...runs.map(pick)];
  return [
    row('visitors', (r) => show(r.visitors)),
    row('Tatkal berths on sale', (r) => show(r.seats)),
    row('berths sold (confirmed)', (r) => `${show(r.sold)} (${show(r.confirmed)})`),
    row('oversold (SQL audit)', (r) => show(r.oversold)),
    row(
      'booking violations / inventory mismatches',
      (r) => `${r.booking_violations} / ${r.inventory_mismatches}`,
    ),
    row('FIFO inversions among visitors who stayed', (r) => show(r.fifo_inversions)),
    row('seat inversions (later arrival seated, earlier not)', (r) => show(r.seat_inversions)),
    row('visitors who stayed', (r) => show(r.stayed)),
    row('opening to sell-out', (r) => show(r.sellout_seconds, ' s')),
    row('booking commit p95, worst window in the rush', (r) => show(r.commit_p95_ms, ' ms')),
    row('commit p95 target', (r) => show(r.commit_target_ms, ' ms')),
    row('seconds of the rush over target', (r) => show(r.seconds_over_target)),
    row(
      'all commits: count, within target, p95 (histogram bucket)',
      (r) =>
        `${show(r.commits_total)}, ${show(r.commits_within_target_pct, ' %')}, ≤ ${show(r.commit_p95_all_le_ms, ' ms')}`,
    ),
    row('5xx answers', (r) => show(r.errors_5xx)),
    row('timeouts (no answer in 10 s)', (r) => show(r.timeouts)),
    row('connection errors', (r) => show(r.network_errors)),
    row('longest queue', (r) => show(r.peak_queue_length)),
    row('visitors waiting at once (peak)', (r) => show(r.peak_waiting_visitors)),
    row('SSE streams open at once (peak)', (r) => show(r.peak_sse_streams)),
    row(
      'cores busy in the rush: this run / other work (of the machine)',
      (r) => `${show(r.run_cores_in_rush)} / ${show(r.other_cores_in_rush)}`,
    ),
  ];
}

export function stepRows(run: RunFigures): string[][] {
  return Object.entries(run.steps)
    .filter(([, step]) => step.count > 0)
    .map(([name, step]) => [
      name,
      show(step.count),
      show(step.p50_ms),
      show(step.p90_ms),
      show(step.p95_ms),
      show(step.p99_ms),
      show(step.max_ms),
      show(step.ok),
      show(step.conflict409),
      show(step.other4xx),
      show(step.e5xx),
      show(step.timeouts),
      show(step.network),
    ]);
}

export function outcomeRows(runs: readonly RunFigures[]): string[][] {
  return outcomes
    .filter((outcome) => runs.some((run) => run.outcomes[outcome] > 0))
    .map((outcome) => [
      outcome.replaceAll('_', ' '),
      ...runs.map((run) => show(run.outcomes[outcome])),
    ]);
}

/** What the contrast run shows next to the protected one, in plain words, whichever way it went. */
/** Runs of seconds (from, to) where a series is above `limit`. */
export function secondsAbove(
  series: ReadonlyArray<number | null>,
  limit: number,
  until = Number.POSITIVE_INFINITY,
): Array<[number, number]> {
  const spans: Array<[number, number]> = [];
  series.forEach((value, t) => {
    if (t > until || value === null || value <= limit) return;
    const last = spans.at(-1);
    if (last && last[1] >= t - 1) last[1] = t;
    else spans.push([t, t]);
  });
  return spans;
}

/**
 * What the contrast run shows next to the protected one, in plain words, whichever way it
 * went. `overTarget`: when the protected run's windowed commit p95 was above target.
 */
export function contrastFindings(
  guarded: RunFigures,
  open: RunFigures,
  overTarget: ReadonlyArray<[number, number]> = [],
): string {
  const lines: string[] = [];
  const soldLine = (run: RunFigures) =>
    `${run.sold.toLocaleString('en')} of ${run.seats.toLocaleString('en')} berths` +
    (run.sellout_seconds === null ? ' (not sold out)' : ` in ${run.sellout_seconds} s`);
  lines.push(`- Sales: protected sold ${soldLine(guarded)}; contrast sold ${soldLine(open)}.`);
  lines.push(
    `- Oversold: ${guarded.oversold} protected, ${open.oversold} contrast` +
      (guarded.oversold === 0 && open.oversold === 0
        ? ": the booking API's Redis holds and row locks keep every berth single-sold with or without the waiting room, so overselling is not what the waiting room prevents here."
        : '.'),
  );
  if (open.sold < open.seats) {
    lines.push(
      `- Unsold berths: the contrast run ended with ${(open.seats - open.sold).toLocaleString('en')} berths unsold while ` +
        `${open.outcomes.sold_out.toLocaleString('en')} visitors were told the class was full (their hold answered 409) and ` +
        `${open.outcomes.gave_up.toLocaleString('en')} gave up after their retries were refused or timed out: ` +
        'berths sat in holds whose bookings were shed, until those holds expire.',
    );
  }
  const p95 = (run: RunFigures) =>
    run.commit_p95_ms === null ? 'unknown (too few commits)' : `${run.commit_p95_ms} ms`;
  const within = (run: RunFigures) =>
    run.commits_within_target_pct === null || run.commits_within_target_pct === undefined
      ? ''
      : `; ${run.commits_within_target_pct} % of all its commits within target`;
  const when =
    overTarget.length > 0
      ? `, at ${overTarget.map(([from, to]) => `${from}-${to} s`).join(', ')}`
      : '';
  lines.push(
    `- Booking commit p95 (target ${guarded.commit_target_ms} ms): protected worst window ${p95(guarded)} ` +
      `(${guarded.seconds_over_target} s over target${when}${within(guarded)}); ` +
      `contrast ${p95(open)} (${open.seconds_over_target} s over target${within(open)}).`,
  );
  const seenBooked = open.outcomes.paid + open.outcomes.booked_unpaid;
  if (open.confirmed < open.sold) {
    const unseen = open.sold - seenBooked;
    lines.push(
      `- Unconfirmed: of the contrast run's ${n(open.sold)} berths sold, only ${n(open.confirmed)} were confirmed by ` +
        'payment by the end of the run (the payment simulator confirms through a callback to the same overloaded booking API)' +
        (unseen > 0
          ? `, and ${n(unseen)} went to visitors whose booking answer never reached them`
          : '') +
        `; protected: ${n(guarded.confirmed)} of ${n(guarded.sold)}.`,
    );
  }
  const errors = (run: RunFigures) => run.errors_5xx + run.timeouts + run.network_errors;
  lines.push(
    `- Failed answers: protected ${n(guarded.errors_5xx)} 5xx, ${n(guarded.timeouts)} timeouts, ${n(guarded.network_errors)} connection errors; ` +
      `contrast ${n(open.errors_5xx)} 5xx, ${n(open.timeouts)} timeouts, ${n(open.network_errors)} connection errors` +
      (errors(open) > errors(guarded)
        ? ': without the queue the booking API sheds or drops what it cannot serve.'
        : '.'),
  );
  lines.push(
    `- Fairness: protected ${n(guarded.fifo_inversions)} FIFO inversions and ${n(guarded.seat_inversions)} seat inversions; ` +
      `contrast ${n(open.seat_inversions)} seat inversions (pairs)` +
      (open.seat_inversions > guarded.seat_inversions
        ? ': without the queue, berths went to visitors who arrived later while earlier ones, still trying, went without.'
        : '.'),
  );
  if (
    open.sellout_seconds !== null &&
    guarded.sellout_seconds !== null &&
    open.sellout_seconds < guarded.sellout_seconds
  ) {
    lines.push(
      `- Speed: the contrast sold out sooner (${open.sellout_seconds} s against ${guarded.sellout_seconds} s): ` +
        'the controller admits only as fast as commits stay under target, so the protected sale takes longer.',
    );
  }
  return lines.join('\n');
}
