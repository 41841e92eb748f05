// Notifications POSTed as JSON to a webhook, signed the way the payment webhook is
// (`Tatkal-Signature: t=<unix seconds>,v1=<HMAC-SHA256 hex of "<t>.<body>">`, one v1 per
// secret during a rotation), so a receiver verifies them with the same code. Each delivery
// is retried a bounded number of times with exponential backoff and jitter; every attempt has
// a timeout. A 4xx other than 408/425/429 is the receiver refusing the request: it is not
// retried here. Whatever fails is thrown, never swallowed.
import { signatureHeader, signWebhook } from '@tatkal/booking-api/payments';
import {
  type BookingNotification,
  eventType,
  NotificationDeliveryFailed,
  type Notifier,
} from './notifier.ts';

export interface WebhookNotifierOptions {
  url: string;
  /** Signing secrets, newest first; every one signs, so receivers can rotate. */
  secrets: readonly string[];
  /** Per attempt (default 5 s). */
  timeoutMs?: number;
  /** Attempts per delivery, the first included (default 4). */
  attempts?: number;
  /** Backoff before the second attempt; doubles each time (default 250 ms). */
  backoffMs?: number;
  maxBackoffMs?: number;
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
}

export const eventIdHeader = 'tatkal-event-id';
export const eventTypeHeader = 'tatkal-event';

const retryableStatuses = new Set([408, 425, 429]);
const sleepFor = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export function createWebhookNotifier(options: WebhookNotifierOptions): Notifier {
  const url = new URL(options.url);
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new RangeError(`webhook URL must be http(s), got ${url.protocol}`);
  }
  if (options.secrets.length === 0 || options.secrets.some((secret) => secret.length < 16)) {
    throw new RangeError('webhook needs at least one signing secret of 16 or more characters');
  }
  const timeoutMs = options.timeoutMs ?? 5_000;
  const attempts = options.attempts ?? 4;
  if (!Number.isInteger(attempts) || attempts < 1) throw new RangeError('attempts must be >= 1');
  const backoffMs = options.backoffMs ?? 250;
  const maxBackoffMs = options.maxBackoffMs ?? 5_000;
  const now = options.now ?? Date.now;
  const sleep = options.sleep ?? sleepFor;

  async function attempt(notification: BookingNotification, body: string): Promise<string | null> {
    const response = await fetch(url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        [signatureHeader]: signWebhook(options.secrets, body, now() / 1000),
        [eventIdHeader]: String(notification.id),
        [eventTypeHeader]: eventType(notification.event),
      },
      body,
      // A redirect would carry the signed body somewhere nobody configured.
      redirect: 'manual',
      signal: AbortSignal.timeout(timeoutMs),
    });
    // Read the body so the connection is reused; its content is only kept for the error.
    const text = (await response.text()).slice(0, 200);
    if (response.status >= 200 && response.status < 300) return null;
    const reason = `webhook answered ${response.status}${text ? `: ${text}` : ''}`;
    if (response.status >= 500 || retryableStatuses.has(response.status)) return reason;
    throw new NotificationDeliveryFailed(reason, { permanent: true, attempts: 1 });
  }

  return {
    name: 'webhook',
    async send(notification) {
      const body = JSON.stringify({ ...notification, type: eventType(notification.event) });
      let lastError = '';
      let lastCause: unknown;
      for (let i = 1; i <= attempts; i++) {
        try {
          const failure = await attempt(notification, body);
          if (failure === null) return;
          lastError = failure;
          lastCause = undefined;
        } catch (error) {
          if (error instanceof NotificationDeliveryFailed) {
            throw new NotificationDeliveryFailed(error.message, { permanent: true, attempts: i });
          }
          const name = (error as Error).name;
          lastError =
            name === 'TimeoutError'
              ? `webhook timed out after ${timeoutMs} ms`
              : `webhook unreachable: ${(error as Error).message}`;
          lastCause = error;
        }
        if (i < attempts) {
          const ceiling = Math.min(maxBackoffMs, backoffMs * 2 ** (i - 1));
          // Half fixed, half random: spread retries from many workers without waiting zero.
          await sleep(ceiling / 2 + Math.random() * (ceiling / 2));
        }
      }
      throw new NotificationDeliveryFailed(`${lastError} (after ${attempts} attempts)`, {
        permanent: false,
        attempts,
        cause: lastCause,
      });
    },
  };
}
