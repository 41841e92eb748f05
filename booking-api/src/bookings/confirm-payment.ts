// The idempotent heart of the payment webhook. One transaction that locks the
// booking row first, so a payment, a redelivery of it and the expiry job
// touching the same booking run one after the other.
import { type Booking, bookings, payments, seatAssignments } from '@tatkal/drizzle';
import type { BookingStatus, PaymentStatus } from '@tatkal/drizzle/schema';
import { and, desc, eq, sql } from 'drizzle-orm';
import { z } from 'zod';
import {
  BookingNotFound,
  BookingStateConflict,
  PaymentAmountMismatch,
  PaymentRefReused,
  pgErrorOf,
  type Transaction,
} from '../domain/index.ts';
import { insertAssignments } from './booking-rows.ts';
import type { BookingDeps } from './create-booking.ts';
import { lockSeats, occupiedSeatIds } from './seat-rows.ts';
import { parseInput } from './validation.ts';

const confirmPaymentSchema = z
  .object({
    bookingId: z.number().int().positive().optional(),
    pnr: z
      .string()
      .regex(/^[0-9]{10}$/)
      .optional(),
    provider: z
      .string()
      .regex(/^[a-z][a-z0-9_-]{1,31}$/)
      .default('simulator'),
    paymentRef: z.string().min(1).max(128),
    amountPaise: z.number().int().positive(),
    nowMs: z.number().int().nonnegative(),
    /** The provider's webhook event, kept verbatim for disputes. */
    event: z.unknown().optional(),
  })
  .refine((input) => (input.bookingId === undefined) !== (input.pnr === undefined), {
    message: 'give exactly one of bookingId and pnr',
    path: ['bookingId'],
  });
export type ConfirmPaymentInput = z.input<typeof confirmPaymentSchema>;
type ValidConfirmPayment = z.output<typeof confirmPaymentSchema>;

export interface PaymentOutcome {
  bookingId: number;
  pnr: string;
  status: BookingStatus;
  /** Set when the booking had expired: whether its seats could be taken back. */
  seatsReacquired?: boolean;
  /** The money must go back: late payment without seats, a second payment, a cancelled booking. */
  needsRefund: boolean;
  /** Seats this payment took back after expiry; the caller marks them sold in Redis. */
  reacquiredSeatIds: number[];
  /** True when this provider reference was seen before and nothing changed. */
  duplicate: boolean;
}

/** Switches for concurrency tests only; production callers pass nothing. */
export interface ConfirmPaymentTesting {
  /** false reads the booking without FOR UPDATE, to show what the lock prevents. */
  lockBooking?: boolean;
  /** Runs after the booking row is read, to widen race windows. */
  afterBookingRead?: () => Promise<void>;
}

export async function confirmPayment(
  deps: BookingDeps,
  input: ConfirmPaymentInput,
  testing: ConfirmPaymentTesting = {},
): Promise<PaymentOutcome> {
  const valid = parseInput(confirmPaymentSchema, input);
  const settle = (tx: Transaction) => settlePayment(tx, valid, testing);
  try {
    return await deps.db.transaction(settle);
  } catch (error) {
    // Two deliveries of one reference for two bookings raced to insert it; the
    // second attempt finds the winner's row and answers from it.
    const pg = pgErrorOf(error);
    if (pg?.code === '23505' && pg.constraint === 'payments_provider_ref_uniq') {
      return deps.db.transaction(settle);
    }
    throw error;
  }
}

