// The exact-count checks the jobs' tests share. Each returns a list of violations (empty when
// everything adds up), so a negative control can show that the same check catches a broken
// variant instead of asserting on something weaker.
import { auditInventory } from '@tatkal/booking-api/inventory';
import { sql } from 'drizzle-orm';
import type { JobsWorld } from './world.ts';

export interface WaitlistEntryPlan {
  bookingId: number;
  waitlistNumber: number;
  party: number;
}

/** Strict order: the longest prefix of the queue whose parties fit in `seats`. */
export function expectedPromotions(queue: readonly WaitlistEntryPlan[], seats: number): number[] {
  const out: number[] = [];
  let left = seats;
  for (const entry of queue) {
    if (entry.party > left) break;
    left -= entry.party;
    out.push(entry.bookingId);
  }
  return out;
}

export async function inventoryViolations(
  world: JobsWorld,
  journeyId = world.journeyId,
): Promise<string[]> {
  const audit = await auditInventory(world.db.db, world.redis, world.prefix, journeyId, Date.now());
  return [
    ...audit.mismatches.map((m) => `seat ${m.seatId}: redis ${m.redis}, postgres ${m.postgres}`),
    ...audit.countMismatches.map(
      (c) => `counter ${c.counter}: redis ${c.redis}, want ${c.expected}`,
    ),
  ];
}

/** Booking id -> status, for the ids given. */
export async function statuses(
  world: JobsWorld,
  ids: readonly number[],
): Promise<Map<number, string>> {
  if (ids.length === 0) return new Map();
  const rows = await world.db.db.execute<{ id: string; status: string }>(
    sql`select id, status from bookings where id = any(${sql.param([...ids])}::bigint[])`,
  );
  return new Map(rows.rows.map((row) => [Number(row.id), row.status]));
}

/** Live (PENDING or CONFIRMED) seats per booking. */
export async function liveSeats(
  world: JobsWorld,
  ids: readonly number[],
): Promise<Map<number, number>> {
  if (ids.length === 0) return new Map();
  const rows = await world.db.db.execute<{ booking_id: string; seats: number }>(sql`
    select booking_id, count(*)::int as seats from seat_assignments
     where booking_id = any(${sql.param([...ids])}::bigint[]) and status in ('PENDING', 'CONFIRMED')
     group by booking_id`);
  return new Map(rows.rows.map((row) => [Number(row.booking_id), row.seats]));
}

/** (booking id, event) -> how many outbox rows: exactly one each is the contract. */
export async function outbox(world: JobsWorld): Promise<Map<string, number>> {
  const rows = await world.db.db.execute<{ booking_id: string; event: string; n: number }>(sql`
    select booking_id, event, count(*)::int as n from notifications group by booking_id, event`);
  return new Map(rows.rows.map((row) => [`${row.booking_id}:${row.event}`, row.n]));
}

/** Releases: `reported` summed over concurrent callers must equal what was due, and Redis agree. */
export function countViolations(label: string, reported: number, expected: number): string[] {
  return reported === expected ? [] : [`${label}: reported ${reported}, expected ${expected}`];
}

/** Resolves when `parties` callers have arrived: forces the interleaving a race needs. */
export function barrier(parties: number): () => Promise<void> {
  let arrived = 0;
  let release: () => void = () => {};
  const all = new Promise<void>((resolve) => {
    release = resolve;
  });
  return () => {
    arrived += 1;
    if (arrived >= parties) release();
    return all;
  };
}
