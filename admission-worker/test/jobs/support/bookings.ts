// Bookings in the states the jobs act on, made through the booking API's own verbs: unpaid
// past their window, confirmed, waitlisted, cancelled. Room null: no sale window applies, so
// a booking can be made "in the past" and be due for expiry now.
import { randomUUID } from 'node:crypto';
import {
  type BookingCommit,
  cancelBooking,
  confirmPayment,
  createBooking,
  joinWaitlist,
  type WaitlistEntry,
} from '@tatkal/booking-api/bookings';
import { holdSeats } from '@tatkal/booking-api/inventory';
import type { ClassCode } from '@tatkal/drizzle/schema';
import type { JobsWorld } from './world.ts';

let counter = 0;
const subject = (kind: string) => `${kind}-${process.pid}-${++counter}-${randomUUID().slice(0, 8)}`;

const passengers = (n: number) =>
  Array.from({ length: n }, (_, i) => ({
    name: `Passenger ${i + 1}`,
    age: 30 + i,
    gender: i % 2 === 0 ? ('F' as const) : ('M' as const),
    berthPreference: null,
  }));

/** A TQ booking of `seatIds`, PENDING_PAYMENT, whose window closed `agoMs` before now when dueAgoMs is set. */
export async function unpaidBooking(
  world: JobsWorld,
  classCode: ClassCode,
  seatIds: number[],
  options: { dueAgoMs?: number; journeyId?: number } = {},
): Promise<BookingCommit> {
  const windowMs = 60_000;
  const nowMs =
    options.dueAgoMs === undefined ? Date.now() : Date.now() - options.dueAgoMs - windowMs;
  return createBooking(
    { db: world.db.db },
    {
      journeyId: options.journeyId ?? world.journeyId,
      roomId: null,
      subject: subject('unpaid'),
      tokenJti: randomUUID(),
      classCode,
      quota: 'TQ',
      seatIds,
      holdId: `hold-${randomUUID()}`,
      passengers: passengers(seatIds.length),
      paymentWindowMs: windowMs,
      nowMs,
    },
  );
}

export async function confirmedBooking(
  world: JobsWorld,
  classCode: ClassCode,
  seatIds: number[],
  journeyId?: number,
): Promise<BookingCommit> {
  const booking = await unpaidBooking(world, classCode, seatIds, journeyId ? { journeyId } : {});
  await confirmPayment(
    { db: world.db.db },
    {
      bookingId: booking.bookingId,
      paymentRef: `pay-${booking.bookingId}`,
      amountPaise: booking.amount.totalPaise,
      nowMs: Date.now(),
    },
  );
  return booking;
}

export async function waitlisted(
  world: JobsWorld,
  classCode: ClassCode,
  party: number,
  journeyId?: number,
): Promise<WaitlistEntry> {
  return joinWaitlist(
    { db: world.db.db },
    {
      journeyId: journeyId ?? world.journeyId,
      roomId: null,
      subject: subject('wl'),
      tokenJti: null,
      classCode,
      quota: 'TQ',
      passengers: passengers(party),
      nowMs: Date.now(),
    },
  );
}

/** A waitlisted PNR given up before promotion (no seats move; one 'cancelled' event). */
export async function cancelledWaitlist(world: JobsWorld, classCode: ClassCode) {
  const entry = await joinWaitlist(
    { db: world.db.db },
    {
      journeyId: world.journeyId,
      roomId: null,
      subject: 'cancel-me',
      tokenJti: null,
      classCode,
      quota: 'TQ',
      passengers: passengers(1),
      nowMs: Date.now(),
    },
  );
  await cancelBooking(
    { db: world.db.db },
    { pnr: entry.pnr, subject: 'cancel-me', nowMs: Date.now() },
  );
  return entry;
}

/** A shopper holds these seats in Redis right now (for ten minutes); resolves to the hold id. */
export async function shopperHolds(
  world: JobsWorld,
  journeyId: number,
  seatIds: number[],
): Promise<string> {
  const held = await holdSeats(world.redis, world.prefix, {
    journeyId,
    request: { kind: 'seats', seatIds },
    holder: { subject: subject('shopper'), tokenJti: randomUUID() },
    ttlMs: 600_000,
    nowMs: Date.now(),
  });
  if (!held.ok) throw new Error(held.reason);
  return held.holdId;
}
