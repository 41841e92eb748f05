// How the page words numbers, times and wait bands. The client script
// (assets/queue.js) words live updates the same way; test/page checks that
// both agree.
import { type Lang, locales, translate } from './i18n.ts';

export interface WaitBand {
  lowSeconds: number;
  highSeconds: number;
}

/** Times are shown in IST: the sale runs on Indian Railways' clock wherever the visitor is. */
export function formatTime(at: Date | string, lang: Lang): string {
  const formatted = new Intl.DateTimeFormat(locales[lang], {
    timeZone: 'Asia/Kolkata',
    day: 'numeric',
    month: 'short',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }).format(new Date(at));
  return `${formatted} IST`;
}

export function formatCount(n: number, lang: Lang): string {
  return new Intl.NumberFormat(locales[lang]).format(n);
}

/** "1 person …" or "N people …": `key` words the plural, `${key}One` the singular. */
export function formatPeople(key: 'waitingNow' | 'prequeueCount', n: number, lang: Lang): string {
  if (n === 1) return translate(lang, `${key}One`);
  return translate(lang, key, { n: formatCount(n, lang) });
}

export function formatRate(perSecond: number, lang: Lang): string {
  if (perSecond <= 0) return translate(lang, 'rateNone');
  const rate = new Intl.NumberFormat(locales[lang], { maximumFractionDigits: 1 }).format(perSecond);
  return translate(lang, 'rateValue', { rate });
}

export function formatAhead(peopleAhead: number, lang: Lang): string {
  if (peopleAhead <= 0) return translate(lang, 'aheadNone');
  if (peopleAhead === 1) return translate(lang, 'aheadOne');
  return translate(lang, 'aheadMany', { n: formatCount(peopleAhead, lang) });
}

/** A wait band in words: "about 4–6 minutes"; rounded outwards so the band stays honest. */
export function formatWait(band: WaitBand | null, lang: Lang): string {
  if (band === null) return translate(lang, 'estimateNone');
  const { lowSeconds, highSeconds } = band;
  if (highSeconds < 60) return translate(lang, 'estimateUnderMinute');
  if (highSeconds <= 90 * 60) {
    const low = Math.floor(lowSeconds / 60);
    const high = Math.ceil(highSeconds / 60);
    if (low < 1) return translate(lang, 'estimateUpToMinutes', { high });
    if (low === high) {
      return low === 1
        ? translate(lang, 'estimateOneMinute')
        : translate(lang, 'estimateMinutes', { n: low });
    }
    return translate(lang, 'estimateMinutesBand', { low, high });
  }
  const low = Math.max(1, Math.floor(lowSeconds / 3600));
  const high = Math.ceil(highSeconds / 3600);
  if (low === high) {
    return low === 1
      ? translate(lang, 'estimateOneHour')
      : translate(lang, 'estimateHours', { n: low });
  }
  return translate(lang, 'estimateHoursBand', { low, high });
}

/** Percent of the way from the first position seen to the front (0–100). */
export function progressPercent(startPosition: number, position: number): number {
  if (position <= 0) return 100;
  const start = Math.max(startPosition, position);
  return Math.round(((start - position) / start) * 100);
}
