// What a booking page shows about a journey before anything is held: the train, its route and
// date, and the classes its coaches carry. Read from PostgreSQL; a journey's rows never change
// once it is on sale, so each process keeps what it read.
import type { Database } from '@tatkal/drizzle';
import * as schema from '@tatkal/drizzle/schema';
import { Problem } from '@tatkal/waiting-room/service';
import { asc, eq } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';

export interface JourneyDetails {
  journeyId: number;
  train: { number: string; name: string };
  from: { code: string; name: string };
  to: { code: string; name: string };
  /** The Indian date the train leaves its origin (YYYY-MM-DD). */
  travelDate: string;
  departsAt: string;
  /** Coaches per class, in rake order. */
  classes: Array<{ classCode: string; coaches: string[] }>;
}

const cached = new WeakMap<Database, Map<number, JourneyDetails>>();
const cacheMax = 1_000;

export const journeyNotFound = (journeyId: number) =>
  new Problem({
    status: 404,
    code: 'journey_not_found',
    title: 'No such journey',
    detail: `There is no journey ${journeyId}.`,
  });

export async function readJourneyDetails(db: Database, journeyId: number): Promise<JourneyDetails> {
  let journeys = cached.get(db);
  if (!journeys) {
    journeys = new Map();
    cached.set(db, journeys);
  }
  const known = journeys.get(journeyId);
  if (known) return known;
  const from = alias(schema.stations, 'from_station');
  const to = alias(schema.stations, 'to_station');
  const [row] = await db
    .select({
      journeyId: schema.journeys.id,
      trainNumber: schema.trains.number,
      trainName: schema.trains.name,
      fromCode: from.code,
      fromName: from.name,
      toCode: to.code,
      toName: to.name,
      travelDate: schema.journeys.travelDate,
      departsAt: schema.journeys.departsAt,
    })
    .from(schema.journeys)
    .innerJoin(schema.trains, eq(schema.trains.number, schema.journeys.trainNumber))
    .innerJoin(from, eq(from.code, schema.trains.fromStationCode))
    .innerJoin(to, eq(to.code, schema.trains.toStationCode))
    .where(eq(schema.journeys.id, journeyId));
  if (!row) throw journeyNotFound(journeyId);
  const rake = await db
    .select({ code: schema.coaches.code, classCode: schema.coaches.classCode })
    .from(schema.coaches)
    .where(eq(schema.coaches.trainNumber, row.trainNumber))
    .orderBy(asc(schema.coaches.position));
  const classes = new Map<string, string[]>();
  for (const coach of rake)
    classes.set(coach.classCode, [...(classes.get(coach.classCode) ?? []), coach.code]);
  const details: JourneyDetails = {
    journeyId: row.journeyId,
    train: { number: row.trainNumber, name: row.trainName },
    from: { code: row.fromCode, name: row.fromName },
    to: { code: row.toCode, name: row.toName },
    travelDate: row.travelDate,
    departsAt: row.departsAt.toISOString(),
    classes: [...classes].map(([classCode, coaches]) => ({ classCode, coaches })),
  };
  if (journeys.size >= cacheMax) journeys.clear();
  journeys.set(journeyId, details);
  return details;
}
