// The train's rake and one journey's berths. Rows that exist are left alone:
// their seats may already be sold, and re-inserting would only burn identity values.
import { and, eq } from 'drizzle-orm';
import type { Database } from '../client.ts';
import { coaches, journeys, type NewSeat, seats } from '../schema/index.ts';
import { coachBerths } from './berth-layouts.ts';
import { demoComposition, demoDepartureTime, demoTrain } from './demo-catalogue.ts';
import { istInstant } from './ist.ts';

export type Transaction = Parameters<Parameters<Database['transaction']>[0]>[0];

export async function ensureJourney(tx: Transaction, travelDate: string) {
  const existing = () =>
    tx
      .select({ id: journeys.id, departsAt: journeys.departsAt })
      .from(journeys)
      .where(and(eq(journeys.trainNumber, demoTrain.number), eq(journeys.travelDate, travelDate)));
  const [found] = await existing();
  if (found) return { ...found, created: false };
  const departsAt = istInstant(travelDate, demoDepartureTime);
  const [inserted] = await tx
    .insert(journeys)
    .values({ trainNumber: demoTrain.number, travelDate, departsAt })
    .onConflictDoNothing()
    .returning({ id: journeys.id, departsAt: journeys.departsAt });
  // A concurrent seed may have inserted it between our select and insert.
  const [row] = inserted ? [inserted] : await existing();
  if (!row) throw new Error(`journey ${demoTrain.number} on ${travelDate} vanished during seeding`);
  return { ...row, created: inserted !== undefined };
}

export async function insertCoaches(tx: Transaction): Promise<number> {
  const existing = await tx
    .select({ code: coaches.code })
    .from(coaches)
    .where(eq(coaches.trainNumber, demoTrain.number));
  const known = new Set(existing.map((coach) => coach.code));
  const missing = demoComposition
    .map((coach, i) => ({ ...coach, trainNumber: demoTrain.number, position: i + 1 }))
    .filter((coach) => !known.has(coach.code));
  if (missing.length === 0) return 0;
  return (await tx.insert(coaches).values(missing).onConflictDoNothing().returning()).length;
}

export async function insertSeats(tx: Transaction, journeyId: number): Promise<number> {
  const rake = await tx.select().from(coaches).where(eq(coaches.trainNumber, demoTrain.number));
  const existing = await tx
    .select({ coachId: seats.coachId, berthNumber: seats.berthNumber })
    .from(seats)
    .where(eq(seats.journeyId, journeyId));
  const known = new Set(existing.map((seat) => `${seat.coachId}/${seat.berthNumber}`));
  const missing: NewSeat[] = rake.flatMap((coach) =>
    coachBerths(coach.classCode)
      .filter((berth) => !known.has(`${coach.id}/${berth.berthNumber}`))
      .map((berth) => ({
        journeyId,
        trainNumber: demoTrain.number,
        coachId: coach.id,
        classCode: coach.classCode,
        ...berth,
      })),
  );
  if (missing.length === 0) return 0;
  const inserted = await tx
    .insert(seats)
    .values(missing)
    .onConflictDoNothing()
    .returning({ id: seats.id });
  return inserted.length;
}
