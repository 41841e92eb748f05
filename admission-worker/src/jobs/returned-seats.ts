// Seats given back in PostgreSQL go back to Redis and to the waitlist through the booking
// API's own flow, then are checked once more against PostgreSQL. Why the check: two returns
// racing (this worker and another, or the booking API) can interleave so that one promotes
// seats the other expired but has not yet returned to Redis; the late return would then free
// in Redis seats PostgreSQL has just given to a promoted booking. Re-marking as sold every
// returned seat that PostgreSQL says is taken, after our own return, closes that window
// whichever order the two ran in.
import { type ReturnedSeats, returnSeatsAndPromote } from '@tatkal/booking-api/flows';
import { markSeatsSold } from '@tatkal/booking-api/inventory';
import { seatAssignments } from '@tatkal/drizzle';
import { and, eq, inArray } from 'drizzle-orm';
import type { JobDeps } from './deps.ts';

/** Resolves to how many waitlisted bookings were promoted onto free seats. */
export async function returnAndPromote(deps: JobDeps, returned: ReturnedSeats): Promise<number> {
  const promoted = await returnSeatsAndPromote(deps, returned);
  await resyncTakenSeats(deps, returned.journeyId, returned.seatIds);
  return promoted;
}

/** Marks sold in Redis those of `seatIds` that have a live assignment in PostgreSQL. */
export async function resyncTakenSeats(
  deps: Pick<JobDeps, 'db' | 'redis' | 'prefix'>,
  journeyId: number,
  seatIds: readonly number[],
): Promise<number> {
  if (seatIds.length === 0) return 0;
  const taken = await deps.db.db
    .selectDistinct({ seatId: seatAssignments.seatId })
    .from(seatAssignments)
    .where(
      and(
        eq(seatAssignments.journeyId, journeyId),
        inArray(seatAssignments.seatId, [...seatIds]),
        inArray(seatAssignments.status, ['PENDING', 'CONFIRMED']),
      ),
    );
  if (taken.length === 0) return 0;
  return markSeatsSold(
    deps.redis,
    deps.prefix,
    journeyId,
    taken.map((row) => row.seatId).sort((a, b) => a - b),
  );
}
