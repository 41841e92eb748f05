// Turns a Redis hold into a PENDING_PAYMENT booking in one short transaction:
// lock the held seat rows in id order, check them, write the booking, its
// passengers and one PENDING assignment per seat. The partial unique index on
// live assignments is the net under the check. The statements go straight to
// the pg connection as named prepared statements (commit-sql.ts): the commit
// is the API's hottest path, and a query builder per statement cost about a
// fifth of its CPU.
import { type Database, liveSeatIndexName } from '@tatkal/drizzle';
import type { BookingStatus } from '@tatkal/drizzle/schema';
import { HoldAlreadyBooked, InvalidInput, pgErrorOf, SeatUnavailable } from '../domain/index.ts';
import { type FareBreakdown, priceFare } from '../fares/index.ts';
import { matchBerths } from './berth-matching.ts';
import { loadBookingView, type SeatPlacement } from './booking-view.ts';
import {
  bookedHold,
  countLiveTatkal,
  fareTable,
  insertAssignmentRows,
  insertPassengerRows,
  insertPendingBooking,
  inTransaction,
  lockSeatRows,
  lockSubject,
  occupiedSeats,
  pgSource,
  quotaFill,
  type SqlConnection,
  selectJourneyTrain,
  selectSaleRoom,
} from './commit-sql.ts';
import { defaultTatkalLimit, refuseOutsideSale, refuseOverTatkalLimit } from './sale-rules.ts';
import { occupiedSeatIds, type SeatLocking } from './seat-rows.ts';
import {
  type CreateBookingInput,
  createBookingSchema,
  parseInput,
  type ValidCreateBooking,
} from './validation.ts';

export interface BookingDeps {
  db: Database;
  /** Live Tatkal PNRs per subject and sale window; 2 unless configured. */
  tatkalLimit?: number;
}

/** Switches for concurrency tests only; production callers pass nothing. */
export interface CreateBookingTesting {
  seatLocking?: SeatLocking;
  /** Runs after the free-seat check and before the inserts, to widen race windows. */
  afterSeatCheck?: () => Promise<void>;
}

export interface BookingCommit {
  bookingId: number;
  pnr: string;
  /** PENDING_PAYMENT for a new booking; a replayed hold reports the booking's status now. */
  status: BookingStatus;
  amount: FareBreakdown;
  expiresAt: Date | null;
  seats: SeatPlacement[];
  /** True when this hold had already been committed and the existing booking is returned. */
  replayed: boolean;
}

type Outcome = { kind: 'created'; commit: BookingCommit } | { kind: 'replay' };

export async function createBooking(
  deps: BookingDeps,
  input: CreateBookingInput,
  testing: CreateBookingTesting = {},
): Promise<BookingCommit> {
  const valid = parseInput(createBookingSchema, input);
  // A retried commit of a hold usually finds its booking without taking a lock.
  if (await bookedHold(pgSource(deps.db), valid.holdId)) return replay(deps.db, valid);
  try {
    const outcome = await inTransaction(deps.db, (tx) => commit(tx, deps, valid, testing));
    return outcome.kind === 'created' ? outcome.commit : await replay(deps.db, valid);
  } catch (error) {
    const pg = pgErrorOf(error);
    if (pg?.code === '23505' && pg.constraint === liveSeatIndexName) {
      const taken = await occupiedSeatIds(deps.db, valid.journeyId, valid.seatIds);
      throw new SeatUnavailable(taken.length > 0 ? taken : valid.seatIds, [], 'unique_index');
    }
    if (pg?.code === '23505' && pg.constraint === 'bookings_hold_id_uniq') {
      return replay(deps.db, valid);
    }
    throw error;
  }
}

