import type { ClassCode, Quota } from '@tatkal/drizzle/schema';
import { promoteWaitlist } from '../bookings/index.ts';
import type { BookingApiDeps } from '../deps.ts';
import { markSeatsSold, returnSeats } from '../inventory/index.ts';

/** What returning seats needs of the service (the admission worker passes its own). */
export type ReturnSeatsDeps = Pick<BookingApiDeps, 'db' | 'redis' | 'prefix' | 'expiry' | 'now'> & {
  metrics: Pick<BookingApiDeps['metrics'], 'bookings'>;
  settings: Pick<BookingApiDeps['settings'], 'paymentWindowMs'>;
};

export interface ReturnedSeats {
  journeyId: number;
  classCode: ClassCode;
  quota: Quota;
  seatIds: number[];
}

/**
 * Seats a cancelled or expired booking gave back in PostgreSQL go back to the
 * Redis inventory, then the waitlist of that class and quota is promoted in
 * order (TQ and GN; PT has none) and the seats it took are sold again.
 */
export async function returnSeatsAndPromote(
  deps: ReturnSeatsDeps,
  returned: ReturnedSeats,
): Promise<number> {
  if (returned.seatIds.length === 0) return 0;
  await returnSeats(deps.redis, deps.prefix, returned.journeyId, returned.seatIds);
  if (returned.quota === 'PT') return 0;
  const nowMs = deps.now();
  const { promoted, seatIds } = await promoteWaitlist(
    { db: deps.db.db },
    {
      journeyId: returned.journeyId,
      classCode: returned.classCode,
      quota: returned.quota,
      nowMs,
      paymentWindowMs: deps.settings.paymentWindowMs,
    },
  );
  if (seatIds.length > 0) await markSeatsSold(deps.redis, deps.prefix, returned.journeyId, seatIds);
  for (const booking of promoted) {
    deps.metrics.bookings.inc({ status: 'PENDING_PAYMENT' });
    await deps.expiry.schedule(booking.bookingId, booking.expiresAt.getTime());
  }
  return promoted.length;
}
