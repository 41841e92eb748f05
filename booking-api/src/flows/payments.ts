import { bookings } from '@tatkal/drizzle';
import { Problem } from '@tatkal/waiting-room/service';
import { consumeAdmissionToken } from '@tatkal/waiting-room/tokens';
import { eq } from 'drizzle-orm';
import { getBooking } from '../bookings/index.ts';
import type { BookingApiDeps } from '../deps.ts';
import { markSeatsSold } from '../inventory/index.ts';
import {
  handlePaymentWebhook,
  type PaymentWebhookResult,
  type WebhookHeaders,
} from '../payments/index.ts';

/** Starts paying a PENDING_PAYMENT booking; the provider answers later through the webhook. */
export async function startPayment(deps: BookingApiDeps, input: { pnr: string; subject: string }) {
  const booking = await getBooking({ db: deps.db.db }, input);
  if (booking.status !== 'PENDING_PAYMENT') {
    throw new Problem({
      status: 409,
      code: 'booking_not_payable',
      title: 'Booking cannot be paid',
      detail: `Booking ${booking.pnr} is ${booking.status}; only PENDING_PAYMENT bookings are paid.`,
      extensions: { bookingStatus: booking.status },
    });
  }
  const started = await deps.payments.startPayment({
    bookingId: booking.bookingId,
    pnr: booking.pnr,
    amountPaise: booking.amount.totalPaise,
    callbackUrl: deps.settings.webhookUrl(),
  });
  return { ...started, pnr: booking.pnr, amountPaise: booking.amount.totalPaise };
}

/** A confirmed payment uses up the admission; a late payment that took seats back sells them in Redis. */
async function afterConfirmation(
  deps: BookingApiDeps,
  result: PaymentWebhookResult,
): Promise<void> {
  const [row] = await deps.db.db
    .select({ roomId: bookings.roomId, tokenJti: bookings.tokenJti, journeyId: bookings.journeyId })
    .from(bookings)
    .where(eq(bookings.id, result.bookingId));
  if (!row) return;
  if (row.roomId && row.tokenJti) {
    // Kept a day past now: the token is long expired by then, and the entry only needs to outlive it.
    const exp = Math.floor(deps.now() / 1000) + 86_400;
    await consumeAdmissionToken(deps.redis, deps.prefix, {
      room: row.roomId,
      jti: row.tokenJti,
      exp,
    });
  }
  const retaken = result.payment?.reacquiredSeatIds ?? [];
  if (retaken.length > 0) await markSeatsSold(deps.redis, deps.prefix, row.journeyId, retaken);
  if (result.outcome === 'confirmed') deps.metrics.bookings.inc({ status: 'CONFIRMED' });
}

/** The signed provider callback: verified over the raw body, idempotent, then its side effects. */
export function receivePaymentWebhook(
  deps: BookingApiDeps,
  input: { rawBody: ArrayBuffer; headers: WebhookHeaders },
): Promise<PaymentWebhookResult> {
  return handlePaymentWebhook(
    { db: deps.db.db, onConfirmed: (result) => afterConfirmation(deps, result) },
    {
      rawBody: new Uint8Array(input.rawBody),
      headers: input.headers,
      secrets: deps.settings.webhookSecrets,
      nowMs: deps.now(),
    },
  );
}
