import { sql } from 'drizzle-orm';
import { check, pgTable, text } from 'drizzle-orm/pg-core';

export const stations = pgTable(
  'stations',
  {
    // Indian Railways station codes are 1 to 5 capitals ('R' is Raipur, 'NDLS' New Delhi).
    code: text('code').primaryKey(),
    name: text('name').notNull(),
  },
  (t) => [
    check('stations_code_check', sql`${t.code} ~ '^[A-Z]{1,5}$'`),
    check('stations_name_check', sql`char_length(${t.name}) between 1 and 80`),
  ],
);

export type Station = typeof stations.$inferSelect;
export type NewStation = typeof stations.$inferInsert;
