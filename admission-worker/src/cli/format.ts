// Plain-text layouts for the terminal.
import type { DecisionRecord } from '../decisions/record.ts';

export function table(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) =>
    Math.max(h.length, ...rows.map((row) => (row[i] ?? '').length)),
  );
  const line = (cells: string[]) =>
    cells
      .map((cell, i) => cell.padEnd(widths[i] ?? 0))
      .join('  ')
      .trimEnd();
  return [line(header), ...rows.map(line)].join('\n');
}

const ms = (value: number | null) => (value === null ? '?' : `${Math.round(value)}ms`);
const num = (value: number | null) => (value === null ? '?' : String(Math.round(value * 10) / 10));

/** One tick on one line, for `tatkal watch`. */
export function tickLine(record: DecisionRecord): string {
  const time = new Date(record.atMs).toISOString().slice(11, 19);
  const { decision, inputs, batch } = record;
  return [
    time,
    decision.rule.padEnd(17),
    `admitted=${batch.admitted}`,
    `rate=${num(decision.ratePerSecond)}/s`,
    `cap=${decision.activeSessionCap}`,
    `queue=${inputs.queue.waiting}`,
    `active=${inputs.sessions.active}`,
    `p95=${ms(inputs.booking.commitP95Ms)}/${inputs.bounds.latencyTargetMs}ms`,
    `— ${decision.reason}`,
  ].join('  ');
}
