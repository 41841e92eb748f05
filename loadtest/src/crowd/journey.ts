// An admitted visitor's booking journey: availability -> hold one Tatkal berth -> book with a
// passenger -> pay through the simulator. A step answered 503 (load shed), 429, timed out or
// reset is retried with the same Idempotency-Key, as a browser would, a bounded number of times.
import type { Agent } from 'node:http';
import { type Answer, type CallInput, call, jsonBody } from './http-client.ts';
import type { CrowdLedger, Step } from './ledger.ts';
import type { CrowdConfig } from './plan.ts';

export interface JourneyContext {
  config: CrowdConfig;
  ledger: CrowdLedger;
  agents: Map<string, Agent>;
  isStopped: () => boolean;
}

export const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function retryable(answer: Answer): boolean {
  return answer.status === 0 || answer.status === 503 || answer.status === 429;
}

export async function attempt(
  context: JourneyContext,
  step: Step,
  input: Omit<CallInput, 'agent' | 'timeoutMs'>,
): Promise<Answer> {
  const agent = context.agents.get(input.url.origin);
  if (!agent) throw new Error(`no agent for ${input.url.origin}`);
  for (let tries = 0; ; tries++) {
    const answer = await call({ ...input, agent, timeoutMs: context.config.requestTimeoutMs });
    context.ledger.record(step, answer);
    if (!retryable(answer) || tries >= context.config.retries || context.isStopped()) {
      return answer;
    }
    const waitMs = Math.max(1_000, (answer.retryAfterS ?? 1) * 1000);
    await pause(waitMs * (0.75 + 0.5 * Math.random()));
  }
}

const classCodes = new Set(['1A', '2A', '3A', 'SL']);

/** Books for visitor `n` with the admission token; records the outcome. */
export async function bookingJourney(
  context: JourneyContext,
  n: number,
  token: string,
): Promise<void> {
  const { config, ledger } = context;
  const base = config.bookingUrls[n % config.bookingUrls.length] ?? '';
  const bearer = { authorization: `Bearer ${token}` };
  const url = (path: string) => new URL(path, base);
  const availability = await attempt(context, 'availability', {
    url: url(`/v1/journeys/${config.journeyId}/availability`),
    method: 'GET',
    headers: bearer,
  });
  if (availability.status !== 200) return ledger.setOutcome(n, 'gave_up');
  if (!classCodes.has(config.classCode)) throw new Error(`unknown class ${config.classCode}`);

  const held = await attempt(context, 'hold', {
    url: url('/v1/holds'),
    method: 'POST',
    headers: { ...bearer, 'idempotency-key': `surge-${n}-hold` },
    body: {
      journeyId: config.journeyId,
      classCode: config.classCode,
      quota: config.quota,
      berths: { count: 1, preferences: [null] },
    },
  });
  if (held.status === 409) {
    ledger.bump('soldOut');
    return ledger.setOutcome(n, 'sold_out');
  }
  if (held.status !== 201) return ledger.setOutcome(n, 'gave_up');
  ledger.bump('holds');

  const booked = await attempt(context, 'book', {
    url: url('/v1/bookings'),
    method: 'POST',
    headers: { ...bearer, 'idempotency-key': `surge-${n}-book` },
    body: {
      holdId: jsonBody(held).holdId,
      passengers: [
        {
          name: `Visitor ${n}`,
          age: 18 + (n % 60),
          gender: n % 2 ? 'F' : 'M',
          berthPreference: null,
        },
      ],
    },
  });
  if (booked.status !== 201) return ledger.setOutcome(n, 'gave_up');
  ledger.bookedMs[n] = Date.now();
  ledger.bump('booked');

  const paid = await attempt(context, 'pay', {
    url: url(`/v1/bookings/${String(jsonBody(booked).pnr)}/pay`),
    method: 'POST',
    headers: { ...bearer, 'idempotency-key': `surge-${n}-pay` },
  });
  if (paid.status !== 202) return ledger.setOutcome(n, 'booked_unpaid');
  ledger.bump('paid');
  ledger.setOutcome(n, 'paid');
}
