// The coach map of one class and quota: every seat with its coach, berth and whether it is free,
// held or sold right now. Seat rows come from PostgreSQL (they never change, so each process
// keeps them); their states from the Redis inventory in one atomic read. A seat whose hold is
// over reads free, as it is to anyone who holds it now.
import type { Database } from '@tatkal/drizzle';
import * as schema from '@tatkal/drizzle/schema';
import { and, asc, eq } from 'drizzle-orm';
import type { BookingApiDeps } from '../deps.ts';
import { type BerthType, readRawSnapshot, type SnapshotState } from '../inventory/index.ts';
import { withInventory } from './journeys.ts';

export type MapSeatState = 'free' | 'held' | 'sold';

export interface MapSeat {
  seatId: number;
  coach: string;
  berthNumber: number;
  berthType: BerthType;
  state: MapSeatState;
}

export interface SeatMap {
  journeyId: number;
  classCode: string;
  quota: string;
  /** Coaches in rake order, each with its seats of this quota in berth order. */
  coaches: Array<{ coach: string; seats: MapSeat[] }>;
}

type SeatRow = Omit<MapSeat, 'state'>;

const rowsCache = new WeakMap<Database, Map<string, SeatRow[]>>();
const cacheMax = 1_000;

async function seatRows(
  db: Database,
  journeyId: number,
  classCode: schema.ClassCode,
  quota: schema.Quota,
): Promise<SeatRow[]> {
  let byPool = rowsCache.get(db);
  if (!byPool) {
    byPool = new Map();
    rowsCache.set(db, byPool);
  }
  const key = `${journeyId}|${classCode}|${quota}`;
  const known = byPool.get(key);
  if (known) return known;
  const rows = await db
    .select({
      seatId: schema.seats.id,
      coach: schema.coaches.code,
      berthNumber: schema.seats.berthNumber,
      berthType: schema.seats.berthType,
    })
    .from(schema.seats)
    .innerJoin(schema.coaches, eq(schema.coaches.id, schema.seats.coachId))
    .where(
      and(
        eq(schema.seats.journeyId, journeyId),
        eq(schema.seats.classCode, classCode),
        eq(schema.seats.quota, quota),
      ),
    )
    .orderBy(asc(schema.coaches.position), asc(schema.seats.berthNumber));
  if (byPool.size >= cacheMax) byPool.clear();
  byPool.set(key, rows);
  return rows;
}

function mapState(state: SnapshotState | undefined): MapSeatState {
  if (state === 'free' || state === 'held_expired') return 'free';
  if (state === 'held' || state === 'unknown_held') return 'held';
  // Sold, or a seat the inventory does not know: never offer it.
  return 'sold';
}

export async function readSeatMap(
  deps: BookingApiDeps,
  input: { journeyId: number; classCode: schema.ClassCode; quota: schema.Quota },
): Promise<SeatMap> {
  await withInventory(deps, input.journeyId);
  const rows = await seatRows(deps.db.db, input.journeyId, input.classCode, input.quota);
  const { states } = await readRawSnapshot(deps.redis, deps.prefix, input.journeyId, deps.now());
  const coaches = new Map<string, MapSeat[]>();
  for (const row of rows) {
    const seat = { ...row, state: mapState(states.get(row.seatId)) };
    coaches.set(row.coach, [...(coaches.get(row.coach) ?? []), seat]);
  }
  return {
    journeyId: input.journeyId,
    classCode: input.classCode,
    quota: input.quota,
    coaches: [...coaches].map(([coach, seats]) => ({ coach, seats })),
  };
}
