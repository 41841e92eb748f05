// The browser script runs here in a bare V8 context (no DOM): its wording must
// match the server's, and its proof-of-work must satisfy the server's check.
import { readFileSync } from 'node:fs';
import { runInNewContext } from 'node:vm';
import { describe, expect, it } from 'vitest';
import { leadingZeroBits, powDigest } from '../../src/limits/proof-of-work.ts';
import {
  formatAhead,
  formatPeople,
  formatRate,
  formatTime,
  formatWait,
  progressPercent,
  type WaitBand,
} from '../../src/page/format.ts';
import { type Lang, locales, strings } from '../../src/page/i18n.ts';

type Strings = Record<string, string>;
interface Client {
  formatWait(strings: Strings, band: WaitBand | null): string;
  formatAhead(strings: Strings, locale: string, n: number): string;
  formatPeople(strings: Strings, locale: string, key: string, n: number): string;
  formatRate(strings: Strings, locale: string, perSecond: number): string;
  formatTime(locale: string, at: string): string;
  progressPercent(start: number, position: number): number;
  solveChallenge(
    challenge: string,
    difficulty: number,
    subtle: typeof crypto.subtle,
  ): Promise<string>;
}

const source = readFileSync(new URL('../../src/page/assets/queue.js', import.meta.url), 'utf8');
const client = runInNewContext(`${source}\nTatkalQueue`, { TextEncoder }) as Client;

describe('queue page script', () => {
  it('words waits, people ahead and rates exactly as the server does', () => {
    for (const lang of ['en', 'hi'] as Lang[]) {
      const table = strings[lang];
      const locale = locales[lang];
      expect(client.formatWait(table, null)).toBe(formatWait(null, lang));
      for (let low = 0; low < 4 * 3600; low += 97) {
        for (const width of [0, 30, 200, 1000, 5000]) {
          const band = { lowSeconds: low, highSeconds: low + width };
          expect(client.formatWait(table, band)).toBe(formatWait(band, lang));
        }
      }
      for (const n of [0, 1, 2, 999, 100_000]) {
        expect(client.formatAhead(table, locale, n)).toBe(formatAhead(n, lang));
        for (const key of ['waitingNow', 'prequeueCount'] as const) {
          expect(client.formatPeople(table, locale, key, n)).toBe(formatPeople(key, n, lang));
        }
      }
      for (const rate of [0, 0.04, 1, 2.46, 1500]) {
        expect(client.formatRate(table, locale, rate)).toBe(formatRate(rate, lang));
      }
      expect(client.formatTime(locale, '2026-03-01T04:30:00.000Z')).toBe(
        formatTime('2026-03-01T04:30:00.000Z', lang),
      );
    }
    for (const [start, position] of [
      [4, 4],
      [4, 1],
      [10, 3],
      [1, 5],
      [7, 0],
    ] as const) {
      expect(client.progressPercent(start, position)).toBe(progressPercent(start, position));
    }
  });

  it('solves a proof-of-work challenge the server accepts', async () => {
    const challenge = 'p1.test-challenge.signature';
    const nonce = await client.solveChallenge(challenge, 12, crypto.subtle);
    expect(nonce).toMatch(/^[0-9]{1,20}$/);
    expect(leadingZeroBits(powDigest(challenge, nonce))).toBeGreaterThanOrEqual(12);
    // The first such nonce: a solver that skipped candidates would still pass the check above.
    for (let smaller = 0; smaller < Number(nonce); smaller++) {
      expect(leadingZeroBits(powDigest(challenge, String(smaller)))).toBeLessThan(12);
    }
  });
});
