// PostgreSQL's truth about a journey's seats: every seat row, and which seats have a live
// assignment (PENDING or CONFIRMED). The inventory is built from this and nothing else.
import type { Database } from '@tatkal/drizzle';
import {
  coaches,
  liveSeatAssignmentStatuses,
  seatAssignments,
  seats,
} from '@tatkal/drizzle/schema';
import { and, asc, eq, inArray } from 'drizzle-orm';
import type { SeatRef } from './types.ts';

export interface JourneyTruth {
  /** Every seat of the journey, in allocation order: class, quota, coach position, berth. */
  seats: SeatRef[];
  /** Seats with a live assignment. */
  sold: Set<number>;
}

export async function readJourneyTruth(db: Database, journeyId: number): Promise<JourneyTruth> {
  // One snapshot for both reads, so no assignment is seen without its seat or the reverse.
  return db.transaction(
    async (tx) => {
      const rows = await tx
        .select({
          seatId: seats.id,
          coach: coaches.code,
          berthNumber: seats.berthNumber,
          berthType: seats.berthType,
          classCode: seats.classCode,
          quota: seats.quota,
        })
        .from(seats)
        .innerJoin(coaches, eq(coaches.id, seats.coachId))
        .where(eq(seats.journeyId, journeyId))
        .orderBy(
          asc(seats.classCode),
          asc(seats.quota),
          asc(coaches.position),
          asc(seats.berthNumber),
        );
      const live = await tx
        .selectDistinct({ seatId: seatAssignments.seatId })
        .from(seatAssignments)
        .where(
          and(
            eq(seatAssignments.journeyId, journeyId),
            inArray(seatAssignments.status, [...liveSeatAssignmentStatuses]),
          ),
        );
      return { seats: rows, sold: new Set(live.map((row) => row.seatId)) };
    },
    { isolationLevel: 'repeatable read', accessMode: 'read only' },
  );
}
