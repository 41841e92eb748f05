// The seats a named-seat visitor picks from. The booking API has no seat map endpoint yet, so
// the harness reads the journey's seats from PostgreSQL (the source of truth) before the run,
// as a booking page would show them, and hands the scenario a file. Seats someone else holds or
// bought are refused with 409 seat_unavailable: that refusal is part of the journey.
import { readFileSync, writeFileSync } from 'node:fs';
import type { TokenScope } from './tokens.ts';

export interface MappedSeat {
  seatId: number;
  classCode: string;
  quota: string;
}

export interface SeatMap {
  journeyId: number;
  seats: MappedSeat[];
}

interface Queryable {
  query<R>(text: string, values: unknown[]): Promise<{ rows: R[] }>;
}

/** Every seat of the journey in the given quotas, written to `file` for the scenario. */
export async function writeSeatMap(
  db: Queryable,
  journeyId: number,
  quotas: readonly string[],
  file: string,
): Promise<SeatMap> {
  const { rows } = await db.query<{ seat_id: number; class_code: string; quota: string }>(
    `select id as seat_id, class_code, quota from seats
      where journey_id = $1 and quota = any($2::text[]) order by id`,
    [journeyId, quotas],
  );
  const map: SeatMap = {
    journeyId,
    seats: rows.map((row) => ({
      seatId: Number(row.seat_id),
      classCode: row.class_code,
      quota: row.quota,
    })),
  };
  writeFileSync(file, JSON.stringify(map));
  return map;
}

export function readSeatMap(file: string): SeatMap {
  const map = JSON.parse(readFileSync(file, 'utf8')) as SeatMap;
  if (typeof map.journeyId !== 'number' || !Array.isArray(map.seats)) {
    throw new Error(`${file} is not a seat map`);
  }
  return map;
}

/** `count` distinct seats of one class and quota the token covers, or none if too few exist. */
export function pickSeats(
  map: SeatMap,
  scope: TokenScope,
  classCode: string,
  quota: string,
  count: number,
  random: () => number = Math.random,
): number[] {
  if (map.journeyId !== scope.journeyId) return [];
  const pool = map.seats.filter((seat) => seat.classCode === classCode && seat.quota === quota);
  const chosen = new Set<number>();
  while (chosen.size < Math.min(count, pool.length)) {
    const seat = pool[Math.floor(random() * pool.length)];
    if (seat) chosen.add(seat.seatId);
  }
  return chosen.size === count ? [...chosen] : [];
}
