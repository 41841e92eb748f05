// A journey is one run of a train from its origin on one date; seats are sold per journey.
import { sql } from 'drizzle-orm';
import { check, date, integer, pgTable, text, timestamp, unique } from 'drizzle-orm/pg-core';
import { trains } from './trains.ts';

export const journeys = pgTable(
  'journeys',
  {
    id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
    trainNumber: text('train_number')
      .notNull()
      .references(() => trains.number),
    // The Indian date the train leaves its origin; Tatkal opens the day before.
    travelDate: date('travel_date').notNull(),
    departsAt: timestamp('departs_at', { withTimezone: true }).notNull(),
  },
  (t) => [
    unique('journeys_train_date_uniq').on(t.trainNumber, t.travelDate),
    // Target of seats' composite key: a seat's coach must belong to the journey's train.
    unique('journeys_id_train_uniq').on(t.id, t.trainNumber),
    // India has one time zone and no DST, so this is a fixed, exact rule.
    check(
      'journeys_departs_on_travel_date_check',
      sql`(${t.departsAt} at time zone 'Asia/Kolkata')::date = ${t.travelDate}`,
    ),
  ],
);

export type Journey = typeof journeys.$inferSelect;
export type NewJourney = typeof journeys.$inferInsert;
