// A booking's payment attempts as the booker may see them: the provider's reference and what
// became of it, newest first. An attempt appears once its provider has answered (the webhook
// writes the row), so a page that started a payment waits for its reference to show up here.
import type { Database } from '@tatkal/drizzle';
import { type PaymentStatus, payments } from '@tatkal/drizzle/schema';
import { desc, eq } from 'drizzle-orm';

export interface PaymentAttempt {
  paymentRef: string;
  status: PaymentStatus;
  updatedAt: string;
}

const shownAttempts = 20;

export async function readBookingPayments(
  db: Database,
  bookingId: number,
): Promise<PaymentAttempt[]> {
  const rows = await db
    .select({
      paymentRef: payments.providerRef,
      status: payments.status,
      updatedAt: payments.updatedAt,
    })
    .from(payments)
    .where(eq(payments.bookingId, bookingId))
    .orderBy(desc(payments.id))
    .limit(shownAttempts);
  return rows.map((row) => ({ ...row, updatedAt: row.updatedAt.toISOString() }));
}
