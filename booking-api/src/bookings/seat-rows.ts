// Reading and locking seat rows, and finding which of them are occupied.
import { coaches, seatAssignments, seats } from '@tatkal/drizzle';
import type { BerthType, ClassCode, Quota } from '@tatkal/drizzle/schema';
import { and, eq, inArray } from 'drizzle-orm';
import type { Executor, Transaction } from '../domain/index.ts';

export interface SeatRow {
  seatId: number;
  classCode: ClassCode;
  quota: Quota;
  coach: string;
  berthNumber: number;
  berthType: BerthType;
}

/**
 * How createBooking locks the held seats. Production always uses `id-order`;
 * the others exist so concurrency tests can show what the lock prevents.
 */
export type SeatLocking = 'id-order' | 'as-requested' | 'off';

function selectSeats(db: Executor, journeyId: number, seatIds: readonly number[]) {
  return db
    .select({
      seatId: seats.id,
      classCode: seats.classCode,
      quota: seats.quota,
      coach: coaches.code,
      berthNumber: seats.berthNumber,
      berthType: seats.berthType,
    })
    .from(seats)
    .innerJoin(coaches, eq(coaches.id, seats.coachId))
    .where(and(eq(seats.journeyId, journeyId), inArray(seats.id, [...seatIds])))
    .orderBy(seats.id)
    .$dynamic();
}

/**
 * `SELECT … FROM seats WHERE journey_id = $1 AND id IN (…) ORDER BY id FOR
 * UPDATE`: every transaction locks its seats in ascending id order, so two
 * bookings over overlapping seats queue behind each other instead of
 * deadlocking, whatever order the caller listed the seats in.
 */
export async function lockSeats(
  tx: Transaction,
  journeyId: number,
  seatIds: readonly number[],
  locking: SeatLocking = 'id-order',
): Promise<SeatRow[]> {
  if (locking === 'off') return selectSeats(tx, journeyId, seatIds);
  if (locking === 'id-order') {
    return selectSeats(tx, journeyId, seatIds).for('update', { of: seats });
  }
  const rows: SeatRow[] = [];
  for (const seatId of seatIds) {
    rows.push(...(await selectSeats(tx, journeyId, [seatId]).for('update', { of: seats })));
  }
  return rows.sort((a, b) => a.seatId - b.seatId);
}

/** Which of `seatIds` have a live (pending or confirmed) assignment. */
export async function occupiedSeatIds(
  db: Executor,
  journeyId: number,
  seatIds: readonly number[],
): Promise<number[]> {
  if (seatIds.length === 0) return [];
  const rows = await db
    .select({ seatId: seatAssignments.seatId })
    .from(seatAssignments)
    .where(
      and(
        eq(seatAssignments.journeyId, journeyId),
        inArray(seatAssignments.seatId, [...seatIds]),
        inArray(seatAssignments.status, ['PENDING', 'CONFIRMED']),
      ),
    )
    .orderBy(seatAssignments.seatId);
  return [...new Set(rows.map((row) => row.seatId))];
}
