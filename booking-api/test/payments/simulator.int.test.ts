// The simulator end to end over real sockets: it POSTs to a loopback server
// that runs handlePaymentWebhook, as the booking API's route will.
import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Problem } from '@tatkal/waiting-room/service';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { auditBookings } from '../../src/bookings/index.ts';
import {
  type DeliveryReport,
  handlePaymentWebhook,
  PaymentSimulator,
  type PaymentSimulatorOptions,
  seededRandom,
  type WebhookOutcome,
} from '../../src/payments/index.ts';
import { fingerprint, openPaymentSale, type PaymentSale, webhookSecret } from './support.ts';

let sale: PaymentSale;
let server: Server;
let callbackUrl: string;

/** What the loopback webhook saw, and how to make it misbehave. */
const webhook = {
  outcomes: [] as WebhookOutcome[],
  refusals: [] as string[],
  /** Answer 500 without handling this many deliveries (the API was down). */
  failBeforeHandling: 0,
  /** Handle, then answer 500 for this many (the answer was lost on the way back). */
  failAfterHandling: 0,
};

beforeAll(async () => {
  sale = await openPaymentSale();
  server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const answer = (status: number, body: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
    };
    if (webhook.failBeforeHandling > 0) {
      webhook.failBeforeHandling--;
      return answer(500, { code: 'internal_error' });
    }
    try {
      const result = await handlePaymentWebhook(
        { db: sale.client.db },
        {
          rawBody: Buffer.concat(chunks),
          headers: req.headers,
          secrets: [webhookSecret],
          nowMs: Date.now(),
        },
      );
      webhook.outcomes.push(result.outcome);
      if (webhook.failAfterHandling > 0) {
        webhook.failAfterHandling--;
        return answer(500, { code: 'internal_error' });
      }
      answer(200, result);
    } catch (error) {
      if (!(error instanceof Problem)) return answer(500, { code: 'internal_error' });
      webhook.refusals.push(error.code);
      answer(error.status, { code: error.code });
    }
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  callbackUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1/payments/webhook`;
});
afterAll(async () => {
  server.close();
  await sale.close();
});

const simulators: PaymentSimulator[] = [];
function simulator(options: Partial<PaymentSimulatorOptions> = {}) {
  const reports: DeliveryReport[] = [];
  const sim = new PaymentSimulator({
    webhookSecret,
    delayMs: 5,
    retry: { attempts: 4, baseDelayMs: 10 },
    onDelivery: (report) => reports.push(report),
    ...options,
  });
  simulators.push(sim);
  return { sim, reports };
}
afterEach(async () => {
  await Promise.all(simulators.splice(0).map((sim) => sim.stop()));
  Object.assign(webhook, {
    outcomes: [],
    refusals: [],
    failBeforeHandling: 0,
    failAfterHandling: 0,
  });
});

const pay = (sim: PaymentSimulator, booking: Awaited<ReturnType<PaymentSale['book']>>) =>
  sim.startPayment({
    bookingId: booking.bookingId,
    pnr: booking.pnr,
    amountPaise: booking.amount.totalPaise,
    callbackUrl,
  });
const bookingStatus = async (bookingId: number) =>
  (
    await sale.client.pool.query<{ status: string }>('select status from bookings where id = $1', [
      bookingId,
    ])
  ).rows[0]?.status;

describe('PaymentSimulator → webhook → PostgreSQL', () => {
  it('confirms the booking on success', async () => {
    const { sim, reports } = simulator();
    const booking = await sale.book();
    const { paymentRef } = await pay(sim, booking);
    await sim.whenIdle();
    expect(webhook.outcomes).toEqual(['confirmed']);
    expect(reports).toMatchObject([{ paymentRef, delivered: true, attempts: 1, status: 200 }]);
    expect(await bookingStatus(booking.bookingId)).toBe('CONFIRMED');
    expect(await sale.paymentsOf(booking.bookingId)).toMatchObject([
      { provider: 'simulator', providerRef: paymentRef, status: 'SUCCEEDED' },
    ]);
  });

  it('records a failure and leaves the booking payable; the visitor pays again', async () => {
    const booking = await sale.book();
    const failing = simulator({ failureRate: 1 });
    const first = await pay(failing.sim, booking);
    await failing.sim.whenIdle();
    expect(webhook.outcomes).toEqual(['failed_recorded']);
    expect(await bookingStatus(booking.bookingId)).toBe('PENDING_PAYMENT');

    const working = simulator();
    const second = await pay(working.sim, booking);
    await working.sim.whenIdle();
    expect(webhook.outcomes).toEqual(['failed_recorded', 'confirmed']);
    expect(await bookingStatus(booking.bookingId)).toBe('CONFIRMED');
    expect(
      (await sale.paymentsOf(booking.bookingId)).map((p) => [p.providerRef, p.status]),
    ).toEqual([
      [first.paymentRef, 'FAILED'],
      [second.paymentRef, 'SUCCEEDED'],
    ]);
  });

  it('retries after a 500 and confirms exactly once', async () => {
    webhook.failBeforeHandling = 2;
    const { sim, reports } = simulator();
    const booking = await sale.book();
    await pay(sim, booking);
    await sim.whenIdle();
    expect(reports).toMatchObject([{ delivered: true, attempts: 3, status: 200 }]);
    expect(webhook.outcomes).toEqual(['confirmed']);
    expect(await sale.paymentsOf(booking.bookingId)).toHaveLength(1);
  });

  it('treats a redelivery after a lost answer as a duplicate that writes nothing', async () => {
    webhook.failAfterHandling = 1;
    const { sim, reports } = simulator();
    const booking = await sale.book();
    await pay(sim, booking);
    await sim.whenIdle();
    expect(webhook.outcomes).toEqual(['confirmed', 'duplicate']);
    expect(reports).toMatchObject([{ delivered: true, attempts: 2 }]);
    expect(await sale.paymentsOf(booking.bookingId)).toHaveLength(1);
    expect(await bookingStatus(booking.bookingId)).toBe('CONFIRMED');
  });

  it('settles many concurrent payments by the seeded outcomes', async () => {
    const { sim, reports } = simulator({ failureRate: 0.5, random: seededRandom(2026) });
    const bookings = [];
    for (let i = 0; i < 24; i++) bookings.push(await sale.book());
    await Promise.all(bookings.map((booking) => pay(sim, booking)));
    await sim.whenIdle();
    expect(reports.every((r) => r.delivered && r.attempts === 1)).toBe(true);
    const failedIds = new Set(
      reports.filter((r) => r.type === 'payment.failed').map((r) => r.bookingId),
    );
    expect(failedIds.size).toBeGreaterThan(0);
    expect(failedIds.size).toBeLessThan(24);
    for (const booking of bookings) {
      expect(await bookingStatus(booking.bookingId)).toBe(
        failedIds.has(booking.bookingId) ? 'PENDING_PAYMENT' : 'CONFIRMED',
      );
    }
    expect(await auditBookings(sale.client.db, sale.journeyId)).toEqual([]);
  });

  it('gets refused (401) with a wrong secret, retries, gives up and changes nothing', async () => {
    const booking = await sale.book();
    const before = await fingerprint(sale);
    const { sim, reports } = simulator({
      webhookSecret: 'whsec_wrong',
      retry: { attempts: 2, baseDelayMs: 5 },
    });
    await pay(sim, booking);
    await sim.whenIdle();
    expect(reports).toMatchObject([{ delivered: false, attempts: 2, status: 401 }]);
    expect(webhook.refusals).toEqual(['webhook_signature_invalid', 'webhook_signature_invalid']);
    expect(await fingerprint(sale)).toEqual(before);
  });

  it('stop() during the delay means no delivery reaches the API', async () => {
    const { sim, reports } = simulator({ delayMs: 5_000 });
    const booking = await sale.book();
    await pay(sim, booking);
    await sim.stop();
    expect(reports).toEqual([]);
    expect(webhook.outcomes).toEqual([]);
    expect(await bookingStatus(booking.bookingId)).toBe('PENDING_PAYMENT');
  });
});