async function commit(
  tx: SqlConnection,
  deps: BookingDeps,
  input: ValidCreateBooking,
  testing: CreateBookingTesting,
): Promise<Outcome> {
  const trainNumber = await selectJourneyTrain(tx, input.journeyId);
  if (trainNumber === undefined) {
    throw new InvalidInput([{ path: 'journeyId', message: 'no such journey' }]);
  }
  if (input.roomId !== null) refuseOutsideSale(await selectSaleRoom(tx, input.roomId), input);
  // Lock order: subject, then seats (see locks.ts).
  if (input.quota !== 'GN') await lockSubject(tx, input);
  const seatRows = await lockSeatRows(
    tx,
    input.journeyId,
    input.seatIds,
    testing.seatLocking ?? 'id-order',
  );
  // Under the locks: a concurrent duplicate of this hold has committed by now.
  if (await bookedHold(tx, input.holdId)) return { kind: 'replay' };
  if (input.quota !== 'GN') {
    refuseOverTatkalLimit(await countLiveTatkal(tx, input), deps.tatkalLimit ?? defaultTatkalLimit);
  }

  const found = new Map(seatRows.map((row) => [row.seatId, row]));
  const invalid = input.seatIds.filter((seatId) => {
    const row = found.get(seatId);
    return row === undefined || row.classCode !== input.classCode || row.quota !== input.quota;
  });
  if (invalid.length > 0) throw new SeatUnavailable([], invalid);
  const taken = await occupiedSeats(tx, input.journeyId, input.seatIds);
  if (taken.length > 0) throw new SeatUnavailable(taken);
  await testing.afterSeatCheck?.();

  const fill = input.quota === 'PT' ? { quotaFill: await quotaFill(tx, input) } : ({} as const);
  const amount = priceFare(await fareTable(tx, trainNumber), {
    trainNumber,
    classCode: input.classCode,
    quota: input.quota,
    passengers: input.passengers.length,
    ...fill,
  });
  const expiresAt = new Date(input.nowMs + input.paymentWindowMs);
  const booking = await insertPendingBooking(tx, {
    journeyId: input.journeyId,
    roomId: input.roomId,
    subject: input.subject,
    classCode: input.classCode,
    quota: input.quota,
    ...amount,
    tokenJti: input.tokenJti,
    holdId: input.holdId,
    expiresAt,
  });
  const people = await insertPassengerRows(tx, booking.id, input.passengers);
  const placements = matchBerths(
    people.map((person) => ({
      ordinal: person.ordinal,
      berthPreference: input.passengers[person.ordinal - 1]?.berthPreference ?? null,
    })),
    seatRows,
  );
  const passengerIds = new Map(people.map((person) => [person.ordinal, person.id]));
  await insertAssignmentRows(
    tx,
    { id: booking.id, journeyId: input.journeyId },
    placements.map((placement) => ({
      seatId: placement.seatId,
      passengerId: passengerIds.get(placement.ordinal) ?? 0,
    })),
    'PENDING',
  );
  const seats = placements.map((placement) => {
    const row = found.get(placement.seatId);
    if (!row) throw new Error(`placed on unlocked seat ${placement.seatId}`);
    return {
      seatId: row.seatId,
      coach: row.coach,
      berthNumber: row.berthNumber,
      berthType: row.berthType,
      passengerOrdinal: placement.ordinal,
    };
  });
  return {
    kind: 'created',
    commit: {
      bookingId: booking.id,
      pnr: booking.pnr,
      status: 'PENDING_PAYMENT',
      amount,
      expiresAt,
      seats,
      replayed: false,
    },
  };
}

/**
 * The booking an earlier commit of this hold made. The same subject asking for
 * the same seats gets it back; anything else is refused, because a hold id
 * is not something two different requests should share.
 */
async function replay(db: Database, input: ValidCreateBooking): Promise<BookingCommit> {
  const view = await loadBookingView(db, { holdId: input.holdId });
  if (!view) throw new Error(`booking of hold ${input.holdId} vanished`);
  const sameSeats =
    view.seats.length === input.seatIds.length &&
    view.seats.every((seat) => input.seatIds.includes(seat.seatId));
  if (view.subject !== input.subject || view.journeyId !== input.journeyId || !sameSeats) {
    throw new HoldAlreadyBooked(input.holdId, view.bookingId, view.pnr);
  }
  return replayedCommit(view);
}

function replayedCommit(view: NonNullable<Awaited<ReturnType<typeof loadBookingView>>>) {
  return {
    bookingId: view.bookingId,
    pnr: view.pnr,
    status: view.status,
    amount: view.amount,
    expiresAt: view.expiresAt,
    seats: view.seats.map(({ status: _status, ...seat }) => seat),
    replayed: true,
  } satisfies BookingCommit;
}

/**
 * The booking this subject's hold already became, once the hold itself is gone from Redis (a
 * rebuild after a crash between the commit and `markHoldBooked` sells the seats and drops the
 * hold): a retried booking request gets its booking back instead of `hold_expired`. Null when
 * the hold was never booked, or was booked by someone else (nothing is revealed then).
 */
export async function findBookedHold(
  db: Database,
  input: { holdId: string; subject: string; journeyId: number },
): Promise<BookingCommit | null> {
  const view = await loadBookingView(db, { holdId: input.holdId });
  if (!view || view.subject !== input.subject || view.journeyId !== input.journeyId) return null;
  return replayedCommit(view);
}