async function settlePayment(
  tx: Transaction,
  input: ValidConfirmPayment,
  testing: ConfirmPaymentTesting,
): Promise<PaymentOutcome> {
  const key = input.bookingId === undefined ? `PNR ${input.pnr}` : `booking ${input.bookingId}`;
  const where =
    input.bookingId === undefined
      ? eq(bookings.pnr, input.pnr ?? '')
      : eq(bookings.id, input.bookingId);
  const read = tx.select().from(bookings).where(where).$dynamic();
  const [booking] = testing.lockBooking === false ? await read : await read.for('update');
  if (!booking) throw new BookingNotFound(key);
  await testing.afterBookingRead?.();

  const [seen] = await tx
    .select()
    .from(payments)
    .where(and(eq(payments.provider, input.provider), eq(payments.providerRef, input.paymentRef)));
  if (seen) {
    if (seen.bookingId !== booking.id) throw new PaymentRefReused(input.provider, input.paymentRef);
    return {
      ...outcome(booking, booking.status, seen.status === 'REFUND_REQUIRED'),
      ...(await wasReacquired(tx, booking)),
      duplicate: true,
    };
  }
  if (input.amountPaise !== booking.totalPaise) {
    throw new PaymentAmountMismatch(booking.pnr, booking.totalPaise, input.amountPaise);
  }

  const record = (status: PaymentStatus) =>
    tx.insert(payments).values({
      bookingId: booking.id,
      provider: input.provider,
      providerRef: input.paymentRef,
      amountPaise: input.amountPaise,
      status,
      event: input.event ?? null,
    });
  const now = new Date(input.nowMs);

  switch (booking.status) {
    case 'PENDING_PAYMENT': {
      // Even past expires_at the seats are still this booking's until the
      // expiry job has released them, so a payment that wins the race confirms.
      await markConfirmed(tx, booking.id, now);
      await tx
        .update(seatAssignments)
        .set({ status: 'CONFIRMED', updatedAt: now })
        .where(
          and(eq(seatAssignments.bookingId, booking.id), eq(seatAssignments.status, 'PENDING')),
        );
      await record('SUCCEEDED');
      return outcome(booking, 'CONFIRMED', false);
    }
    case 'EXPIRED': {
      const reacquired = await reacquireSeats(tx, booking);
      if (reacquired === undefined) {
        await tx
          .update(bookings)
          .set({ status: 'REFUND_PENDING', updatedAt: now })
          .where(eq(bookings.id, booking.id));
        await record('REFUND_REQUIRED');
        return { ...outcome(booking, 'REFUND_PENDING', true), seatsReacquired: false };
      }
      await markConfirmed(tx, booking.id, now);
      await record('SUCCEEDED');
      return {
        ...outcome(booking, 'CONFIRMED', false),
        seatsReacquired: true,
        reacquiredSeatIds: reacquired,
      };
    }
    case 'CONFIRMED':
    case 'CANCELLED':
    case 'REFUND_PENDING':
      // A second payment, or one for a booking given up: keep it on record and refund it.
      await record('REFUND_REQUIRED');
      return outcome(booking, booking.status, true);
    case 'WAITLISTED':
      throw new BookingStateConflict(booking.pnr, booking.status, 'paid before it is promoted');
  }
}

function outcome(booking: Booking, status: BookingStatus, needsRefund: boolean): PaymentOutcome {
  return {
    bookingId: booking.id,
    pnr: booking.pnr,
    status,
    needsRefund,
    reacquiredSeatIds: [],
    duplicate: false,
  };
}

async function markConfirmed(tx: Transaction, bookingId: number, now: Date): Promise<void> {
  await tx
    .update(bookings)
    .set({ status: 'CONFIRMED', confirmedAt: now, updatedAt: now })
    .where(eq(bookings.id, bookingId));
}

/**
 * A late payment for an expired booking: lock its former seats in id order and
 * take them back as CONFIRMED if every one is still free. Returns the seat ids,
 * or undefined when any was sold meanwhile.
 */
async function reacquireSeats(tx: Transaction, booking: Booking): Promise<number[] | undefined> {
  const former = await tx
    .selectDistinctOn([seatAssignments.passengerId], {
      passengerId: seatAssignments.passengerId,
      seatId: seatAssignments.seatId,
    })
    .from(seatAssignments)
    .where(eq(seatAssignments.bookingId, booking.id))
    .orderBy(seatAssignments.passengerId, desc(seatAssignments.id));
  const seatIds = former.map((row) => row.seatId);
  if (seatIds.length === 0) return undefined;
  await lockSeats(tx, booking.journeyId, seatIds);
  if ((await occupiedSeatIds(tx, booking.journeyId, seatIds)).length > 0) return undefined;
  await insertAssignments(
    tx,
    { id: booking.id, journeyId: booking.journeyId },
    former,
    'CONFIRMED',
  );
  return seatIds.sort((a, b) => a - b);
}

/** For a redelivered payment: did the first delivery take the seats back after expiry? */
async function wasReacquired(
  tx: Transaction,
  booking: Booking,
): Promise<Pick<PaymentOutcome, 'seatsReacquired'>> {
  const [row] = await tx
    .execute<{ expired: boolean; live: boolean }>(sql`
    select bool_or(status = 'EXPIRED') as expired,
           bool_or(status in ('PENDING', 'CONFIRMED')) as live
      from seat_assignments where booking_id = ${booking.id}`)
    .then((result) => result.rows);
  if (!row?.expired) return {};
  return { seatsReacquired: booking.status === 'CONFIRMED' && row.live };
}
