// The waitlist's safety net. Seats normally reach the waitlist through the return that freed
// them (expiry here, cancellation in the booking API). A process that died between committing
// the release in PostgreSQL and returning the seats leaves a recognisable trace: seats with no
// live assignment in PostgreSQL that Redis still shows sold, in a class and quota with people
// waiting. This job finds exactly those and finishes the return, which promotes in waitlist
// order. It never touches seats that are free or held in Redis, so it cannot take a seat from
// a shopper's live hold on its own initiative.
import { readRawSnapshot } from '@tatkal/booking-api/inventory';
import type { ClassCode, Quota } from '@tatkal/drizzle/schema';
import { sql } from 'drizzle-orm';
import type { JobDeps } from './deps.ts';
import { journeysOnSale } from './journeys.ts';
import { returnAndPromote } from './returned-seats.ts';

export interface PromotionSweepResult {
  /** Seats found released in PostgreSQL but still sold in Redis, now returned. */
  returned: number;
  promoted: number;
}

type WaitlistPool = {
  class_code: ClassCode;
  quota: Quota;
  seat_ids: number[];
};

export async function promoteWaitlists(
  deps: JobDeps,
  options: { journeyIds?: readonly number[] } = {},
): Promise<PromotionSweepResult> {
  const nowMs = deps.now();
  const journeys = options.journeyIds ?? (await journeysOnSale(deps.db.db, nowMs));
  let returned = 0;
  let promoted = 0;
  for (const journeyId of journeys) {
    const pools = await releasedSeatsWithWaitlist(deps, journeyId);
    if (pools.length === 0) continue;
    const { states } = await readRawSnapshot(deps.redis, deps.prefix, journeyId, nowMs);
    for (const pool of pools) {
      const stale = pool.seat_ids.filter((seatId) => states.get(seatId) === 'sold');
      if (stale.length === 0) continue;
      returned += stale.length;
      promoted += await returnAndPromote(deps, {
        journeyId,
        classCode: pool.class_code,
        quota: pool.quota,
        seatIds: stale,
      });
    }
  }
  return { returned, promoted };
}

/** Per class and quota with a waitlist: seats without a live assignment in PostgreSQL. */
async function releasedSeatsWithWaitlist(
  deps: Pick<JobDeps, 'db'>,
  journeyId: number,
): Promise<WaitlistPool[]> {
  const result = await deps.db.db.execute<WaitlistPool>(sql`
    select s.class_code, s.quota, array_agg(s.id::int order by s.id) as seat_ids
      from seats s
     where s.journey_id = ${journeyId}
       and s.quota <> 'PT'
       and exists (select 1 from bookings b
                    where b.journey_id = s.journey_id and b.class_code = s.class_code
                      and b.quota = s.quota and b.status = 'WAITLISTED')
       and not exists (select 1 from seat_assignments a
                        where a.journey_id = s.journey_id and a.seat_id = s.id
                          and a.status in ('PENDING', 'CONFIRMED'))
     group by s.class_code, s.quota
     order by s.class_code, s.quota`);
  return result.rows;
}
