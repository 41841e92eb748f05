// Booking verbs, transport-free: the HTTP routes and the admission worker call these.
export { auditBookings, type Violation, type ViolationKind } from './audit-bookings.ts';
export { matchBerths, type Placement } from './berth-matching.ts';
export type { BookedSeat, BookingView, SeatPlacement } from './booking-view.ts';
export { type CancelOutcome, cancelBooking } from './cancel-booking.ts';
export {
  type ConfirmPaymentInput,
  type ConfirmPaymentTesting,
  confirmPayment,
  type PaymentOutcome,
} from './confirm-payment.ts';
export {
  type BookingCommit,
  type BookingDeps,
  type CreateBookingTesting,
  createBooking,
  findBookedHold,
} from './create-booking.ts';
export {
  type ExpireBookingResult,
  type ExpiredBooking,
  expireBooking,
  expireUnpaidBookings,
} from './expire-unpaid-bookings.ts';
export { getBooking } from './get-booking.ts';
export { type JoinWaitlistTesting, joinWaitlist, type WaitlistEntry } from './join-waitlist.ts';
export { generatePnr } from './pnr.ts';
export {
  type PromotedBooking,
  type PromoteWaitlistInput,
  type PromoteWaitlistTesting,
  type PromotionResult,
  promoteWaitlist,
} from './promote-waitlist.ts';
export { defaultTatkalLimit } from './sale-rules.ts';
export type { SeatLocking } from './seat-rows.ts';
export {
  type CreateBookingInput,
  type JoinWaitlistInput,
  maxPassengers,
  type PassengerInput,
} from './validation.ts';
