// Base fare of a class on a train's full run. Real fares depend on distance
// between the boarding and alighting stations; the sale sells end to end.
import { sql } from 'drizzle-orm';
import { check, integer, pgTable, primaryKey, text } from 'drizzle-orm/pg-core';
import { trains } from './trains.ts';
import { classCodes, isOneOf } from './vocabulary.ts';

export const fares = pgTable(
  'fares',
  {
    trainNumber: text('train_number')
      .notNull()
      .references(() => trains.number),
    classCode: text('class_code', { enum: classCodes }).notNull(),
    baseFarePaise: integer('base_fare_paise').notNull(),
  },
  (t) => [
    primaryKey({ name: 'fares_pk', columns: [t.trainNumber, t.classCode] }),
    check('fares_class_code_check', isOneOf(t.classCode, classCodes)),
    check('fares_base_fare_paise_check', sql`${t.baseFarePaise} > 0`),
  ],
);

export type Fare = typeof fares.$inferSelect;
export type NewFare = typeof fares.$inferInsert;
