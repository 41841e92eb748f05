// What the crowd driver hands back: its join and admission log per visitor, outcomes, per-step
// latency summaries and answer classes, and its series per second since the opening.
import { type LatencySummary, summarise } from '../surge/percentiles.ts';
import {
  type CrowdLedger,
  type Outcome,
  outcomes,
  type SecondCounter,
  type Step,
  type StepCounts,
  steps,
} from './ledger.ts';

export interface GaugeSample {
  second: number;
  waiting: number;
  sseOpen: number;
  inJourney: number;
}

export interface CrowdResults {
  mode: 'protected' | 'contrast';
  releaseAtMs: number;
  stoppedAtMs: number;
  stopReason: string;
  visitors: number;
  /** Per visitor (index = arrival order): epoch ms, 0 when it did not happen. */
  joinSentMs: number[];
  joinDoneMs: number[];
  admittedSeenMs: number[];
  bookedMs: number[];
  number: number[];
  outcome: Outcome[];
  outcomes: Record<Outcome, number>;
  steps: Record<Step, LatencySummary & StepCounts>;
  perSecond: Record<SecondCounter, number[]>;
  gauges: GaugeSample[];
  samples: CrowdLedger['samples'];
}

export function crowdResults(
  ledger: CrowdLedger,
  meta: { mode: CrowdResults['mode']; stoppedAtMs: number; stopReason: string },
  gauges: GaugeSample[],
): CrowdResults {
  const visitors = ledger.outcome.length;
  const outcome = Array.from(ledger.outcome, (code) => outcomes[code] ?? 'pending');
  const tally = Object.fromEntries(outcomes.map((name) => [name, 0])) as Record<Outcome, number>;
  for (const name of outcome) tally[name]++;
  return {
    ...meta,
    releaseAtMs: ledger.releaseAtMs,
    visitors,
    joinSentMs: Array.from(ledger.joinSentMs),
    joinDoneMs: Array.from(ledger.joinDoneMs),
    admittedSeenMs: Array.from(ledger.admittedSeenMs),
    bookedMs: Array.from(ledger.bookedMs),
    number: Array.from(ledger.number),
    outcome,
    outcomes: tally,
    steps: Object.fromEntries(
      steps.map((step) => [
        step,
        {
          ...summarise(ledger.latencies.get(step) ?? []),
          ...(ledger.counts.get(step) as StepCounts),
        },
      ]),
    ) as CrowdResults['steps'],
    perSecond: Object.fromEntries(ledger.perSecond) as CrowdResults['perSecond'],
    gauges,
    samples: ledger.samples,
  };
}
