// The booking domain's shared errors and database error helpers.
export type { Executor, Transaction } from './db.ts';
export { type PgErrorFields, pgErrorOf } from './pg-errors.ts';
export {
  BookingNotFound,
  BookingStateConflict,
  FareNotFound,
  type FieldError,
  HoldAlreadyBooked,
  InvalidInput,
  NotYourBooking,
  PaymentAmountMismatch,
  PaymentRefReused,
  SaleNotOpen,
  SeatUnavailable,
  TatkalLimitReached,
  WaitlistNotOffered,
} from './problems.ts';
