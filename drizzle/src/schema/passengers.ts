import { sql } from 'drizzle-orm';
import { bigint, check, integer, pgTable, text, unique } from 'drizzle-orm/pg-core';
import { bookings } from './bookings.ts';
import { berthTypes, genders, isOneOf } from './vocabulary.ts';

export const passengers = pgTable(
  'passengers',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    bookingId: bigint('booking_id', { mode: 'number' })
      .notNull()
      .references(() => bookings.id, { onDelete: 'cascade' }),
    // Position on the ticket. Six is the railway's per-PNR maximum; the Tatkal
    // limit of four is enforced by the booking API, which knows the quota.
    ordinal: integer('ordinal').notNull(),
    name: text('name').notNull(),
    age: integer('age').notNull(),
    gender: text('gender', { enum: genders }).notNull(),
    berthPreference: text('berth_preference', { enum: berthTypes }),
  },
  (t) => [
    unique('passengers_booking_ordinal_uniq').on(t.bookingId, t.ordinal),
    // Target of seat_assignments' composite key: a passenger's seat is on their own booking.
    unique('passengers_id_booking_uniq').on(t.id, t.bookingId),
    check('passengers_ordinal_check', sql`${t.ordinal} between 1 and 6`),
    check(
      'passengers_name_check',
      sql`char_length(${t.name}) between 1 and 64 and btrim(${t.name}) <> ''`,
    ),
    check('passengers_age_check', sql`${t.age} between 0 and 125`),
    check('passengers_gender_check', isOneOf(t.gender, genders)),
    check(
      'passengers_berth_preference_check',
      sql`${t.berthPreference} is null or ${isOneOf(t.berthPreference, berthTypes)}`,
    ),
  ],
);

export type Passenger = typeof passengers.$inferSelect;
export type NewPassenger = typeof passengers.$inferInsert;
