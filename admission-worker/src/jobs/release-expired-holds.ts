// Expired holds give their seats back. The sweep is the inventory's own Lua script: each call
// atomically drops what is due, so however many workers sweep at once, each hold is released
// by exactly one of them (the others find it gone).
import { sweepExpiredHolds } from '@tatkal/booking-api/inventory';
import type { JobDeps } from './deps.ts';
import { journeysOnSale } from './journeys.ts';

export interface ReleaseResult {
  journeys: number;
  /** Holds released, plus booked-hold records whose retention ended. */
  released: number;
}

export async function releaseExpiredHolds(
  deps: Pick<JobDeps, 'db' | 'redis' | 'prefix' | 'now'>,
  options: { batch?: number } = {},
): Promise<ReleaseResult> {
  const batch = options.batch ?? 500;
  const nowMs = deps.now();
  const journeys = await journeysOnSale(deps.db.db, nowMs);
  let released = 0;
  for (const journeyId of journeys) {
    // Bounded calls keep each script short, so holds and bookings are never stalled behind it.
    for (;;) {
      const dropped = await sweepExpiredHolds(deps.redis, deps.prefix, journeyId, nowMs, batch);
      released += dropped;
      if (dropped < batch) break;
    }
  }
  return { journeys: journeys.length, released };
}
