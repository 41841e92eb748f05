// The payment simulator against a fake fetch: outcomes drawn from the seeded
// random at the configured rate, signed deliveries, retries with backoff, and
// stop() cancelling what is pending. Real sockets are in simulator.int.test.ts.
import { afterEach, describe, expect, it } from 'vitest';
import {
  type DeliveryReport,
  type PaymentEvent,
  PaymentSimulator,
  type PaymentSimulatorOptions,
  paymentEventSchema,
  seededRandom,
  verifyWebhookSignature,
} from '../../src/payments/index.ts';

const secret = 'whsec_sim';
const callbackUrl = 'http://127.0.0.1:9/v1/payments/webhook';
const payment = (bookingId = 1) => ({
  bookingId,
  pnr: '4123456789',
  amountPaise: 150_000,
  callbackUrl,
});

interface Call {
  url: string;
  headers: Headers;
  body: string;
  at: number;
}

/** A fetch that answers from `script` (a status, or 'network' to throw), then 200. */
function fakeFetch(script: Array<number | 'network'> = []) {
  const calls: Call[] = [];
  const started = performance.now();
  const fetch: typeof globalThis.fetch = async (input, init) => {
    calls.push({
      url: String(input),
      headers: new Headers(init?.headers),
      body: String(init?.body),
      at: performance.now() - started,
    });
    const next = script.shift() ?? 200;
    if (next === 'network') throw new TypeError('fetch failed: ECONNREFUSED');
    return new Response(next === 200 ? '{"ok":true}' : 'nope', { status: next });
  };
  return { fetch, calls, events: () => calls.map((c) => JSON.parse(c.body) as PaymentEvent) };
}

const running: PaymentSimulator[] = [];
function simulator(
  options: Partial<PaymentSimulatorOptions> & Pick<PaymentSimulatorOptions, 'fetch'>,
) {
  const reports: DeliveryReport[] = [];
  const sim = new PaymentSimulator({
    webhookSecret: secret,
    delayMs: 0,
    retry: { attempts: 4, baseDelayMs: 5, maxDelayMs: 20 },
    onDelivery: (report) => reports.push(report),
    ...options,
  });
  running.push(sim);
  return { sim, reports };
}
afterEach(async () => {
  await Promise.all(running.splice(0).map((sim) => sim.stop()));
});

