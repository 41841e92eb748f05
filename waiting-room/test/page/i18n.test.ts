import { describe, expect, it } from 'vitest';
import {
  chooseLang,
  hindiProblems,
  langFromAcceptLanguage,
  strings,
  translate,
} from '../../src/page/i18n.ts';

const placeholders = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
const devanagari = /[\u0900-\u097F]/;

describe('queue page strings', () => {
  it('has every English string in Hindi, with the same placeholders, none empty', () => {
    expect(Object.keys(strings.hi).sort()).toEqual(Object.keys(strings.en).sort());
    for (const [key, english] of Object.entries(strings.en)) {
      const hindi = strings.hi[key as keyof typeof strings.en];
      expect(hindi.trim(), key).not.toBe('');
      expect(placeholders(hindi), key).toEqual(placeholders(english));
    }
  });

  it('writes Hindi in Devanagari (except the link that offers English)', () => {
    const notDevanagari = Object.entries(strings.hi)
      .filter(([, text]) => !devanagari.test(text))
      .map(([key]) => key);
    expect(notDevanagari).toEqual(['otherLanguage', 'otherLanguageHint']);
    for (const problem of Object.values(hindiProblems)) {
      expect(problem.title).toMatch(devanagari);
      expect(problem.detail).toMatch(devanagari);
    }
  });

  it('fills placeholders and leaves unknown ones visible', () => {
    expect(translate('en', 'aheadMany', { n: '1,234' })).toBe('1,234 people ahead of you');
    expect(translate('hi', 'aheadMany', { n: 3 })).toBe('आपसे आगे 3 लोग हैं');
    expect(translate('en', 'aheadMany')).toBe('{n} people ahead of you');
  });
});

describe('choosing the language', () => {
  it.each([
    [undefined, 'en'],
    ['', 'en'],
    ['hi', 'hi'],
    ['hi-IN', 'hi'],
    ['HI-in,en;q=0.8', 'hi'],
    ['en-IN,hi;q=0.9', 'en'],
    ['en;q=0.5, hi;q=0.9', 'hi'],
    ['ta-IN,hi;q=0.7,en;q=0.3', 'hi'],
    ['ta-IN,te;q=0.7', 'en'],
    ['hi;q=0, en', 'en'],
    ['hi;q=abc, en;q=0.1', 'en'],
    ['*', 'en'],
  ])('Accept-Language %j gives %s', (header, lang) => {
    expect(langFromAcceptLanguage(header)).toBe(lang);
  });

  it('lets ?lang= win over the header, and ignores unknown values', () => {
    expect(chooseLang('en', 'hi-IN')).toBe('en');
    expect(chooseLang('hi', 'en-GB')).toBe('hi');
    expect(chooseLang('fr', 'hi-IN')).toBe('hi');
    expect(chooseLang('<script>', undefined)).toBe('en');
  });
});
