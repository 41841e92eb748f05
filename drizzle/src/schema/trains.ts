import { sql } from 'drizzle-orm';
import { check, pgTable, text } from 'drizzle-orm/pg-core';
import { stations } from './stations.ts';

export const trains = pgTable(
  'trains',
  {
    // Five digits, kept as text: '02951' is a different train from '2951'.
    number: text('number').primaryKey(),
    name: text('name').notNull(),
    fromStationCode: text('from_station_code')
      .notNull()
      .references(() => stations.code),
    toStationCode: text('to_station_code')
      .notNull()
      .references(() => stations.code),
  },
  (t) => [
    check('trains_number_check', sql`${t.number} ~ '^[0-9]{5}$'`),
    check('trains_name_check', sql`char_length(${t.name}) between 1 and 80`),
    check('trains_distinct_ends_check', sql`${t.fromStationCode} <> ${t.toStationCode}`),
  ],
);

export type Train = typeof trains.$inferSelect;
export type NewTrain = typeof trains.$inferInsert;
