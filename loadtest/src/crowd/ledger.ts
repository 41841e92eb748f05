// What the crowd saw, kept small: one slot per visitor in typed arrays (join log, admission
// seen, outcome), every answer's latency per step, and counters per second since release.
import type { Answer } from './http-client.ts';

export const steps = ['join', 'status', 'sse', 'availability', 'hold', 'book', 'pay'] as const;
export type Step = (typeof steps)[number];

/** How a visitor's visit ended. */
export const outcomes = [
  'pending',
  'paid',
  'booked_unpaid',
  'sold_out',
  'gave_up',
  'abandoned',
  'still_waiting',
  'join_failed',
  'not_arrived',
] as const;
export type Outcome = (typeof outcomes)[number];

export interface StepCounts {
  ok: number;
  conflict409: number;
  other4xx: number;
  e5xx: number;
  timeouts: number;
  network: number;
}

export const secondCounters = [
  'arrivals',
  'joined',
  'admitted',
  'holds',
  'booked',
  'paid',
  'soldOut',
  'e5xx',
  'timeouts',
  'network',
] as const;
export type SecondCounter = (typeof secondCounters)[number];

export class CrowdLedger {
  readonly releaseAtMs: number;
  /** Epoch ms; 0 until it happened. */
  readonly joinSentMs: Float64Array;
  readonly joinDoneMs: Float64Array;
  readonly admittedSeenMs: Float64Array;
  readonly bookedMs: Float64Array;
  /** Queue number from the join answer (0 when none). */
  readonly number: Int32Array;
  readonly outcome: Uint8Array;
  readonly latencies = new Map<Step, number[]>(steps.map((step) => [step, []]));
  readonly counts = new Map<Step, StepCounts>(
    steps.map((step) => [
      step,
      { ok: 0, conflict409: 0, other4xx: 0, e5xx: 0, timeouts: 0, network: 0 },
    ]),
  );
  readonly perSecond = new Map<SecondCounter, number[]>(secondCounters.map((name) => [name, []]));
  /** Up to a few unexpected answers per step, for the report. */
  readonly samples: Array<{ step: Step; status: number; body: string }> = [];

  constructor(visitors: number, releaseAtMs: number) {
    this.releaseAtMs = releaseAtMs;
    this.joinSentMs = new Float64Array(visitors);
    this.joinDoneMs = new Float64Array(visitors);
    this.admittedSeenMs = new Float64Array(visitors);
    this.bookedMs = new Float64Array(visitors);
    this.number = new Int32Array(visitors);
    this.outcome = new Uint8Array(visitors);
  }

  bump(counter: SecondCounter, atMs = Date.now()): void {
    const series = this.perSecond.get(counter) as number[];
    const second = Math.max(0, Math.floor((atMs - this.releaseAtMs) / 1000));
    while (series.length <= second) series.push(0);
    series[second] = (series[second] ?? 0) + 1;
  }

  /** Records one answer of a step: latency always, and its class. */
  record(step: Step, answer: Answer): void {
    (this.latencies.get(step) as number[]).push(Math.round(answer.ms * 10) / 10);
    const counts = this.counts.get(step) as StepCounts;
    if (answer.timedOut) {
      counts.timeouts++;
      this.bump('timeouts');
    } else if (answer.status === 0) {
      counts.network++;
      this.bump('network');
    } else if (answer.status >= 500) {
      counts.e5xx++;
      this.bump('e5xx');
    } else if (answer.status === 409) counts.conflict409++;
    else if (answer.status >= 400) counts.other4xx++;
    else counts.ok++;
    const unexpected = answer.status === 0 || answer.status >= 500 || answer.status === 401;
    if (unexpected && this.samples.filter((s) => s.step === step).length < 3) {
      this.samples.push({ step, status: answer.status, body: answer.body.slice(0, 300) });
    }
  }

  setOutcome(visitor: number, outcome: Outcome): void {
    this.outcome[visitor] = outcomes.indexOf(outcome);
  }

  outcomeOf(visitor: number): Outcome {
    return outcomes[this.outcome[visitor] ?? 0] ?? 'pending';
  }
}
