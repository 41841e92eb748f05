import * as schema from '@tatkal/drizzle/schema';
import { Problem } from '@tatkal/waiting-room/service';
import { eq, gt } from 'drizzle-orm';
import type { BookingApiDeps } from '../deps.ts';
import { ensureInventory, rebuildInventory, sweepExpiredHolds } from '../inventory/index.ts';

// Keyed by the database client, which every copy of a process's deps shares
// (the app spreads deps into its own object).
const ready = new WeakMap<BookingApiDeps['db'], Set<number>>();

/**
 * Builds a journey's Redis inventory from PostgreSQL on first use in this
 * process (never from capacity configuration); later calls are free.
 */
export async function withInventory(deps: BookingApiDeps, journeyId: number): Promise<void> {
  let journeys = ready.get(deps.db);
  if (!journeys) {
    journeys = new Set();
    ready.set(deps.db, journeys);
  }
  if (journeys.has(journeyId)) return;
  const [journey] = await deps.db.db
    .select({ id: schema.journeys.id })
    .from(schema.journeys)
    .where(eq(schema.journeys.id, journeyId));
  if (!journey) {
    throw new Problem({
      status: 404,
      code: 'journey_not_found',
      title: 'No such journey',
      detail: `There is no journey ${journeyId}.`,
    });
  }
  await ensureInventory(deps.db.db, deps.redis, deps.prefix, journeyId);
  journeys.add(journeyId);
}

/** Public hold ids carry their journey, so `DELETE /v1/holds/:id` needs nothing else. */
export function publicHoldId(journeyId: number, holdId: string): string {
  return `${journeyId}.${holdId}`;
}

export function parsePublicHoldId(value: string): { journeyId: number; holdId: string } | null {
  const match = /^([1-9][0-9]{0,9})\.([A-Za-z0-9_-]{1,64})$/.exec(value);
  if (!match?.[1] || !match[2]) return null;
  return { journeyId: Number(match[1]), holdId: match[2] };
}

/**
 * Rebuilds, from PostgreSQL, the inventory of every journey still on sale
 * (not yet departed) and of every journey this process has served. The flows
 * keep Redis in step with PostgreSQL as they go, but a crash between a
 * PostgreSQL commit and its Redis write (an expiry or cancellation that
 * committed, then the process died), or an expiry that overtakes a booking in
 * flight, can leave a seat's Redis state behind; this brings every such seat
 * back to PostgreSQL's truth (safe under traffic). The service runs it once at
 * start, so a restarted process repairs what its predecessor left, and then
 * every RECONCILE_MS.
 */
export async function reconcileJourneys(deps: BookingApiDeps): Promise<number> {
  let served = ready.get(deps.db);
  if (!served) {
    served = new Set();
    ready.set(deps.db, served);
  }
  const onSale = await deps.db.db
    .select({ id: schema.journeys.id })
    .from(schema.journeys)
    .where(gt(schema.journeys.departsAt, new Date(deps.now())));
  const journeys = new Set([...served, ...onSale.map((journey) => journey.id)]);
  for (const journeyId of [...journeys].sort((a, b) => a - b)) {
    await rebuildInventory(deps.db.db, deps.redis, deps.prefix, journeyId);
    served.add(journeyId);
  }
  return journeys.size;
}

/**
 * Drops the expired holds of every journey this process has served. Holds do not sweep (that
 * cost every hold a ZRANGE and charged the drops to whoever held next), and a seat whose hold
 * is over is free to every script anyway; this keeps the records, the token links and the
 * availability counters of expired holds from lingering. Runs on the expiry timer.
 */
export async function sweepServedJourneys(deps: BookingApiDeps, perCall = 1000): Promise<number> {
  const served = ready.get(deps.db);
  if (!served) return 0;
  let dropped = 0;
  for (const journeyId of [...served].sort((a, b) => a - b)) {
    // Bounded calls, so one journey's backlog never blocks Redis for long.
    for (;;) {
      const n = await sweepExpiredHolds(deps.redis, deps.prefix, journeyId, deps.now(), perCall);
      dropped += n;
      if (n < perCall) break;
    }
  }
  return dropped;
}
