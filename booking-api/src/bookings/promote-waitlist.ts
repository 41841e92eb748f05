// Seats came back (expiry, cancellation): give them to waitlisted PNRs in
// waitlist-number order. Each promoted booking gets PENDING assignments and a
// fresh payment window. Promoters of one queue run one at a time under its
// advisory lock, so running several at once promotes each booking once.
import { bookings, coaches, passengers, seatAssignments, seats } from '@tatkal/drizzle';
import { classCodes, quotas } from '@tatkal/drizzle/schema';
import { and, asc, eq, inArray, notExists, sql } from 'drizzle-orm';
import { z } from 'zod';
import type { Transaction } from '../domain/index.ts';
import { matchBerths, type PassengerPreference } from './berth-matching.ts';
import { insertAssignments } from './booking-rows.ts';
import type { SeatPlacement } from './booking-view.ts';
import type { BookingDeps } from './create-booking.ts';
import { lockWaitlistQueue } from './locks.ts';
import { occupiedSeatIds, type SeatRow } from './seat-rows.ts';
import { parseInput } from './validation.ts';

const promoteSchema = z.object({
  journeyId: z.number().int().positive(),
  classCode: z.enum(classCodes),
  quota: z.enum(quotas),
  nowMs: z.number().int().nonnegative(),
  paymentWindowMs: z.number().int().min(1_000).max(86_400_000),
  /** Most bookings promoted by one call. */
  limit: z.number().int().min(1).max(1_000).default(100),
  /**
   * Seats free in PostgreSQL that the waitlist must not take: those on sale or held in the
   * Redis inventory (a shopper may hold them now). The caller reads Redis; default none.
   */
  excludeSeatIds: z.array(z.number().int().positive()).default([]),
});
export type PromoteWaitlistInput = z.input<typeof promoteSchema>;

/** Switches for concurrency tests only. */
export interface PromoteWaitlistTesting {
  /**
   * false runs the naive promoter: no queue lock, no row locks and no status
   * guard on the update, to show what they prevent.
   */
  lockRows?: boolean;
}

export interface PromotedBooking {
  bookingId: number;
  pnr: string;
  waitlistNumber: number;
  expiresAt: Date;
  seats: SeatPlacement[];
}

export interface PromotionResult {
  promoted: PromotedBooking[];
  /** Every seat taken; the caller marks them sold in Redis. */
  seatIds: number[];
}

