import { describe, expect, it } from 'vitest';
import {
  formatAhead,
  formatCount,
  formatRate,
  formatTime,
  formatWait,
  progressPercent,
} from '../../src/page/format.ts';

describe('wording the wait', () => {
  it.each([
    [null, 'en', 'no estimate yet'],
    [null, 'hi', 'अभी कोई अनुमान नहीं'],
    [{ lowSeconds: 0, highSeconds: 10 }, 'en', 'less than a minute'],
    [{ lowSeconds: 10, highSeconds: 70 }, 'en', 'up to 2 minutes'],
    [{ lowSeconds: 60, highSeconds: 60 }, 'en', 'about 1 minute'],
    [{ lowSeconds: 240, highSeconds: 360 }, 'en', 'about 4–6 minutes'],
    [{ lowSeconds: 240, highSeconds: 360 }, 'hi', 'लगभग 4–6 मिनट'],
    [{ lowSeconds: 300, highSeconds: 300 }, 'en', 'about 5 minutes'],
    [{ lowSeconds: 3000, highSeconds: 5400 }, 'en', 'about 50–90 minutes'],
    [{ lowSeconds: 3600, highSeconds: 7000 }, 'en', 'about 1–2 hours'],
    [{ lowSeconds: 3600, highSeconds: 3600 * 1.5 + 1 }, 'hi', 'लगभग 1–2 घंटे'],
    [{ lowSeconds: 7200, highSeconds: 7200 }, 'en', 'about 2 hours'],
  ] as const)('%j in %s is "%s"', (band, lang, words) => {
    expect(formatWait(band, lang)).toBe(words);
  });

  it('never shows a band narrower than the estimate: low rounds down, high rounds up', () => {
    for (let low = 60; low < 6000; low += 37) {
      for (const extra of [0, 1, 59, 61, 600]) {
        const words = formatWait({ lowSeconds: low, highSeconds: low + extra }, 'en');
        if (words.startsWith('up to') || words === 'less than a minute') continue;
        const numbers = [...words.matchAll(/\d+/g)].map((m) => Number(m[0]));
        const unit = words.includes('hour') ? 3600 : 60;
        expect((numbers[0] ?? Number.NaN) * unit, words).toBeLessThanOrEqual(low);
        expect((numbers.at(-1) ?? Number.NaN) * unit, words).toBeGreaterThanOrEqual(low + extra);
      }
    }
  });
});

describe('other wording', () => {
  it('counts people ahead in both languages, with Indian digit grouping', () => {
    expect(formatAhead(0, 'en')).toBe('You are next.');
    expect(formatAhead(1, 'en')).toBe('1 person ahead of you');
    expect(formatAhead(123456, 'en')).toBe('1,23,456 people ahead of you');
    expect(formatAhead(1, 'hi')).toBe('आपसे आगे 1 व्यक्ति है');
    expect(formatAhead(25, 'hi')).toBe('आपसे आगे 25 लोग हैं');
    expect(formatCount(1234567, 'hi')).toBe('12,34,567');
  });

  it('words the admission rate, and says when none is measured', () => {
    expect(formatRate(0, 'en')).toBe('not measured yet');
    expect(formatRate(2.46, 'en')).toBe('2.5 people per second');
    expect(formatRate(12, 'hi')).toBe('12 लोग प्रति सेकंड');
  });

  it('shows times in IST whatever the server clock zone', () => {
    expect(formatTime('2026-03-01T04:30:00.000Z', 'en')).toBe('1 Mar, 10:00 IST');
    expect(formatTime('2026-03-01T04:30:00.000Z', 'hi')).toMatch(/^1 .+, 10:00 IST$/);
  });

  it('measures progress from the first position seen, within 0–100', () => {
    expect(progressPercent(4, 4)).toBe(0);
    expect(progressPercent(4, 2)).toBe(50);
    expect(progressPercent(4, 1)).toBe(75);
    expect(progressPercent(4, 0)).toBe(100);
    expect(progressPercent(2, 9)).toBe(0);
  });
});
