// The webhook sender against a real local receiver: signed deliveries, retries with backoff on
// 5xx and timeouts up to the bound, no retry of a refusal, and every failure thrown.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  type BookingNotification,
  createWebhookNotifier,
  NotificationDeliveryFailed,
} from '../../src/jobs/index.ts';
import { type Receiver, receiverSecret, startReceiver } from './support/receiver.ts';

const notification: BookingNotification = {
  id: 41,
  event: 'confirmed',
  occurredAt: new Date().toISOString(),
  booking: {
    id: 7,
    pnr: '1234567890',
    journeyId: 1,
    classCode: '3A',
    quota: 'TQ',
    status: 'CONFIRMED',
    subject: 'visitor-1',
    waitlistNumber: null,
    expiresAt: null,
  },
};

let receiver: Receiver;
const waits: number[] = [];
const notifier = (overrides: Partial<Parameters<typeof createWebhookNotifier>[0]> = {}) =>
  createWebhookNotifier({
    url: receiver.url,
    secrets: [receiverSecret],
    attempts: 3,
    backoffMs: 20,
    timeoutMs: 500,
    sleep: async (ms) => {
      waits.push(ms);
      await new Promise((resolve) => setTimeout(resolve, ms));
    },
    ...overrides,
  });

beforeAll(async () => {
  receiver = await startReceiver();
});
afterAll(() => receiver.close());
beforeEach(() => {
  receiver.deliveries.length = 0;
  receiver.respond = () => 204;
  waits.length = 0;
});

describe('webhook notifier', () => {
  it('POSTs the notification as signed JSON the payment-webhook verifier accepts', async () => {
    await notifier().send(notification);
    expect(receiver.deliveries).toHaveLength(1);
    const [delivery] = receiver.deliveries;
    expect(delivery?.verified).toBe(true);
    expect(delivery?.eventId).toBe('41');
    expect(delivery?.type).toBe('booking.confirmed');
    expect(delivery?.body).toMatchObject({
      id: 41,
      type: 'booking.confirmed',
      booking: { pnr: '1234567890' },
    });
  });

  it('retries a 500 with growing backoff and succeeds when the receiver recovers', async () => {
    let calls = 0;
    receiver.respond = () => (++calls < 3 ? 500 : 200);
    await notifier().send(notification);
    expect(receiver.deliveries).toHaveLength(3);
    expect(waits).toHaveLength(2);
    // Each wait is between half and all of its ceiling (20 ms, then 40 ms).
    expect(waits[0]).toBeGreaterThanOrEqual(10);
    expect(waits[0]).toBeLessThanOrEqual(20);
    expect(waits[1]).toBeGreaterThanOrEqual(20);
    expect(waits[1]).toBeLessThanOrEqual(40);
  });

  it('gives up after the bound and says so', async () => {
    receiver.respond = () => 503;
    const error = await notifier()
      .send(notification)
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(NotificationDeliveryFailed);
    expect((error as NotificationDeliveryFailed).permanent).toBe(false);
    expect((error as NotificationDeliveryFailed).attempts).toBe(3);
    expect((error as Error).message).toContain('webhook answered 503');
    expect(receiver.deliveries).toHaveLength(3);
  });

  it('does not retry a refusal (4xx) and reports it as permanent', async () => {
    receiver.respond = () => 422;
    const error = await notifier()
      .send(notification)
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(NotificationDeliveryFailed);
    expect((error as NotificationDeliveryFailed).permanent).toBe(true);
    expect((error as Error).message).toContain('422');
    expect(receiver.deliveries).toHaveLength(1);
  });

  it('retries 429 like a 5xx', async () => {
    let calls = 0;
    receiver.respond = () => (++calls === 1 ? 429 : 204);
    await notifier().send(notification);
    expect(receiver.deliveries).toHaveLength(2);
  });

  it('times out a slow receiver per attempt and retries it', async () => {
    receiver.respond = () => new Promise((resolve) => setTimeout(() => resolve(204), 400));
    const error = await notifier({ timeoutMs: 100, attempts: 2 })
      .send(notification)
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(NotificationDeliveryFailed);
    expect((error as Error).message).toContain('timed out after 100 ms');
    expect(receiver.deliveries).toHaveLength(2);
  });

  it('a receiver with another secret refuses the signature, and the sender reports it', async () => {
    const wrong = await startReceiver(['some-other-secret-0123456789abcdef']);
    try {
      const error = await notifier({ url: wrong.url })
        .send(notification)
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(NotificationDeliveryFailed);
      expect((error as Error).message).toContain('401');
      expect(wrong.deliveries.map((d) => d.verified)).toEqual([false]);
    } finally {
      await wrong.close();
    }
  });

  it('reports an unreachable receiver after the bound', async () => {
    const gone = await startReceiver();
    const url = gone.url;
    await gone.close();
    const error = await notifier({ url })
      .send(notification)
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(NotificationDeliveryFailed);
    expect((error as Error).message).toMatch(/unreachable.*after 3 attempts/);
  });

  it('refuses a configuration it cannot sign or send with', () => {
    expect(() => createWebhookNotifier({ url: 'ftp://x', secrets: [receiverSecret] })).toThrow(
      /http/,
    );
    expect(() => createWebhookNotifier({ url: 'http://127.0.0.1/', secrets: [] })).toThrow(
      /secret/,
    );
    expect(() => createWebhookNotifier({ url: 'http://127.0.0.1/', secrets: ['short'] })).toThrow(
      /secret/,
    );
  });
});
