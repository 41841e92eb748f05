// A payment provider for the demo and the load tests. startPayment returns at
// once; after `delayMs` the outcome (failure with probability `failureRate`) is
// POSTed to the callback as a signed event, and redelivered with exponential
// backoff on a non-2xx answer or a network error, as real providers do.
import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { z } from 'zod';
import type { PaymentEvent, PaymentEventType } from './event.ts';
import type { PaymentProvider, PaymentStarted, StartPaymentInput } from './provider.ts';
import { signatureHeader, signWebhook } from './signature.ts';

export interface PaymentSimulatorOptions {
  /** Signs every delivery; give [new, old] to sign with both while rotating. */
  webhookSecret: string | readonly string[];
  /** Time from start to the first delivery. Default 500 ms. */
  delayMs?: number;
  /** Probability in [0, 1] that a payment fails. Default 0. */
  failureRate?: number;
  /** Uniform in [0, 1); decides success or failure, one draw per payment in start order. */
  random?: () => number;
  /** Deliveries per event (first included), and the backoff between them: base·2ⁿ, capped. */
  retry?: { attempts?: number; baseDelayMs?: number; maxDelayMs?: number };
  /** Per delivery attempt. Default 5 s. */
  requestTimeoutMs?: number;
  fetch?: typeof fetch;
  /** Clock for occurredAt and the signature's timestamp, in ms. */
  now?: () => number;
  /** Called once per event when its deliveries end, delivered or given up (not when stopped). */
  onDelivery?: (report: DeliveryReport) => void;
}

export interface DeliveryReport {
  paymentRef: string;
  bookingId: number;
  type: PaymentEventType;
  delivered: boolean;
  attempts: number;
  /** The last answer's status, when there was one. */
  status?: number;
  /** The last network error, when the last attempt had no answer. */
  error?: string;
}

const startSchema = z.object({
  bookingId: z.number().int().positive(),
  pnr: z.string().regex(/^[0-9]{10}$/),
  amountPaise: z.number().int().positive(),
  callbackUrl: z.url({ protocol: /^https?$/ }),
});

/** mulberry32: a small seeded PRNG, so a run's outcomes can be replayed from its seed. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

export class PaymentSimulator implements PaymentProvider {
  readonly provider = 'simulator';
  readonly #secrets: readonly string[];
  readonly #delayMs: number;
  readonly #failureRate: number;
  readonly #random: () => number;
  readonly #attempts: number;
  readonly #baseDelayMs: number;
  readonly #maxDelayMs: number;
  readonly #requestTimeoutMs: number;
  readonly #fetch: typeof fetch;
  readonly #now: () => number;
  readonly #onDelivery: ((report: DeliveryReport) => void) | undefined;
  readonly #stopping = new AbortController();
  readonly #deliveries = new Set<Promise<void>>();

  constructor(options: PaymentSimulatorOptions) {
    const secrets =
      typeof options.webhookSecret === 'string' ? [options.webhookSecret] : options.webhookSecret;
    if (secrets.length === 0 || secrets.some((s) => s.length === 0)) {
      throw new Error('the payment simulator needs a non-empty webhook secret');
    }
    const failureRate = options.failureRate ?? 0;
    if (!(failureRate >= 0 && failureRate <= 1)) throw new Error('failureRate must be in [0, 1]');
    this.#secrets = [...secrets];
    this.#delayMs = Math.max(0, options.delayMs ?? 500);
    this.#failureRate = failureRate;
    this.#random = options.random ?? Math.random;
    this.#attempts = Math.max(1, options.retry?.attempts ?? 5);
    this.#baseDelayMs = Math.max(0, options.retry?.baseDelayMs ?? 200);
    this.#maxDelayMs = Math.max(this.#baseDelayMs, options.retry?.maxDelayMs ?? 5_000);
    this.#requestTimeoutMs = options.requestTimeoutMs ?? 5_000;
    this.#fetch = options.fetch ?? fetch;
    this.#now = options.now ?? Date.now;
    this.#onDelivery = options.onDelivery;
  }

  /** Events scheduled or being delivered. */
  get pending(): number {
    return this.#deliveries.size;
  }

  async startPayment(input: StartPaymentInput): Promise<PaymentStarted> {
    if (this.#stopping.signal.aborted) throw new Error('the payment simulator is stopped');
    const valid = startSchema.parse(input);
    const paymentRef = `sim_${randomUUID().replaceAll('-', '')}`;
    const type: PaymentEventType =
      this.#random() < this.#failureRate ? 'payment.failed' : 'payment.succeeded';
    const delivery = this.#deliver(valid, paymentRef, type).finally(() => {
      this.#deliveries.delete(delivery);
    });
    this.#deliveries.add(delivery);
    return { provider: this.provider, paymentRef };
  }

  /** Resolves when every event started so far has been delivered or given up. */
  async whenIdle(): Promise<void> {
    while (this.#deliveries.size > 0) await Promise.allSettled([...this.#deliveries]);
  }

  /** Cancels every pending delivery (graceful shutdown); later starts are refused. */
  async stop(): Promise<void> {
    this.#stopping.abort();
    await this.whenIdle();
  }

  async #deliver(input: StartPaymentInput, paymentRef: string, type: PaymentEventType) {
    const signal = this.#stopping.signal;
    const report: DeliveryReport = {
      paymentRef,
      bookingId: input.bookingId,
      type,
      delivered: false,
      attempts: 0,
    };
    try {
      await sleep(this.#delayMs, undefined, { signal });
      const event: PaymentEvent = {
        id: `evt_${randomUUID().replaceAll('-', '')}`,
        type,
        paymentRef,
        bookingId: input.bookingId,
        pnr: input.pnr,
        amountPaise: input.amountPaise,
        occurredAt: new Date(this.#now()).toISOString(),
      };
      const body = JSON.stringify(event);
      while (report.attempts < this.#attempts) {
        if (report.attempts > 0)
          await sleep(this.#backoffMs(report.attempts), undefined, { signal });
        report.attempts++;
        if (await this.#post(input.callbackUrl, body, report, signal)) {
          report.delivered = true;
          break;
        }
      }
    } catch (error) {
      if (signal.aborted) return;
      report.error = String(error);
    }
    this.#onDelivery?.(report);
  }

  /** One attempt; true on a 2xx answer. Each attempt is signed afresh, with its own timestamp. */
  async #post(url: string, body: string, report: DeliveryReport, signal: AbortSignal) {
    try {
      const response = await this.#fetch(url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'user-agent': 'tatkal-payment-simulator',
          [signatureHeader]: signWebhook(this.#secrets, body, this.#now() / 1000),
        },
        body,
        signal: AbortSignal.any([signal, AbortSignal.timeout(this.#requestTimeoutMs)]),
      });
      await response.arrayBuffer().catch(() => undefined);
      report.status = response.status;
      delete report.error;
      return response.ok;
    } catch (error) {
      if (signal.aborted) throw error;
      delete report.status;
      report.error = error instanceof Error ? error.message : String(error);
      return false;
    }
  }

  #backoffMs(failedAttempts: number): number {
    return Math.min(this.#maxDelayMs, this.#baseDelayMs * 2 ** (failedAttempts - 1));
  }
}
