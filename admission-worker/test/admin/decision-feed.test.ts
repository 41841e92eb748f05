// Reading tick records back (the live view, the CLI) and wording them for the terminal.
import { describe, expect, it } from 'vitest';
import { decisionFromFields } from '../../src/admin/decision-feed.ts';
import { table, tickLine } from '../../src/cli/format.ts';
import { decisionRecord } from './support.ts';

describe('decision records from the stream', () => {
  const record = decisionRecord('demo', 2);

  it('accepts a record in the contract shape, and keeps fields a newer tick adds', () => {
    expect(decisionFromFields(['d', JSON.stringify(record)])).toEqual(record);
    const newer = { ...record, extra: { note: 'from a newer worker' } };
    expect(decisionFromFields(['d', JSON.stringify(newer)])).toEqual(newer);
  });

  it.each([
    ['no d field', ['x', JSON.stringify(record)]],
    ['not JSON', ['d', '{']],
    ['a missing decision', ['d', JSON.stringify({ ...record, decision: undefined })]],
    ['a string where a number belongs', ['d', JSON.stringify({ ...record, atMs: '1' })]],
    ['a value in the name position', [JSON.stringify(record), 'd']],
  ])('rejects %s', (_label, fields) => {
    expect(decisionFromFields(fields)).toBeNull();
  });
});

describe('terminal output', () => {
  it('puts one tick on one line with its rule, batch, rate, queue and latency', () => {
    const record = decisionRecord('demo', 2, {
      waiting: 4200,
      admitted: 12,
      rate: 11.25,
      p95: null,
    });
    record.atMs = Date.UTC(2026, 2, 1, 4, 30, 7);
    expect(tickLine(record)).toBe(
      '04:30:07  headroom_increase  admitted=12  rate=11.3/s  cap=900  queue=4200  active=120  p95=?/150ms  — p95 100 ms under target 150 ms: raise the rate',
    );
  });

  it('aligns table columns', () => {
    expect(
      table(
        ['A', 'BB'],
        [
          ['xyz', '1'],
          ['q', '22'],
        ],
      ),
    ).toBe('A    BB\nxyz  1\nq    22');
  });
});
