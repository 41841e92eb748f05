// A booker reads their PNR: passengers, seats and the fare breakdown.
import { z } from 'zod';
import { BookingNotFound, NotYourBooking } from '../domain/index.ts';
import { type BookingView, loadBookingView } from './booking-view.ts';
import type { BookingDeps } from './create-booking.ts';
import { parseInput } from './validation.ts';

const getBookingSchema = z.object({
  pnr: z.string().regex(/^[0-9]{10}$/, 'must be 10 digits'),
  subject: z.string().min(1).max(200),
});

export async function getBooking(
  deps: Pick<BookingDeps, 'db'>,
  input: { pnr: string; subject: string },
): Promise<BookingView> {
  const { pnr, subject } = parseInput(getBookingSchema, input);
  const view = await loadBookingView(deps.db, { pnr });
  if (!view) throw new BookingNotFound(`PNR ${pnr}`);
  if (view.subject !== subject) throw new NotYourBooking(pnr);
  return view;
}
