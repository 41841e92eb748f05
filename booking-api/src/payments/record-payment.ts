// Writing a webhook's payment: successes go through confirmPayment (the
// booking verb); failures are recorded here. A provider reference is unique, so
// every redelivery finds the row its first delivery wrote.
import { type Database, payments } from '@tatkal/drizzle';
import { and, eq, inArray } from 'drizzle-orm';
import { confirmPayment, type PaymentOutcome } from '../bookings/index.ts';
import { PaymentRefReused } from '../domain/index.ts';
import type { PaymentEvent } from './event.ts';

export interface EventToRecord {
  provider: string;
  event: PaymentEvent;
  /** The event's JSON document as received, kept with the payment for disputes. */
  document: unknown;
  nowMs: number;
}

// Rows that a later success for the same reference replaces: a provider may
// report a failed attempt and then succeed on the same payment (card retry).
const provisional = ['INITIATED', 'FAILED'] as const;
const maxSupersede = 3;

/**
 * Confirms the booking for a succeeded payment. confirmPayment treats any row
 * with this reference as a redelivery, so a provisional row for it (an earlier
 * failure) is removed and the confirmation run again; the loop ends because
 * only a failure redelivered in between can put such a row back.
 */
export async function recordSucceededPayment(
  db: Database,
  { provider, event, document, nowMs }: EventToRecord,
): Promise<PaymentOutcome> {
  const confirm = () =>
    confirmPayment(
      { db },
      {
        bookingId: event.bookingId,
        provider,
        paymentRef: event.paymentRef,
        amountPaise: event.amountPaise,
        nowMs,
        event: document,
      },
    );
  let outcome = await confirm();
  for (let attempt = 0; outcome.duplicate && attempt < maxSupersede; attempt++) {
    const dropped = await db
      .delete(payments)
      .where(
        and(
          eq(payments.provider, provider),
          eq(payments.providerRef, event.paymentRef),
          eq(payments.bookingId, event.bookingId),
          inArray(payments.status, [...provisional]),
        ),
      )
      .returning({ id: payments.id });
    if (dropped.length === 0) break;
    outcome = await confirm();
  }
  return outcome;
}

/**
 * Records a failed payment; the booking is left as it is (still payable until
 * it expires). Returns false when this reference was already recorded, in any
 * state: a failure reported after a success never demotes it.
 */
export async function recordFailedPayment(
  db: Database,
  { provider, event, document }: EventToRecord,
): Promise<boolean> {
  const ref = and(eq(payments.provider, provider), eq(payments.providerRef, event.paymentRef));
  for (let attempt = 0; attempt < maxSupersede; attempt++) {
    const inserted = await db
      .insert(payments)
      .values({
        bookingId: event.bookingId,
        provider,
        providerRef: event.paymentRef,
        amountPaise: event.amountPaise,
        status: 'FAILED',
        event: document,
      })
      .onConflictDoNothing({ target: [payments.provider, payments.providerRef] })
      .returning({ id: payments.id });
    if (inserted.length > 0) return true;
    const [seen] = await db.select().from(payments).where(ref);
    // Gone between the insert and the read: a success replaced it; try again.
    if (!seen) continue;
    if (seen.bookingId !== event.bookingId) throw new PaymentRefReused(provider, event.paymentRef);
    if (seen.status !== 'INITIATED') return false;
    const updated = await db
      .update(payments)
      .set({ status: 'FAILED', event: document })
      .where(and(eq(payments.id, seen.id), eq(payments.status, 'INITIATED')))
      .returning({ id: payments.id });
    if (updated.length > 0) return true;
  }
  return false;
}
