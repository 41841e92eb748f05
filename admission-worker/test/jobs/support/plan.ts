// The prepared set most job tests start from, on one journey: 2A Tatkal sold out (4 confirmed
// and 8 unpaid-and-due bookings of two seats), a waitlist of 12 parties behind it.
import { expect } from 'vitest';
import { confirmedBooking, unpaidBooking, waitlisted } from './bookings.ts';
import type { WaitlistEntryPlan } from './checks.ts';
import type { JobsWorld } from './world.ts';

// 16 returned seats take exactly the first ten (1+2+1+3+2+1+2+1+1+2); the party of three at
// number 11 must not be overtaken by the party of one behind it.
export const parties = [1, 2, 1, 3, 2, 1, 2, 1, 1, 2, 3, 1];
export const promotedCount = 10;

export interface SoldOutPlan {
  journeyId: number;
  confirmed: number[];
  due: number[];
  queue: WaitlistEntryPlan[];
}

export async function soldOutWithWaitlist(
  world: JobsWorld,
  journeyId: number,
): Promise<SoldOutPlan> {
  const seats = await world.seatIds('2A', 'TQ', journeyId);
  expect(seats).toHaveLength(24);
  const confirmed: number[] = [];
  for (let i = 0; i < 4; i++) {
    const pair = seats.slice(i * 2, i * 2 + 2);
    confirmed.push((await confirmedBooking(world, '2A', pair, journeyId)).bookingId);
  }
  const due: number[] = [];
  for (let i = 4; i < 12; i++) {
    const pair = seats.slice(i * 2, i * 2 + 2);
    due.push((await unpaidBooking(world, '2A', pair, { dueAgoMs: 5_000, journeyId })).bookingId);
  }
  const queue: WaitlistEntryPlan[] = [];
  for (const party of parties) {
    const entry = await waitlisted(world, '2A', party, journeyId);
    queue.push({ bookingId: entry.bookingId, waitlistNumber: entry.waitlistNumber, party });
  }
  return { journeyId, confirmed, due, queue };
}
