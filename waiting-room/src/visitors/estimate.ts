// Wait estimates from the measured admission rate, never from a guess: with
// no admissions measured yet, there is no estimate.

export interface AdmissionBatch {
  atMs: number;
  count: number;
}

export interface AdmissionRates {
  /** Admissions per second over the last `shortWindowMs`. */
  short: number;
  /** Admissions per second over the last `longWindowMs`. */
  long: number;
}

const shortWindowMs = 30_000;
const longWindowMs = 120_000;
/** Less than this much history is too little to call a rate. */
const minimumHistoryMs = 5_000;

function rateOver(batches: readonly AdmissionBatch[], nowMs: number, windowMs: number): number {
  const oldest = batches.at(-1);
  if (!oldest) return 0;
  // A room that opened a moment ago has less history than the window.
  const span = Math.min(windowMs, nowMs - oldest.atMs);
  if (span < minimumHistoryMs) return 0;
  let admitted = 0;
  for (const batch of batches) {
    if (nowMs - batch.atMs <= span) admitted += batch.count;
  }
  return admitted / (span / 1000);
}

/** Rates from the recent batches (newest first); zero where too little is known. */
export function admissionRates(batches: readonly AdmissionBatch[], nowMs: number): AdmissionRates {
  return {
    short: rateOver(batches, nowMs, shortWindowMs),
    long: rateOver(batches, nowMs, longWindowMs),
  };
}

export interface WaitBand {
  lowSeconds: number;
  highSeconds: number;
}

function roundDown(seconds: number): number {
  const step = seconds >= 120 ? 60 : 10;
  return Math.floor(seconds / step) * step;
}

function roundUp(seconds: number): number {
  const step = seconds >= 120 ? 60 : 10;
  return Math.ceil(seconds / step) * step;
}

/**
 * The wait as a band between the faster and the slower of the two measured
 * rates, widened by 10 % each way. Null when no rate has been measured.
 */
export function waitBand(peopleAhead: number, rates: AdmissionRates): WaitBand | null {
  const fast = Math.max(rates.short, rates.long);
  if (fast <= 0) return null;
  const slowRate = Math.min(rates.short, rates.long);
  const slow = slowRate > 0 ? slowRate : fast / 2;
  if (peopleAhead <= 0) return { lowSeconds: 0, highSeconds: roundUp(1.1 / fast) };
  return {
    lowSeconds: roundDown((0.9 * peopleAhead) / fast),
    highSeconds: Math.max(roundUp((1.1 * peopleAhead) / slow), 10),
  };
}

const minPollSeconds = 2;
const maxPollSeconds = 30;

/**
 * When a poller should ask again: often near the front, rarely far back, with
 * ±20 % jitter so that a crowd that arrived together does not poll together.
 * `untilOpenSeconds` applies before the sale opens.
 */
export function suggestedPollSeconds(input: {
  position: number | null;
  ratePerSecond: number;
  untilOpenSeconds: number | null;
  random: () => number;
}): number {
  let base: number;
  if (input.untilOpenSeconds !== null && input.untilOpenSeconds > 0) {
    base = input.untilOpenSeconds / 4;
  } else if (input.position === null || input.position <= 1) {
    base = minPollSeconds;
  } else if (input.ratePerSecond > 0) {
    base = input.position / input.ratePerSecond / 10;
  } else {
    base = input.position / 100;
  }
  const clamped = Math.min(maxPollSeconds, Math.max(minPollSeconds, base));
  const jittered = clamped * (0.8 + 0.4 * input.random());
  return Math.round(Math.max(1, jittered) * 10) / 10;
}
