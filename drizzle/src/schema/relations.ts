// Relations for drizzle's relational queries (`db.query.bookings.findFirst({ with: ... })`).
// They add no SQL; the foreign keys in the table files are what the database enforces.
import { relations } from 'drizzle-orm';
import { admissionBatches } from './admission-batches.ts';
import { bookings } from './bookings.ts';
import { coaches } from './coaches.ts';
import { journeys } from './journeys.ts';
import { passengers } from './passengers.ts';
import { payments } from './payments.ts';
import { rooms } from './rooms.ts';
import { seatAssignments } from './seat-assignments.ts';
import { seats } from './seats.ts';
import { trains } from './trains.ts';

export const trainsRelations = relations(trains, ({ many }) => ({
  coaches: many(coaches),
  journeys: many(journeys),
}));

export const coachesRelations = relations(coaches, ({ one }) => ({
  train: one(trains, { fields: [coaches.trainNumber], references: [trains.number] }),
}));

export const journeysRelations = relations(journeys, ({ one, many }) => ({
  train: one(trains, { fields: [journeys.trainNumber], references: [trains.number] }),
  seats: many(seats),
  bookings: many(bookings),
}));

export const seatsRelations = relations(seats, ({ one }) => ({
  journey: one(journeys, { fields: [seats.journeyId], references: [journeys.id] }),
  coach: one(coaches, { fields: [seats.coachId], references: [coaches.id] }),
}));

export const roomsRelations = relations(rooms, ({ one, many }) => ({
  journey: one(journeys, { fields: [rooms.journeyId], references: [journeys.id] }),
  admissionBatches: many(admissionBatches),
}));

export const bookingsRelations = relations(bookings, ({ one, many }) => ({
  journey: one(journeys, { fields: [bookings.journeyId], references: [journeys.id] }),
  room: one(rooms, { fields: [bookings.roomId], references: [rooms.id] }),
  passengers: many(passengers),
  seatAssignments: many(seatAssignments),
  payments: many(payments),
}));

export const passengersRelations = relations(passengers, ({ one }) => ({
  booking: one(bookings, { fields: [passengers.bookingId], references: [bookings.id] }),
}));

export const seatAssignmentsRelations = relations(seatAssignments, ({ one }) => ({
  booking: one(bookings, { fields: [seatAssignments.bookingId], references: [bookings.id] }),
  passenger: one(passengers, {
    fields: [seatAssignments.passengerId],
    references: [passengers.id],
  }),
  seat: one(seats, { fields: [seatAssignments.seatId], references: [seats.id] }),
}));

export const paymentsRelations = relations(payments, ({ one }) => ({
  booking: one(bookings, { fields: [payments.bookingId], references: [bookings.id] }),
}));

export const admissionBatchesRelations = relations(admissionBatches, ({ one }) => ({
  room: one(rooms, { fields: [admissionBatches.roomId], references: [rooms.id] }),
}));
