import type { ClassCode, Quota } from '@tatkal/drizzle/schema';
import { promoteWaitlist } from '../bookings/index.ts';
import { occupiedSeatIds } from '../bookings/seat-rows.ts';
import type { BookingApiDeps } from '../deps.ts';
import { markSeatsSold, readRawSnapshot, returnSeats } from '../inventory/index.ts';

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
 * Seats a cancelled or expired booking gave back in PostgreSQL go to the
 * waitlist of that class and quota first, in order (PT has none), while Redis
 * still shows them sold, so no shopper can hold one ahead of the people
 * waiting; the seats the waitlist did not take then go back on sale in Redis.
 * The waitlist never takes a seat Redis shows on sale or held: a shopper may
 * hold it right now.
 *
 * Last, the returned seats are checked once more against PostgreSQL. Two
 * returns racing (the booking API's expiry and the worker's, or a cancellation)
 * can interleave so that one promotes seats the other expired in PostgreSQL but
 * has not yet returned to Redis; the late return would then free in Redis seats
 * PostgreSQL has just given to a promoted booking. Re-marking as sold every
 * returned seat PostgreSQL says is taken, after this return, closes that window
 * whichever order the two ran in. (`recheck: false` exists only so a test can
 * show the race.)
 */
export async function returnSeatsAndPromote(
  deps: ReturnSeatsDeps,
  returned: ReturnedSeats,
  options: { recheck?: boolean } = {},
): Promise<number> {
  if (returned.seatIds.length === 0) return 0;
  const { promoted, seatIds: taken } =
    returned.quota === 'PT' ? { promoted: 0, seatIds: [] } : await promote(deps, returned);
  const promotedSeats = new Set(taken);
  const onSaleAgain = returned.seatIds.filter((seatId) => !promotedSeats.has(seatId));
  if (onSaleAgain.length > 0) {
    await returnSeats(deps.redis, deps.prefix, returned.journeyId, onSaleAgain);
  }
  if (options.recheck !== false) {
    await resyncTakenSeats(deps, returned.journeyId, returned.seatIds);
  }
  return promoted;
}

async function promote(
  deps: ReturnSeatsDeps,
  returned: ReturnedSeats,
): Promise<{ promoted: number; seatIds: number[] }> {
  const nowMs = deps.now();
  // On sale or held in Redis: a shopper's, not the waitlist's. A seat sold in Redis (this
  // return's, or one a cut-short return left behind) or unknown to it is not on sale.
  const { states } = await readRawSnapshot(deps.redis, deps.prefix, returned.journeyId, nowMs);
  const onSale = [...states]
    .filter(([, state]) => state !== 'sold' && state !== 'unknown_sold')
    .map(([seatId]) => seatId);
  const { promoted, seatIds } = await promoteWaitlist(
    { db: deps.db.db },
    {
      journeyId: returned.journeyId,
      classCode: returned.classCode,
      quota: returned.quota,
      nowMs,
      paymentWindowMs: deps.settings.paymentWindowMs,
      excludeSeatIds: onSale,
    },
  );
  if (seatIds.length > 0) await markSeatsSold(deps.redis, deps.prefix, returned.journeyId, seatIds);
  for (const booking of promoted) {
    deps.metrics.bookings.inc({ status: 'PENDING_PAYMENT' });
    await deps.expiry.schedule(booking.bookingId, booking.expiresAt.getTime());
  }
  return { promoted: promoted.length, seatIds };
}

/** Marks sold in Redis those of `seatIds` that have a live assignment in PostgreSQL. */
export async function resyncTakenSeats(
  deps: Pick<ReturnSeatsDeps, 'db' | 'redis' | 'prefix'>,
  journeyId: number,
  seatIds: readonly number[],
): Promise<number> {
  const taken = await occupiedSeatIds(deps.db.db, journeyId, seatIds);
  return taken.length === 0 ? 0 : markSeatsSold(deps.redis, deps.prefix, journeyId, taken);
}
