// Which passenger holds which seat. Rows are never reused: a released seat
// gets its assignment moved to CANCELLED or EXPIRED and a new row for the next
// booking, so the history of every berth stays readable.
import {
  bigint,
  check,
  foreignKey,
  index,
  integer,
  pgTable,
  text,
  timestamp,
  uniqueIndex,
} from 'drizzle-orm/pg-core';
import { bookings } from './bookings.ts';
import { passengers } from './passengers.ts';
import { seats } from './seats.ts';
import { isOneOf } from './vocabulary.ts';

export const seatAssignmentStatuses = ['PENDING', 'CONFIRMED', 'CANCELLED', 'EXPIRED'] as const;
export type SeatAssignmentStatus = (typeof seatAssignmentStatuses)[number];

/** Statuses that occupy the seat. */
export const liveSeatAssignmentStatuses = ['PENDING', 'CONFIRMED'] as const;

/**
 * The last safety net against selling a berth twice. A unique violation
 * (23505) naming this index means the seat was already taken.
 */
export const liveSeatIndexName = 'seat_assignments_live_seat_uidx';

export const seatAssignments = pgTable(
  'seat_assignments',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    bookingId: bigint('booking_id', { mode: 'number' }).notNull(),
    passengerId: bigint('passenger_id', { mode: 'number' }).notNull(),
    journeyId: integer('journey_id').notNull(),
    seatId: bigint('seat_id', { mode: 'number' }).notNull(),
    status: text('status', { enum: seatAssignmentStatuses }).notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true })
      .notNull()
      .defaultNow()
      .$onUpdate(() => new Date()),
  },
  (t) => [
    // The three composite keys make it impossible to seat a passenger of one
    // booking on another journey's seat, or under another booking.
    foreignKey({
      name: 'seat_assignments_booking_journey_fk',
      columns: [t.bookingId, t.journeyId],
      foreignColumns: [bookings.id, bookings.journeyId],
    }).onDelete('cascade'),
    foreignKey({
      name: 'seat_assignments_passenger_booking_fk',
      columns: [t.passengerId, t.bookingId],
      foreignColumns: [passengers.id, passengers.bookingId],
    }).onDelete('cascade'),
    foreignKey({
      name: 'seat_assignments_seat_journey_fk',
      columns: [t.seatId, t.journeyId],
      foreignColumns: [seats.id, seats.journeyId],
    }),
    uniqueIndex(liveSeatIndexName)
      .on(t.journeyId, t.seatId)
      .where(isOneOf(t.status, liveSeatAssignmentStatuses)),
    // A passenger occupies one berth at a time.
    uniqueIndex('seat_assignments_live_passenger_uidx')
      .on(t.passengerId)
      .where(isOneOf(t.status, liveSeatAssignmentStatuses)),
    index('seat_assignments_booking_idx').on(t.bookingId),
    check('seat_assignments_status_check', isOneOf(t.status, seatAssignmentStatuses)),
  ],
);

export type SeatAssignment = typeof seatAssignments.$inferSelect;
export type NewSeatAssignment = typeof seatAssignments.$inferInsert;
