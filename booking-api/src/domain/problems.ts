// The booking domain's errors. Each is a Problem, so the HTTP layer's one
// onError turns it into problem+json with a stable `code`; verbs throw them and
// callers match on the class (or `code`) without parsing messages.
import { Problem } from '@tatkal/waiting-room/service';

export interface FieldError {
  /** Dotted path of the offending field, as in `passengers.2.age`. */
  path: string;
  message: string;
}

/** 422: the input breaks a rule; nothing was written. */
export class InvalidInput extends Problem {
  readonly errors: readonly FieldError[];

  constructor(errors: readonly FieldError[]) {
    super({
      status: 422,
      code: 'invalid_input',
      title: 'Invalid input',
      detail: `The booking request is not valid: ${errors
        .map((error) => `${error.path || '(root)'} ${error.message}`)
        .join('; ')}`,
      extensions: { errors },
    });
    this.name = 'InvalidInput';
    this.errors = errors;
  }
}

/**
 * 409: some requested seats cannot be sold to this booking. `seatIds` are taken
 * by a live assignment (the caller marks them sold in Redis); `invalidSeatIds`
 * do not exist on the journey or belong to another class or quota.
 */
export class SeatUnavailable extends Problem {
  readonly seatIds: readonly number[];
  readonly invalidSeatIds: readonly number[];
  /** Which layer refused: the check under the row locks, or the partial unique index. */
  readonly detectedBy: 'check' | 'unique_index';

  constructor(
    seatIds: readonly number[],
    invalidSeatIds: readonly number[] = [],
    detectedBy: 'check' | 'unique_index' = 'check',
  ) {
    const all = [...seatIds, ...invalidSeatIds];
    super({
      status: 409,
      code: 'seat_unavailable',
      title: 'Seat unavailable',
      detail: `Seat${all.length === 1 ? '' : 's'} ${all.join(', ')} cannot be booked${
        invalidSeatIds.length > 0 ? ' (some are not seats of this journey, class and quota)' : ''
      }; hold other seats and try again.`,
      extensions: { seatIds, invalidSeatIds },
    });
    this.name = 'SeatUnavailable';
    this.seatIds = seatIds;
    this.invalidSeatIds = invalidSeatIds;
    this.detectedBy = detectedBy;
  }
}

/** 409: the hold was already turned into a booking for someone else or for other seats. */
export class HoldAlreadyBooked extends Problem {
  readonly bookingId: number;
  readonly pnr: string;

  constructor(holdId: string, bookingId: number, pnr: string) {
    super({
      status: 409,
      code: 'hold_already_booked',
      title: 'Hold already booked',
      detail: `Hold ${holdId} was already committed as PNR ${pnr} with different details.`,
      extensions: { pnr },
    });
    this.name = 'HoldAlreadyBooked';
    this.bookingId = bookingId;
    this.pnr = pnr;
  }
}

/**
 * 409, not 429: the limit is a business rule about the subject's live Tatkal
 * bookings, and retrying later does not help unless one of them is cancelled or
 * expires. 429 promises that waiting is enough (see ADR 0008).
 */
export class TatkalLimitReached extends Problem {
  constructor(limit: number, live: number) {
    super({
      status: 409,
      code: 'tatkal_limit',
      title: 'Tatkal booking limit reached',
      detail: `At most ${limit} Tatkal bookings per person per sale window; you have ${live}.`,
      extensions: { limit, live },
    });
    this.name = 'TatkalLimitReached';
  }
}

/** 409: the room's sale window does not cover this moment or this journey, class or quota. */
export class SaleNotOpen extends Problem {
  constructor(roomId: string, reason: string) {
    super({
      status: 409,
      code: 'sale_not_open',
      title: 'Sale not open',
      detail: `Room ${roomId} does not sell this now: ${reason}.`,
      extensions: { roomId, reason },
    });
    this.name = 'SaleNotOpen';
  }
}

/** 422: no fare (or no Tatkal charge rule) exists for the train, class and quota. */
export class FareNotFound extends Problem {
  constructor(detail: string) {
    super({ status: 422, code: 'fare_not_found', title: 'No fare', detail });
    this.name = 'FareNotFound';
  }
}

/** 422: waitlisting is offered for Tatkal (TQ) only; Premium Tatkal has no waitlist. */
export class WaitlistNotOffered extends Problem {
  constructor(quota: string) {
    super({
      status: 422,
      code: 'waitlist_not_offered',
      title: 'No waitlist for this quota',
      detail: `Quota ${quota} has no waitlist; only Tatkal (TQ) bookings can be waitlisted.`,
    });
    this.name = 'WaitlistNotOffered';
  }
}

export class BookingNotFound extends Problem {
  constructor(reference: string) {
    super({
      status: 404,
      code: 'booking_not_found',
      title: 'Booking not found',
      detail: `There is no booking ${reference}.`,
    });
    this.name = 'BookingNotFound';
  }
}

export class NotYourBooking extends Problem {
  constructor(pnr: string) {
    super({
      status: 403,
      code: 'not_your_booking',
      title: 'Not your booking',
      detail: `PNR ${pnr} belongs to someone else.`,
    });
    this.name = 'NotYourBooking';
  }
}

/** 409: the booking's status does not allow the operation (paying a waitlisted PNR, cancelling an expired one). */
export class BookingStateConflict extends Problem {
  constructor(pnr: string, status: string, operation: string) {
    super({
      status: 409,
      code: 'booking_state_conflict',
      title: 'Booking cannot do that now',
      detail: `PNR ${pnr} is ${status}; it cannot be ${operation}.`,
      extensions: { bookingStatus: status },
    });
    this.name = 'BookingStateConflict';
  }
}

/** 422: the paid amount differs from the booking's total; the booking is left as it was. */
export class PaymentAmountMismatch extends Problem {
  constructor(pnr: string, expectedPaise: number, paidPaise: number) {
    super({
      status: 422,
      code: 'payment_amount_mismatch',
      title: 'Payment amount does not match',
      detail: `PNR ${pnr} costs ${expectedPaise} paise; the payment was for ${paidPaise}.`,
      extensions: { expectedPaise, paidPaise },
    });
    this.name = 'PaymentAmountMismatch';
  }
}

/** 409: a provider reference already settled a different booking. */
export class PaymentRefReused extends Problem {
  constructor(provider: string, providerRef: string) {
    super({
      status: 409,
      code: 'payment_ref_reused',
      title: 'Payment reference already used',
      detail: `Payment ${provider}/${providerRef} already settled another booking.`,
    });
    this.name = 'PaymentRefReused';
  }
}
