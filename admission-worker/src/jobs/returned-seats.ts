// Seats given back in PostgreSQL go back to Redis and to the waitlist through the booking
// API's own flow, which also re-checks them against PostgreSQL afterwards (two returns racing
// could otherwise free in Redis seats a promotion has just taken: see returnSeatsAndPromote).
import { type ReturnedSeats, returnSeatsAndPromote } from '@tatkal/booking-api/flows';
import type { JobDeps } from './deps.ts';

/** Resolves to how many waitlisted bookings were promoted onto free seats. */
export function returnAndPromote(deps: JobDeps, returned: ReturnedSeats): Promise<number> {
  return returnSeatsAndPromote(deps, returned);
}