export async function promoteWaitlist(
  deps: BookingDeps,
  input: PromoteWaitlistInput,
  testing: PromoteWaitlistTesting = {},
): Promise<PromotionResult> {
  const valid = parseInput(promoteSchema, input);
  const locking = testing.lockRows !== false;
  return deps.db.transaction(async (tx) => {
    if (locking) await lockWaitlistQueue(tx, valid);
    const queue = and(
      eq(bookings.journeyId, valid.journeyId),
      eq(bookings.classCode, valid.classCode),
      eq(bookings.quota, valid.quota),
      eq(bookings.status, 'WAITLISTED'),
    );
    const waitingQuery = tx
      .select({ id: bookings.id, pnr: bookings.pnr, waitlistNumber: bookings.waitlistNumber })
      .from(bookings)
      .where(queue)
      .orderBy(asc(bookings.waitlistNumber))
      .limit(valid.limit)
      .$dynamic();
    const waiting = locking ? await waitingQuery.for('update') : await waitingQuery;
    if (waiting.length === 0) return { promoted: [], seatIds: [] };

    const people = await tx
      .select({
        id: passengers.id,
        bookingId: passengers.bookingId,
        ordinal: passengers.ordinal,
        berthPreference: passengers.berthPreference,
      })
      .from(passengers)
      .where(
        inArray(
          passengers.bookingId,
          waiting.map((booking) => booking.id),
        ),
      )
      .orderBy(passengers.bookingId, passengers.ordinal);
    const excluded = new Set(valid.excludeSeatIds);
    let free = (await freeSeats(tx, valid, locking)).filter((seat) => !excluded.has(seat.seatId));

    const expiresAt = new Date(valid.nowMs + valid.paymentWindowMs);
    const promoted: PromotedBooking[] = [];
    for (const booking of waiting) {
      const party = people.filter((person) => person.bookingId === booking.id);
      // Strict order: the head of the queue waits for enough seats; nobody overtakes it.
      if (party.length === 0 || party.length > free.length) break;
      const chosen = pickSeats(party, free);
      const moved = await tx
        .update(bookings)
        .set({ status: 'PENDING_PAYMENT', expiresAt, updatedAt: new Date(valid.nowMs) })
        // The status guard is a second net under the locks: never promote a booking twice.
        .where(
          locking
            ? and(eq(bookings.id, booking.id), eq(bookings.status, 'WAITLISTED'))
            : eq(bookings.id, booking.id),
        )
        .returning({ id: bookings.id });
      if (moved.length === 0) continue;
      const placements = matchBerths(party, chosen);
      const passengerIds = new Map(party.map((person) => [person.ordinal, person.id]));
      await insertAssignments(
        tx,
        { id: booking.id, journeyId: valid.journeyId },
        placements.map((p) => ({
          seatId: p.seatId,
          passengerId: passengerIds.get(p.ordinal) ?? 0,
        })),
        'PENDING',
      );
      const byId = new Map(chosen.map((seat) => [seat.seatId, seat]));
      free = free.filter((seat) => !byId.has(seat.seatId));
      promoted.push({
        bookingId: booking.id,
        pnr: booking.pnr,
        waitlistNumber: booking.waitlistNumber ?? 0,
        expiresAt,
        seats: placements.map((p) => {
          const seat = byId.get(p.seatId);
          if (!seat) throw new Error(`placed on unchosen seat ${p.seatId}`);
          const { seatId, coach, berthNumber, berthType } = seat;
          return { seatId, coach, berthNumber, berthType, passengerOrdinal: p.ordinal };
        }),
      });
    }
    return {
      promoted,
      seatIds: promoted.flatMap((b) => b.seats.map((s) => s.seatId)).sort((a, b) => a - b),
    };
  });
}

/**
 * Seats of the queue's class and quota with no live assignment, locked. SKIP
 * LOCKED passes over seats a booking commit holds right now (they are about to
 * be sold); the second look under the locks drops any sold since the snapshot.
 */
async function freeSeats(
  tx: Transaction,
  queue: { journeyId: number; classCode: SeatRow['classCode']; quota: SeatRow['quota'] },
  locking: boolean,
): Promise<SeatRow[]> {
  const query = tx
    .select({
      seatId: seats.id,
      classCode: seats.classCode,
      quota: seats.quota,
      coach: coaches.code,
      berthNumber: seats.berthNumber,
      berthType: seats.berthType,
    })
    .from(seats)
    .innerJoin(coaches, eq(coaches.id, seats.coachId))
    .where(
      and(
        eq(seats.journeyId, queue.journeyId),
        eq(seats.classCode, queue.classCode),
        eq(seats.quota, queue.quota),
        notExists(
          tx
            .select({ one: sql`1` })
            .from(seatAssignments)
            .where(
              and(
                eq(seatAssignments.journeyId, seats.journeyId),
                eq(seatAssignments.seatId, seats.id),
                inArray(seatAssignments.status, ['PENDING', 'CONFIRMED']),
              ),
            ),
        ),
      ),
    )
    .orderBy(seats.id)
    .$dynamic();
  const candidates = locking
    ? await query.for('update', { of: seats, skipLocked: true })
    : await query;
  const occupied = new Set(
    await occupiedSeatIds(
      tx,
      queue.journeyId,
      candidates.map((seat) => seat.seatId),
    ),
  );
  return candidates.filter((seat) => !occupied.has(seat.seatId));
}

/** One seat per passenger: the lowest free berth of the preferred type first, then the lowest ids. */
function pickSeats(party: readonly PassengerPreference[], free: readonly SeatRow[]): SeatRow[] {
  const chosen: SeatRow[] = [];
  const left = [...free];
  const take = (index: number) => {
    const [seat] = left.splice(index, 1);
    if (seat) chosen.push(seat);
  };
  const flexible: PassengerPreference[] = [];
  for (const person of party) {
    const index = left.findIndex((seat) => seat.berthType === person.berthPreference);
    if (index >= 0) take(index);
    else flexible.push(person);
  }
  for (const _ of flexible) take(0);
  return chosen;
}
