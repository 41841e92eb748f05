// Hostile payment webhook deliveries: signatures, timestamps, bodies; and replays.
import { signWebhook } from '../../../src/payments/index.ts';
import type { BadCase, Fixtures, Fx } from './case.ts';

const nowSec = () => Math.floor(Date.now() / 1000);

/** A payment event for the pending booking, deterministic per case so it can be signed. */
function paymentEvent(f: Fixtures, id: string, overrides: Record<string, unknown> = {}) {
  return JSON.stringify({
    id: `evt-${id}`,
    type: 'payment.succeeded',
    paymentRef: `ref-${id}`,
    bookingId: f.pendingBookingId,
    pnr: f.pendingPnr,
    amountPaise: f.pendingAmountPaise,
    occurredAt: '2026-01-15T04:30:00.000Z',
    ...overrides,
  });
}

function webhook(
  name: string,
  raw: Fx<string | Uint8Array>,
  signature: ((body: string | Uint8Array, f: Fixtures) => string) | null,
  status: number,
  code: string,
): BadCase {
  return {
    name: `POST /v1/payments/webhook ${name}`,
    method: 'POST',
    path: () => '/v1/payments/webhook',
    token: () => null,
    key: false,
    raw,
    headers: (f) => ({
      'content-type': 'application/json',
      ...(signature ? { 'tatkal-signature': signature(raw(f), f) } : {}),
    }),
    status,
    code,
  };
}

const signedNow = (body: string | Uint8Array, f: Fixtures) =>
  signWebhook(f.webhookSecret, body, nowSec());

export const webhookCases: BadCase[] = [
  webhook(
    'without a signature',
    (f) => paymentEvent(f, 'a'),
    null,
    401,
    'webhook_signature_missing',
  ),
  webhook(
    'with a signature that is not t=,v1=',
    (f) => paymentEvent(f, 'b'),
    () => 'garbage',
    400,
    'webhook_signature_malformed',
  ),
  webhook(
    'with only t=',
    (f) => paymentEvent(f, 'c'),
    () => `t=${nowSec()}`,
    400,
    'webhook_signature_malformed',
  ),
  webhook(
    'with a v1= that is not hex',
    (f) => paymentEvent(f, 'd'),
    () => `t=${nowSec()},v1=${'z'.repeat(64)}`,
    400,
    'webhook_signature_malformed',
  ),
  webhook(
    'with a 3,000-character signature header',
    (f) => paymentEvent(f, 'e'),
    (body, f) => `${signedNow(body, f)},${'x'.repeat(3_000)}`,
    400,
    'webhook_signature_malformed',
  ),
  webhook(
    'with 17 signature entries',
    (f) => paymentEvent(f, 'f'),
    (body, f) => `${signedNow(body, f)}${`,v0=${'0'.repeat(64)}`.repeat(16)}`,
    400,
    'webhook_signature_malformed',
  ),
  webhook(
    'signed with another secret',
    (f) => paymentEvent(f, 'g'),
    (body) => signWebhook('not-the-webhook-secret-but-just-as-long', body, nowSec()),
    401,
    'webhook_signature_invalid',
  ),
  webhook(
    'signed ten minutes ago',
    (f) => paymentEvent(f, 'h'),
    (body, f) => signWebhook(f.webhookSecret, body, nowSec() - 600),
    401,
    'webhook_timestamp_stale',
  ),
  webhook(
    'signed ten minutes ahead',
    (f) => paymentEvent(f, 'i'),
    (body, f) => signWebhook(f.webhookSecret, body, nowSec() + 600),
    401,
    'webhook_timestamp_stale',
  ),
  webhook(
    'with a body changed after signing',
    (f) => paymentEvent(f, 'j', { amountPaise: 1 }),
    (_body, f) => signedNow(paymentEvent(f, 'j'), f),
    401,
    'webhook_signature_invalid',
  ),
  webhook(
    'signed, with a body that is not JSON',
    () => '{"id":',
    signedNow,
    422,
    'webhook_event_invalid',
  ),
  webhook(
    'signed, with a body that is not UTF-8',
    () => new Uint8Array([0x7b, 0xff, 0xfe, 0x7d]),
    signedNow,
    422,
    'webhook_event_invalid',
  ),
  webhook('signed, with {}', () => '{}', signedNow, 422, 'webhook_event_invalid'),
  webhook(
    'signed, with an unknown event type',
    (f) => paymentEvent(f, 'k', { type: 'payment.refunded' }),
    signedNow,
    422,
    'webhook_event_invalid',
  ),
  webhook(
    'signed, for a booking that does not exist',
    (f) => paymentEvent(f, 'l', { bookingId: 2_147_483_647 }),
    signedNow,
    404,
    'booking_not_found',
  ),
  webhook(
    "signed, naming another booking's PNR",
    (f) => paymentEvent(f, 'm', { pnr: f.confirmedPnr }),
    signedNow,
    422,
    'payment_event_mismatch',
  ),
  webhook(
    'signed, for the wrong amount',
    (f) => paymentEvent(f, 'n', { amountPaise: f.pendingAmountPaise - 1 }),
    signedNow,
    422,
    'payment_amount_mismatch',
  ),
  webhook(
    'signed, with a 9 KB body',
    (f) => paymentEvent(f, 'o', { pad: 'x'.repeat(9_000) }),
    signedNow,
    413,
    'body_too_large',
  ),
  // Not refused: a redelivery is answered as a duplicate, and changes nothing either.
  webhook(
    'replaying a delivered event, signed again',
    (f) => f.deliveredEvent,
    signedNow,
    200,
    'duplicate',
  ),
  webhook(
    'replaying a delivered event as it was',
    (f) => f.deliveredEvent,
    (_body, f) => f.deliveredSignature,
    200,
    'duplicate',
  ),
];
