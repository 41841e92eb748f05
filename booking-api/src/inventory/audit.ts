// Does Redis agree with PostgreSQL? A seat is sold in Redis exactly when PostgreSQL has a live
// assignment for it; held and free both mean "no live assignment". The counters must equal
// what the seats say. Exact at rest; under traffic a booking between its PostgreSQL commit and
// markHoldBooked shows as a transient mismatch, so callers re-check before repairing.
import type { Database } from '@tatkal/drizzle';
import { readRawSnapshot, type SnapshotState } from './availability.ts';
import { readJourneyTruth } from './postgres.ts';
import type { RedisLike } from './scripts.ts';

export interface SeatMismatch {
  seatId: number;
  /** free | held | sold, or missing (no metadata in Redis). */
  redis: string;
  /** free | sold (live assignment), or missing (not a seat of this journey). */
  postgres: string;
}

export interface CountMismatch {
  /** "<class>|<quota>:total|held|sold". */
  counter: string;
  redis: number;
  expected: number;
}

export interface InventoryAudit {
  mismatches: SeatMismatch[];
  countMismatches: CountMismatch[];
}

function seatView(state: SnapshotState): string {
  switch (state) {
    case 'held_expired':
      return 'free';
    case 'unknown_held':
    case 'unknown_sold':
      return 'missing';
    default:
      return state;
  }
}

export async function auditInventory(
  db: Database,
  redis: RedisLike,
  prefix: string,
  journeyId: number,
  nowMs: number,
): Promise<InventoryAudit> {
  const truth = await readJourneyTruth(db, journeyId);
  const { counts, states } = await readRawSnapshot(redis, prefix, journeyId, nowMs);

  const mismatches: SeatMismatch[] = [];
  const expected = new Map<string, number>();
  const bump = (counter: string) => expected.set(counter, (expected.get(counter) ?? 0) + 1);
  for (const seat of truth.seats) {
    const pool = `${seat.classCode}|${seat.quota}`;
    const postgres = truth.sold.has(seat.seatId) ? 'sold' : 'free';
    const state = states.get(seat.seatId);
    states.delete(seat.seatId);
    const redisView = state === undefined ? 'missing' : seatView(state);
    if (redisView === 'missing' || (redisView === 'sold') !== (postgres === 'sold')) {
      mismatches.push({ seatId: seat.seatId, redis: redisView, postgres });
    }
    bump(`${pool}:total`);
    if (state === 'sold') bump(`${pool}:sold`);
    if (state === 'held' || state === 'held_expired') bump(`${pool}:held`);
    expected.set(`${pool}:held`, expected.get(`${pool}:held`) ?? 0);
    expected.set(`${pool}:sold`, expected.get(`${pool}:sold`) ?? 0);
  }
  for (const [seatId, state] of states) {
    const redisView = state === 'held_expired' ? 'free' : state.replace('unknown_', '');
    mismatches.push({ seatId, redis: redisView, postgres: 'missing' });
  }

  const countMismatches: CountMismatch[] = [];
  for (const counter of new Set([...expected.keys(), ...counts.keys()])) {
    const want = expected.get(counter) ?? 0;
    const have = counts.get(counter) ?? 0;
    if (want !== have) countMismatches.push({ counter, redis: have, expected: want });
  }
  mismatches.sort((a, b) => a.seatId - b.seatId);
  countMismatches.sort((a, b) => a.counter.localeCompare(b.counter));
  return { mismatches, countMismatches };
}
