// Unpaid bookings past their payment window become EXPIRED and give their seats back, to
// Redis and then to the waitlist. The booking API's batch verb locks what it expires with
// SKIP LOCKED, so concurrent workers each expire a disjoint set and every booking exactly once.
import { expireUnpaidBookings } from '@tatkal/booking-api/bookings';
import type { JobDeps } from './deps.ts';
import { returnAndPromote } from './returned-seats.ts';

export interface ExpiryResult {
  expired: number;
  /** Waitlisted bookings promoted onto the seats that came back. */
  promoted: number;
}

export async function expireDueBookings(
  deps: JobDeps,
  options: { batch?: number } = {},
): Promise<ExpiryResult> {
  const batch = options.batch ?? 100;
  let expired = 0;
  let promoted = 0;
  for (;;) {
    const due = await expireUnpaidBookings({ db: deps.db.db }, { nowMs: deps.now(), limit: batch });
    // Committed in PostgreSQL now. If this process dies before the loop below ends, the
    // waitlist job (or reconcile) finds the seats still sold in Redis and finishes the return
    // where people wait; reconcile frees them where nobody does.
    for (const booking of due) {
      deps.metrics.bookings.inc({ status: 'EXPIRED' });
      promoted += await returnAndPromote(deps, booking);
    }
    expired += due.length;
    if (due.length < batch) return { expired, promoted };
  }
}
