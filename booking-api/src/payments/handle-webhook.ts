// The payment webhook's verb, transport-free: the route hands it the raw body
// and headers. Signature first, over the exact bytes received; then the event's
// shape; then the booking, idempotently per provider reference.
import { bookings, type Database } from '@tatkal/drizzle';
import { eq } from 'drizzle-orm';
import type { PaymentOutcome } from '../bookings/index.ts';
import { BookingNotFound } from '../domain/index.ts';
import { type PaymentEventType, parsePaymentEvent } from './event.ts';
import { PaymentEventMismatch } from './problems.ts';
import { recordFailedPayment, recordSucceededPayment } from './record-payment.ts';
import { type RawBody, signatureHeader, verifyWebhookSignature } from './signature.ts';

const providerName = /^[a-z][a-z0-9_-]{1,31}$/;

export type WebhookOutcome =
  /** This delivery confirmed the booking. */
  | 'confirmed'
  /** The booking was already confirmed by another payment; this one is recorded for refund. */
  | 'already_confirmed'
  /** Paid too late (seats gone) or for a cancelled booking: the money goes back. */
  | 'refund_pending'
  /** A failed payment was recorded; the booking can still be paid until it expires. */
  | 'failed_recorded'
  /** This payment reference was seen before; nothing changed. */
  | 'duplicate';

export interface PaymentWebhookResult {
  outcome: WebhookOutcome;
  eventId: string;
  type: PaymentEventType;
  bookingId: number;
  pnr: string;
  paymentRef: string;
  /** confirmPayment's answer, for payment.succeeded. */
  payment?: PaymentOutcome;
}

export interface PaymentWebhookDeps {
  db: Database;
  /**
   * Runs whenever a succeeded event leaves the booking CONFIRMED, redeliveries
   * included, so side effects (consume the token, mark seats sold in Redis) that
   * a crash skipped are redone by the provider's retry. Must be idempotent; if
   * it throws, the delivery fails and the provider retries.
   */
  onConfirmed?: (result: PaymentWebhookResult) => Promise<void>;
}

export type WebhookHeaders = Headers | Record<string, string | readonly string[] | undefined>;

export interface PaymentWebhookInput {
  rawBody: RawBody;
  headers: WebhookHeaders;
  /** Accepted signing secrets, newest first (two while rotating). */
  secrets: readonly string[];
  nowMs: number;
  /** Whose webhook this is; the provider name stored with the payment. */
  provider?: string;
  toleranceSec?: number;
}

function headerValue(headers: WebhookHeaders, name: string): string | undefined {
  if (headers instanceof Headers) return headers.get(name) ?? undefined;
  for (const [key, value] of Object.entries(headers)) {
    if (key.toLowerCase() !== name || value === undefined) continue;
    return typeof value === 'string' ? value : value.join(',');
  }
  return undefined;
}

export async function handlePaymentWebhook(
  deps: PaymentWebhookDeps,
  input: PaymentWebhookInput,
): Promise<PaymentWebhookResult> {
  const provider = input.provider ?? 'simulator';
  if (!providerName.test(provider)) throw new Error(`invalid payment provider name ${provider}`);
  const verification = verifyWebhookSignature({
    rawBody: input.rawBody,
    header: headerValue(input.headers, signatureHeader),
    secrets: input.secrets,
    nowSec: Math.floor(input.nowMs / 1000),
    ...(input.toleranceSec === undefined ? {} : { toleranceSec: input.toleranceSec }),
  });
  if (!verification.ok) throw verification.refusal;
  const { event, document } = parsePaymentEvent(input.rawBody);

  const [booking] = await deps.db
    .select({ pnr: bookings.pnr })
    .from(bookings)
    .where(eq(bookings.id, event.bookingId));
  if (!booking) throw new BookingNotFound(`booking ${event.bookingId}`);
  if (booking.pnr !== event.pnr) throw new PaymentEventMismatch(event.bookingId, event.pnr);

  const recording = {
    provider,
    event,
    document,
    nowMs: input.nowMs,
  };
  const base = {
    eventId: event.id,
    type: event.type,
    bookingId: event.bookingId,
    pnr: event.pnr,
    paymentRef: event.paymentRef,
  };
  if (event.type === 'payment.failed') {
    const recorded = await recordFailedPayment(deps.db, recording);
    return { ...base, outcome: recorded ? 'failed_recorded' : 'duplicate' };
  }
  const payment = await recordSucceededPayment(deps.db, recording);
  const result: PaymentWebhookResult = { ...base, outcome: outcomeOf(payment), payment };
  if (payment.status === 'CONFIRMED') await deps.onConfirmed?.(result);
  return result;
}

function outcomeOf(payment: PaymentOutcome): WebhookOutcome {
  if (payment.duplicate) return 'duplicate';
  if (!payment.needsRefund) return 'confirmed';
  return payment.status === 'CONFIRMED' ? 'already_confirmed' : 'refund_pending';
}
