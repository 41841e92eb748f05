// Inventory: one row per berth per journey. Rows are created when a journey
// opens for sale and never deleted; whether a seat is taken is decided by
// seat_assignments, not by a flag here.
import { sql } from 'drizzle-orm';
import {
  bigint,
  check,
  foreignKey,
  index,
  integer,
  pgTable,
  text,
  unique,
} from 'drizzle-orm/pg-core';
import { coaches } from './coaches.ts';
import { journeys } from './journeys.ts';
import { berthTypes, classCodes, isOneOf, quotas } from './vocabulary.ts';

export const seats = pgTable(
  'seats',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    journeyId: integer('journey_id').notNull(),
    // Repeated from the journey and coach so composite keys can prove they agree.
    trainNumber: text('train_number').notNull(),
    coachId: integer('coach_id').notNull(),
    classCode: text('class_code', { enum: classCodes }).notNull(),
    berthNumber: integer('berth_number').notNull(),
    berthType: text('berth_type', { enum: berthTypes }).notNull(),
    quota: text('quota', { enum: quotas }).notNull(),
  },
  (t) => [
    foreignKey({
      name: 'seats_journey_train_fk',
      columns: [t.journeyId, t.trainNumber],
      foreignColumns: [journeys.id, journeys.trainNumber],
    }),
    foreignKey({
      name: 'seats_coach_train_class_fk',
      columns: [t.coachId, t.trainNumber, t.classCode],
      foreignColumns: [coaches.id, coaches.trainNumber, coaches.classCode],
    }),
    unique('seats_journey_coach_berth_uniq').on(t.journeyId, t.coachId, t.berthNumber),
    // Target of seat_assignments' composite key: an assignment's seat is on its journey.
    unique('seats_id_journey_uniq').on(t.id, t.journeyId),
    index('seats_journey_class_quota_idx').on(t.journeyId, t.classCode, t.quota),
    check('seats_berth_number_check', sql`${t.berthNumber} between 1 and 80`),
    check('seats_berth_type_check', isOneOf(t.berthType, berthTypes)),
    check('seats_class_code_check', isOneOf(t.classCode, classCodes)),
    check('seats_quota_check', isOneOf(t.quota, quotas)),
    // First AC has cabins of lower and upper berths only; 2A has no middle berths.
    check(
      'seats_berth_type_fits_class_check',
      sql`(${t.classCode} <> '1A' or ${t.berthType} in ('LB', 'UB')) and (${t.classCode} <> '2A' or ${t.berthType} <> 'MB')`,
    ),
  ],
);

export type Seat = typeof seats.$inferSelect;
export type NewSeat = typeof seats.$inferInsert;