describe('PaymentSimulator', () => {
  it('returns at once and delivers a signed, valid event after the delay', async () => {
    const fake = fakeFetch();
    const { sim, reports } = simulator({ fetch: fake.fetch, delayMs: 200 });
    const started = performance.now();
    const { provider, paymentRef } = await sim.startPayment(payment(7));
    // Resolved long before the delivery is due: the caller never waits for the provider.
    expect(performance.now() - started).toBeLessThan(150);
    expect(fake.calls).toHaveLength(0);
    expect(sim.pending).toBe(1);
    await sim.whenIdle();

    expect(provider).toBe('simulator');
    expect(fake.calls).toHaveLength(1);
    const [call] = fake.calls;
    expect(call?.at).toBeGreaterThanOrEqual(195);
    expect(call?.url).toBe(callbackUrl);
    expect(call?.headers.get('content-type')).toBe('application/json');
    const event = paymentEventSchema.parse(JSON.parse(call?.body ?? ''));
    expect(event).toMatchObject({
      type: 'payment.succeeded',
      paymentRef,
      bookingId: 7,
      pnr: '4123456789',
      amountPaise: 150_000,
    });
    const verified = verifyWebhookSignature({
      rawBody: call?.body ?? '',
      header: call?.headers.get('tatkal-signature'),
      secrets: [secret],
      nowSec: Date.now() / 1000,
    });
    expect(verified.ok).toBe(true);
    expect(reports).toEqual([
      {
        paymentRef,
        bookingId: 7,
        type: 'payment.succeeded',
        delivered: true,
        attempts: 1,
        status: 200,
      },
    ]);
  });

  it('fails payments at the configured rate, drawn from the seeded random', async () => {
    const n = 2_000;
    const rate = 0.3;
    const runOnce = async (seed: number) => {
      const fake = fakeFetch();
      const { sim } = simulator({
        fetch: fake.fetch,
        failureRate: rate,
        random: seededRandom(seed),
      });
      const refs: string[] = [];
      for (let i = 0; i < n; i++) refs.push((await sim.startPayment(payment(i + 1))).paymentRef);
      await sim.whenIdle();
      const byBooking = new Map(fake.events().map((e) => [e.bookingId, e.type]));
      return Array.from({ length: n }, (_, i) => byBooking.get(i + 1));
    };
    const first = await runOnce(42);
    const failed = first.filter((type) => type === 'payment.failed').length;
    // Binomial(2000, 0.3): sd ≈ 20.5; 4.5 sd either side.
    expect(failed).toBeGreaterThan(n * rate - 92);
    expect(failed).toBeLessThan(n * rate + 92);
    expect(first.every((type) => type !== undefined)).toBe(true);
    // The same seed gives the same outcomes in the same order; another seed does not.
    expect(await runOnce(42)).toEqual(first);
    expect(await runOnce(43)).not.toEqual(first);
  });

  it.each([
    [0, 'payment.succeeded'],
    [1, 'payment.failed'],
  ] as const)('failureRate %d gives only %s', async (failureRate, type) => {
    const fake = fakeFetch();
    const { sim } = simulator({ fetch: fake.fetch, failureRate, random: seededRandom(1) });
    for (let i = 0; i < 200; i++) await sim.startPayment(payment(i + 1));
    await sim.whenIdle();
    expect(new Set(fake.events().map((e) => e.type))).toEqual(new Set([type]));
  });

  it('redelivers the same event after a 500 and a network error, each signed afresh', async () => {
    const fake = fakeFetch([500, 'network', 200]);
    let clock = 1_780_000_000_000;
    const { sim, reports } = simulator({ fetch: fake.fetch, now: () => (clock += 1_000) });
    await sim.startPayment(payment());
    await sim.whenIdle();
    expect(fake.calls).toHaveLength(3);
    expect(new Set(fake.calls.map((c) => c.body)).size).toBe(1);
    expect(new Set(fake.calls.map((c) => c.headers.get('tatkal-signature'))).size).toBe(3);
    // Backoff 5 ms then 10 ms.
    const [a, b, c] = fake.calls.map((call) => call.at);
    expect((b ?? 0) - (a ?? 0)).toBeGreaterThanOrEqual(4);
    expect((c ?? 0) - (b ?? 0)).toBeGreaterThanOrEqual(9);
    expect(reports).toMatchObject([{ delivered: true, attempts: 3, status: 200 }]);
  });

  it('gives up after the configured attempts and reports the last answer', async () => {
    const fake = fakeFetch([503, 503, 503, 503, 200]);
    const { sim, reports } = simulator({ fetch: fake.fetch });
    await sim.startPayment(payment());
    await sim.whenIdle();
    expect(fake.calls).toHaveLength(4);
    expect(reports).toMatchObject([{ delivered: false, attempts: 4, status: 503 }]);
  });

  it('retries a 4xx too: a provider cannot tell our bug from a transient refusal', async () => {
    const fake = fakeFetch([401, 200]);
    const { sim, reports } = simulator({ fetch: fake.fetch });
    await sim.startPayment(payment());
    await sim.whenIdle();
    expect(reports).toMatchObject([{ delivered: true, attempts: 2 }]);
  });

  it('stop() cancels pending deliveries and refuses new payments', async () => {
    const fake = fakeFetch([500]);
    const { sim, reports } = simulator({
      fetch: fake.fetch,
      delayMs: 10_000,
      retry: { attempts: 3, baseDelayMs: 10_000 },
    });
    await sim.startPayment(payment(1));
    await sim.startPayment(payment(2));
    expect(sim.pending).toBe(2);
    const started = performance.now();
    await sim.stop();
    expect(performance.now() - started).toBeLessThan(1_000);
    expect(sim.pending).toBe(0);
    expect(fake.calls).toHaveLength(0);
    expect(reports).toEqual([]);
    await expect(sim.startPayment(payment(3))).rejects.toThrow(/stopped/);
  });

  it('stop() also cancels a delivery waiting to retry', async () => {
    const fake = fakeFetch([500]);
    const { sim } = simulator({ fetch: fake.fetch, retry: { attempts: 3, baseDelayMs: 10_000 } });
    await sim.startPayment(payment());
    while (fake.calls.length === 0) await new Promise((resolve) => setTimeout(resolve, 1));
    await sim.stop();
    expect(fake.calls).toHaveLength(1);
  });

  it('signs with every configured secret while rotating', async () => {
    const fake = fakeFetch();
    const { sim } = simulator({ fetch: fake.fetch, webhookSecret: ['whsec_new', 'whsec_old'] });
    await sim.startPayment(payment());
    await sim.whenIdle();
    const [call] = fake.calls;
    for (const accepted of [['whsec_new'], ['whsec_old']]) {
      const result = verifyWebhookSignature({
        rawBody: call?.body ?? '',
        header: call?.headers.get('tatkal-signature'),
        secrets: accepted,
        nowSec: Date.now() / 1000,
      });
      expect(result.ok).toBe(true);
    }
  });

  it.each([
    ['a zero amount', { amountPaise: 0 }],
    ['a short PNR', { pnr: '123' }],
    ['a non-HTTP callback', { callbackUrl: 'file:///etc/passwd' }],
    ['a callback that is not a URL', { callbackUrl: 'webhook' }],
  ])('refuses %s', async (_name, override) => {
    const fake = fakeFetch();
    const { sim } = simulator({ fetch: fake.fetch });
    await expect(sim.startPayment({ ...payment(), ...override })).rejects.toThrow();
    expect(sim.pending).toBe(0);
  });

  it('refuses a failure rate outside [0, 1] and an empty secret', () => {
    const fetch = fakeFetch().fetch;
    expect(
      () => new PaymentSimulator({ webhookSecret: secret, failureRate: 1.5, fetch }),
    ).toThrow();
    expect(
      () => new PaymentSimulator({ webhookSecret: secret, failureRate: Number.NaN, fetch }),
    ).toThrow();
    expect(() => new PaymentSimulator({ webhookSecret: '', fetch })).toThrow();
  });
});
