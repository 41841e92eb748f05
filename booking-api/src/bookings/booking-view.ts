// A booking as callers see it: row, passengers, seats and fare breakdown.
import {
  type Booking,
  bookings,
  coaches,
  passengers,
  seatAssignments,
  seats,
} from '@tatkal/drizzle';
import type { BerthType, Gender, SeatAssignmentStatus } from '@tatkal/drizzle/schema';
import { desc, eq } from 'drizzle-orm';
import type { Executor } from '../domain/index.ts';
import type { FareBreakdown } from '../fares/index.ts';

export interface SeatPlacement {
  seatId: number;
  coach: string;
  berthNumber: number;
  berthType: BerthType;
  passengerOrdinal: number;
}

export interface BookedSeat extends SeatPlacement {
  /** PENDING or CONFIRMED while the seat is held; EXPIRED or CANCELLED once it went back. */
  status: SeatAssignmentStatus;
}

export interface BookingView {
  bookingId: number;
  pnr: string;
  journeyId: number;
  roomId: string | null;
  subject: string;
  classCode: Booking['classCode'];
  quota: Booking['quota'];
  status: Booking['status'];
  waitlistNumber: number | null;
  holdId: string | null;
  amount: FareBreakdown;
  expiresAt: Date | null;
  createdAt: Date;
  confirmedAt: Date | null;
  cancelledAt: Date | null;
  passengers: Array<{
    ordinal: number;
    name: string;
    age: number;
    gender: Gender;
    berthPreference: BerthType | null;
  }>;
  /** Each passenger's latest seat, in passenger order; none while waitlisted. */
  seats: BookedSeat[];
}

export function fareOf(row: Booking): FareBreakdown {
  return {
    baseFarePaise: row.baseFarePaise,
    tatkalChargePaise: row.tatkalChargePaise,
    premiumSurchargePaise: row.premiumSurchargePaise,
    totalPaise: row.totalPaise,
  };
}

export type BookingKey = { id: number } | { pnr: string } | { holdId: string };

function whereKey(key: BookingKey) {
  if ('id' in key) return eq(bookings.id, key.id);
  if ('pnr' in key) return eq(bookings.pnr, key.pnr);
  return eq(bookings.holdId, key.holdId);
}

export async function loadBookingView(
  db: Executor,
  key: BookingKey,
): Promise<BookingView | undefined> {
  const [row] = await db.select().from(bookings).where(whereKey(key));
  if (!row) return undefined;
  // One query after another: inside a transaction they share one connection.
  const people = await db
    .select({
      ordinal: passengers.ordinal,
      name: passengers.name,
      age: passengers.age,
      gender: passengers.gender,
      berthPreference: passengers.berthPreference,
    })
    .from(passengers)
    .where(eq(passengers.bookingId, row.id))
    .orderBy(passengers.ordinal);
  const latestSeats = await db
    .selectDistinctOn([seatAssignments.passengerId], {
      seatId: seatAssignments.seatId,
      status: seatAssignments.status,
      coach: coaches.code,
      berthNumber: seats.berthNumber,
      berthType: seats.berthType,
      passengerOrdinal: passengers.ordinal,
    })
    .from(seatAssignments)
    .innerJoin(seats, eq(seats.id, seatAssignments.seatId))
    .innerJoin(coaches, eq(coaches.id, seats.coachId))
    .innerJoin(passengers, eq(passengers.id, seatAssignments.passengerId))
    .where(eq(seatAssignments.bookingId, row.id))
    .orderBy(seatAssignments.passengerId, desc(seatAssignments.id));
  return {
    bookingId: row.id,
    pnr: row.pnr,
    journeyId: row.journeyId,
    roomId: row.roomId,
    subject: row.subject,
    classCode: row.classCode,
    quota: row.quota,
    status: row.status,
    waitlistNumber: row.waitlistNumber,
    holdId: row.holdId,
    amount: fareOf(row),
    expiresAt: row.expiresAt,
    createdAt: row.createdAt,
    confirmedAt: row.confirmedAt,
    cancelledAt: row.cancelledAt,
    passengers: people,
    seats: latestSeats.sort((a, b) => a.passengerOrdinal - b.passengerOrdinal),
  };
}
