// Unpaid bookings give their seats back. The batch form skips rows another
// worker (or a payment in flight) has locked, so any number of workers can run
// it at once; the single form is the delayed job scheduled per booking.
import { type Database, seatAssignments } from '@tatkal/drizzle';
import type { ClassCode, Quota } from '@tatkal/drizzle/schema';
import { and, eq, inArray, sql } from 'drizzle-orm';
import { z } from 'zod';
import type { Transaction } from '../domain/index.ts';
import { parseInput } from './validation.ts';

export interface ExpiredBooking {
  bookingId: number;
  pnr: string;
  journeyId: number;
  classCode: ClassCode;
  quota: Quota;
  /** Seats released; the caller returns them to the Redis inventory. */
  seatIds: number[];
}

const expireSchema = z.object({
  nowMs: z.number().int().nonnegative(),
  limit: z.number().int().min(1).max(10_000),
});

/**
 * Expires up to `limit` PENDING_PAYMENT bookings whose expires_at has passed,
 * oldest first, in one transaction. Call again while it returns `limit` rows.
 */
export async function expireUnpaidBookings(
  deps: { db: Database },
  input: { nowMs: number; limit: number },
): Promise<ExpiredBooking[]> {
  const { nowMs, limit } = parseInput(expireSchema, input);
  return deps.db.transaction(async (tx) => {
    const due = await tx.execute<{ id: string }>(sql`
      select id from bookings
       where status = 'PENDING_PAYMENT' and expires_at <= ${new Date(nowMs).toISOString()}
       order by expires_at, id
       limit ${limit}
         for update skip locked`);
    return expireLocked(
      tx,
      due.rows.map((row) => Number(row.id)),
      nowMs,
    );
  });
}

export type ExpireBookingResult =
  | { expired: true; booking: ExpiredBooking }
  | { expired: false; reason: 'not_found' | 'not_due' | 'not_pending' };

/** Expires one booking if it is still unpaid and due; a no-op otherwise, so it is safe to repeat. */
export async function expireBooking(
  deps: { db: Database },
  bookingId: number,
  nowMs: number,
): Promise<ExpireBookingResult> {
  return deps.db.transaction(async (tx) => {
    const rows = await tx.execute<{ status: string; due: boolean }>(sql`
      select status, expires_at <= ${new Date(nowMs).toISOString()} as due
        from bookings where id = ${bookingId} for update`);
    const row = rows.rows[0];
    if (!row) return { expired: false, reason: 'not_found' };
    if (row.status !== 'PENDING_PAYMENT') return { expired: false, reason: 'not_pending' };
    if (!row.due) return { expired: false, reason: 'not_due' };
    const [booking] = await expireLocked(tx, [bookingId], nowMs);
    if (!booking) throw new Error(`booking ${bookingId} did not expire`);
    return { expired: true, booking };
  });
}

/** Moves locked, due bookings and their pending assignments to EXPIRED. */
async function expireLocked(
  tx: Transaction,
  bookingIds: number[],
  nowMs: number,
): Promise<ExpiredBooking[]> {
  if (bookingIds.length === 0) return [];
  const now = new Date(nowMs);
  const expired = await tx.execute<{
    id: string;
    pnr: string;
    journey_id: number;
    class_code: ClassCode;
    quota: Quota;
  }>(sql`
    update bookings set status = 'EXPIRED', updated_at = ${now.toISOString()}
     where id = any(${sql.param(bookingIds)}::bigint[])
    returning id, pnr, journey_id, class_code, quota`);
  const released = await tx
    .update(seatAssignments)
    .set({ status: 'EXPIRED', updatedAt: now })
    .where(
      and(inArray(seatAssignments.bookingId, bookingIds), eq(seatAssignments.status, 'PENDING')),
    )
    .returning({ bookingId: seatAssignments.bookingId, seatId: seatAssignments.seatId });
  return expired.rows
    .map((row) => {
      const bookingId = Number(row.id);
      return {
        bookingId,
        pnr: row.pnr,
        journeyId: row.journey_id,
        classCode: row.class_code,
        quota: row.quota,
        seatIds: released
          .filter((seat) => seat.bookingId === bookingId)
          .map((seat) => seat.seatId)
          .sort((a, b) => a - b),
      };
    })
    .sort((a, b) => a.bookingId - b.bookingId);
}
