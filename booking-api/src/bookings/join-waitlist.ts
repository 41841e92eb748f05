// A Tatkal booker who found no seat joins the waitlist of the class: a
// WAITLISTED PNR with the next number of its (journey, class, quota) queue,
// priced like the booking it will become. Premium Tatkal has no waitlist.

import { bookings } from '@tatkal/drizzle';
import type { BookingStatus } from '@tatkal/drizzle/schema';
import { and, eq, max } from 'drizzle-orm';
import { WaitlistNotOffered } from '../domain/index.ts';
import { type FareBreakdown, loadFareTable, priceFare } from '../fares/index.ts';
import { insertBooking, insertPassengers } from './booking-rows.ts';
import type { BookingDeps } from './create-booking.ts';
import { lockTatkalSubject, lockWaitlistQueue } from './locks.ts';
import {
  checkSaleWindow,
  defaultTatkalLimit,
  enforceTatkalLimit,
  journeyTrain,
} from './sale-rules.ts';
import { type JoinWaitlistInput, joinWaitlistSchema, parseInput } from './validation.ts';

/** Switches for concurrency tests only. */
export interface JoinWaitlistTesting {
  /** false skips the queue's advisory lock, so two joins can draw the same number. */
  lockQueue?: boolean;
  afterNumberDrawn?: () => Promise<void>;
}

export interface WaitlistEntry {
  bookingId: number;
  pnr: string;
  status: Extract<BookingStatus, 'WAITLISTED'>;
  waitlistNumber: number;
  amount: FareBreakdown;
}

export async function joinWaitlist(
  deps: BookingDeps,
  input: JoinWaitlistInput,
  testing: JoinWaitlistTesting = {},
): Promise<WaitlistEntry> {
  const valid = parseInput(joinWaitlistSchema, input);
  if (valid.quota !== 'TQ') throw new WaitlistNotOffered(valid.quota);
  return deps.db.transaction(async (tx) => {
    const trainNumber = await journeyTrain(tx, valid.journeyId);
    await checkSaleWindow(tx, valid);
    // Lock order: subject, then the waitlist queue (see locks.ts).
    await lockTatkalSubject(tx, valid);
    await enforceTatkalLimit(tx, valid, deps.tatkalLimit ?? defaultTatkalLimit);
    if (testing.lockQueue !== false) await lockWaitlistQueue(tx, valid);
    const [last] = await tx
      .select({ number: max(bookings.waitlistNumber) })
      .from(bookings)
      .where(
        and(
          eq(bookings.journeyId, valid.journeyId),
          eq(bookings.classCode, valid.classCode),
          eq(bookings.quota, valid.quota),
        ),
      );
    const waitlistNumber = (last?.number ?? 0) + 1;
    await testing.afterNumberDrawn?.();
    const amount = priceFare(await loadFareTable(tx, trainNumber), {
      trainNumber,
      classCode: valid.classCode,
      quota: valid.quota,
      passengers: valid.passengers.length,
    });
    const booking = await insertBooking(tx, {
      journeyId: valid.journeyId,
      roomId: valid.roomId,
      subject: valid.subject,
      classCode: valid.classCode,
      quota: valid.quota,
      status: 'WAITLISTED',
      ...amount,
      waitlistNumber,
      tokenJti: valid.tokenJti,
    });
    await insertPassengers(tx, booking.id, valid.passengers);
    return {
      bookingId: booking.id,
      pnr: booking.pnr,
      status: 'WAITLISTED' as const,
      waitlistNumber,
      amount,
    };
  });
}
