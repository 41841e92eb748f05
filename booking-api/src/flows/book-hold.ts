import type { ClassCode, Quota } from '@tatkal/drizzle/schema';
import { Problem } from '@tatkal/waiting-room/service';
import type { AdmissionClaims } from '@tatkal/waiting-room/tokens';
import {
  type BookingCommit,
  createBooking,
  findBookedHold,
  type PassengerInput,
} from '../bookings/index.ts';
import type { BookingApiDeps } from '../deps.ts';
import { SeatUnavailable } from '../domain/index.ts';
import { assertCovers, assertJourney } from '../gate/admission.ts';
import { markHoldBooked, markSeatsSold, readHold, releaseHold } from '../inventory/index.ts';
import { parsePublicHoldId } from './journeys.ts';

const holdExpired = () =>
  new Problem({
    status: 409,
    code: 'hold_expired',
    title: 'Hold expired',
    detail: 'The hold ran out before the booking was made; hold seats again.',
  });

/**
 * Turns a hold into a PENDING_PAYMENT booking: the PostgreSQL transaction locks
 * the seat rows FOR UPDATE in id order and is the truth; Redis follows it. A
 * commit that finds a seat sold repairs Redis; a commit that fails releases the hold.
 */
export async function bookHold(
  deps: BookingApiDeps,
  claims: AdmissionClaims,
  body: { holdId: string; passengers: PassengerInput[] },
): Promise<BookingCommit> {
  const parsed = parsePublicHoldId(body.holdId);
  if (!parsed) {
    throw new Problem({
      status: 422,
      code: 'invalid_input',
      title: 'Invalid input',
      detail: 'holdId is not a hold id.',
    });
  }
  const { journeyId, holdId } = parsed;
  assertJourney(claims, journeyId);
  // No inventory build here: a hold exists only where the inventory does.
  const nowMs = deps.now();
  const hold = await readHold(deps.redis, deps.prefix, journeyId, holdId, nowMs);
  if (!hold) {
    // A retry whose first attempt committed, then the hold went (a rebuild sold its seats).
    const booked = await findBookedHold(deps.db.db, { holdId, subject: claims.sub, journeyId });
    if (booked) return booked;
    throw holdExpired();
  }
  if (hold.subject !== claims.sub || hold.tokenJti !== claims.jti) {
    throw new Problem({
      status: 403,
      code: 'not_your_hold',
      title: 'Not your hold',
      detail: 'This hold belongs to another admission.',
    });
  }
  const first = hold.seats[0];
  if (!first) throw holdExpired();
  assertCovers(claims, { journeyId, classCode: first.classCode, quota: first.quota });
  const seatIds = hold.seats.map((seat) => seat.seatId);

  const started = performance.now();
  let commit: BookingCommit;
  try {
    commit = await createBooking(
      { db: deps.db.db },
      {
        journeyId,
        roomId: claims.room,
        subject: claims.sub,
        tokenJti: claims.jti,
        // The inventory was built from PostgreSQL's seat rows: these are valid codes.
        classCode: first.classCode as ClassCode,
        quota: first.quota as Quota,
        seatIds,
        holdId,
        passengers: body.passengers,
        paymentWindowMs: deps.settings.paymentWindowMs,
        nowMs,
      },
    );
  } catch (error) {
    if (error instanceof SeatUnavailable) {
      // PostgreSQL knows better than Redis: mirror what it found, give the rest back.
      deps.metrics.seatConflicts.inc({
        layer: error.detectedBy === 'unique_index' ? 'unique_index' : 'postgres_check',
      });
      if (error.seatIds.length > 0)
        await markSeatsSold(deps.redis, deps.prefix, journeyId, [...error.seatIds]);
      await releaseHold(deps.redis, deps.prefix, journeyId, holdId, { nowMs });
    } else if (!(error instanceof Problem) || error.status >= 500) {
      await settleAfterFailedCommit(deps, claims, journeyId, holdId, seatIds, nowMs);
    }
    throw error;
  } finally {
    const ms = performance.now() - started;
    deps.metrics.commitDuration.observe(ms / 1000);
    deps.health.recordCommit(ms);
  }
  // A retry that finds its booking already expired or cancelled must not sell its seats again:
  // they went back to the inventory (and maybe to someone else) when it ended.
  if (isLive(commit.status)) {
    await markHoldBooked(deps.redis, deps.prefix, journeyId, holdId, seatIds, nowMs, {
      holder: { subject: claims.sub, tokenJti: claims.jti },
    });
  }
  if (!commit.replayed) {
    deps.metrics.bookings.inc({ status: commit.status });
    if (commit.expiresAt) await deps.expiry.schedule(commit.bookingId, commit.expiresAt.getTime());
  }
  return commit;
}

/**
 * A commit that failed without an answer (connection lost, timeout) may still have committed,
 * now or in an earlier attempt of a retried request. Releasing the hold then would free seats
 * PostgreSQL has sold, and the next visitor to hold them would be refused at commit. So the
 * hold is released only when PostgreSQL says plainly that it was never booked; when it was, the
 * seats are marked sold; when PostgreSQL cannot say, the hold is left to run out.
 */
async function settleAfterFailedCommit(
  deps: BookingApiDeps,
  claims: AdmissionClaims,
  journeyId: number,
  holdId: string,
  seatIds: number[],
  nowMs: number,
): Promise<void> {
  try {
    const booked = await findBookedHold(deps.db.db, { holdId, subject: claims.sub, journeyId });
    if (booked && isLive(booked.status)) {
      await markHoldBooked(deps.redis, deps.prefix, journeyId, holdId, seatIds, nowMs, {
        holder: { subject: claims.sub, tokenJti: claims.jti },
      });
    } else if (!booked) {
      await releaseHold(deps.redis, deps.prefix, journeyId, holdId, { nowMs });
    }
  } catch {
    // PostgreSQL or Redis is failing too: the hold runs out on its own, and any drift left
    // behind is repaired by the periodic reconcile.
  }
}

/** A booking that still owns its seats. */
function isLive(status: BookingCommit['status']): boolean {
  return status === 'PENDING_PAYMENT' || status === 'CONFIRMED';
}
