// A coach in a train's composition (rake). Seats of every journey of the
// train point at these rows.
import { sql } from 'drizzle-orm';
import { check, integer, pgTable, text, unique } from 'drizzle-orm/pg-core';
import { trains } from './trains.ts';
import { classCodes, isOneOf } from './vocabulary.ts';

export const coaches = pgTable(
  'coaches',
  {
    id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
    trainNumber: text('train_number')
      .notNull()
      .references(() => trains.number),
    // As painted on the coach: H1 (1A), A1 (2A), B1 (3A), S1 (SL).
    code: text('code').notNull(),
    classCode: text('class_code', { enum: classCodes }).notNull(),
    // Place in the rake from the engine, so berth maps can be drawn in order.
    position: integer('position').notNull(),
  },
  (t) => [
    unique('coaches_train_code_uniq').on(t.trainNumber, t.code),
    unique('coaches_train_position_uniq').on(t.trainNumber, t.position),
    // Target of seats' composite key: a seat's train and class must be its coach's.
    unique('coaches_id_train_class_uniq').on(t.id, t.trainNumber, t.classCode),
    check('coaches_code_check', sql`${t.code} ~ '^[A-Z]{1,2}[0-9]{1,2}$'`),
    check('coaches_class_code_check', isOneOf(t.classCode, classCodes)),
    check('coaches_position_check', sql`${t.position} between 1 and 30`),
  ],
);

export type Coach = typeof coaches.$inferSelect;
export type NewCoach = typeof coaches.$inferInsert;
