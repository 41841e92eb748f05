// Writing a booking: its row under a fresh PNR, its passengers, its seats.
import { bookings, type NewBooking, passengers, seatAssignments } from '@tatkal/drizzle';
import type { SeatAssignmentStatus } from '@tatkal/drizzle/schema';
import type { Transaction } from '../domain/index.ts';
import { generatePnr } from './pnr.ts';
import type { PassengerInput } from './validation.ts';

const pnrAttempts = 5;

/**
 * Inserts the booking under a random PNR. A clash with an existing PNR (one in
 * 9·10⁹ per live booking) is skipped by ON CONFLICT on the PNR alone and
 * retried with a new number; any other unique violation (the hold id) is raised.
 */
export async function insertBooking(
  tx: Transaction,
  values: Omit<NewBooking, 'pnr'>,
): Promise<{ id: number; pnr: string }> {
  for (let attempt = 0; attempt < pnrAttempts; attempt++) {
    const pnr = generatePnr();
    const [row] = await tx
      .insert(bookings)
      .values({ ...values, pnr })
      .onConflictDoNothing({ target: bookings.pnr })
      .returning({ id: bookings.id });
    if (row) return { id: row.id, pnr };
  }
  throw new Error(`no free PNR after ${pnrAttempts} attempts`);
}

export async function insertPassengers(
  tx: Transaction,
  bookingId: number,
  people: readonly PassengerInput[],
): Promise<Array<{ id: number; ordinal: number }>> {
  return tx
    .insert(passengers)
    .values(people.map((person, i) => ({ bookingId, ordinal: i + 1, ...person })))
    .returning({ id: passengers.id, ordinal: passengers.ordinal });
}

/**
 * Inserts one assignment per placement, in ascending seat id, so even
 * transactions that skipped the row locks meet the unique index in one order.
 */
export async function insertAssignments(
  tx: Transaction,
  booking: { id: number; journeyId: number },
  placements: ReadonlyArray<{ passengerId: number; seatId: number }>,
  status: SeatAssignmentStatus,
): Promise<void> {
  const rows = [...placements]
    .sort((a, b) => a.seatId - b.seatId)
    .map((placement) => ({
      bookingId: booking.id,
      journeyId: booking.journeyId,
      passengerId: placement.passengerId,
      seatId: placement.seatId,
      status,
    }));
  await tx.insert(seatAssignments).values(rows);
}
