// A booker gives a PNR back. Seats return to sale at once; money comes back
// only for general quota: confirmed Tatkal and Premium Tatkal are not refundable.
import { bookings, payments, seatAssignments } from '@tatkal/drizzle';
import { and, eq, inArray } from 'drizzle-orm';
import { z } from 'zod';
import { BookingNotFound, BookingStateConflict, NotYourBooking } from '../domain/index.ts';
import type { BookingDeps } from './create-booking.ts';
import { parseInput } from './validation.ts';

const cancelSchema = z.object({
  pnr: z.string().regex(/^[0-9]{10}$/, 'must be 10 digits'),
  subject: z.string().min(1).max(200),
  nowMs: z.number().int().nonnegative(),
});

export interface CancelOutcome {
  bookingId: number;
  pnr: string;
  status: 'CANCELLED';
  /** Seats released by this call; the caller returns them to Redis and may promote the waitlist. */
  seatIds: number[];
  /** Whether the fare is refunded: confirmed GN only. */
  refundable: boolean;
  /** True when the booking was already cancelled and nothing changed. */
  alreadyCancelled: boolean;
}

export async function cancelBooking(
  deps: BookingDeps,
  input: { pnr: string; subject: string; nowMs: number },
): Promise<CancelOutcome> {
  const { pnr, subject, nowMs } = parseInput(cancelSchema, input);
  return deps.db.transaction(async (tx) => {
    const [booking] = await tx.select().from(bookings).where(eq(bookings.pnr, pnr)).for('update');
    if (!booking) throw new BookingNotFound(`PNR ${pnr}`);
    if (booking.subject !== subject) throw new NotYourBooking(pnr);
    const result = { bookingId: booking.id, pnr, status: 'CANCELLED' as const };
    if (booking.status === 'CANCELLED') {
      return { ...result, seatIds: [], refundable: false, alreadyCancelled: true };
    }
    if (
      booking.status !== 'CONFIRMED' &&
      booking.status !== 'PENDING_PAYMENT' &&
      booking.status !== 'WAITLISTED'
    ) {
      throw new BookingStateConflict(pnr, booking.status, 'cancelled');
    }
    const now = new Date(nowMs);
    await tx
      .update(bookings)
      .set({ status: 'CANCELLED', cancelledAt: now, updatedAt: now })
      .where(eq(bookings.id, booking.id));
    const released = await tx
      .update(seatAssignments)
      .set({ status: 'CANCELLED', updatedAt: now })
      .where(
        and(
          eq(seatAssignments.bookingId, booking.id),
          inArray(seatAssignments.status, ['PENDING', 'CONFIRMED']),
        ),
      )
      .returning({ seatId: seatAssignments.seatId });
    // Only a confirmed booking was paid for; of those only general quota is refunded.
    const refundable = booking.status === 'CONFIRMED' && booking.quota === 'GN';
    if (refundable) {
      await tx
        .update(payments)
        .set({ status: 'REFUND_REQUIRED', updatedAt: now })
        .where(and(eq(payments.bookingId, booking.id), eq(payments.status, 'SUCCEEDED')));
    }
    return {
      ...result,
      seatIds: released.map((row) => row.seatId).sort((a, b) => a - b),
      refundable,
      alreadyCancelled: false,
    };
  });
}
