// Admitted: availability, hold, book, pay, and watching the booking become CONFIRMED; the
// dishonest visitor's tampered and used-up tokens; the retrying visitor's resent booking.
import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Step } from './outcomes.ts';
import { pickSeats } from './seat-map.ts';
import { forgedToken, type TokenScope, unsignedToken } from './tokens.ts';
import {
  body,
  type Context,
  count,
  type Events,
  type RequestParams,
  type Response,
  setup,
  type Vars,
  type Visit,
  verdict,
  visitOf,
} from './visit.ts';

// ---- Admitted: availability, hold, book, pay ----

export function isAdmitted(vars: Vars): boolean {
  const visit = visitOf(vars);
  return visit.token !== null && visit.ended === null;
}

export function isDishonest(vars: Vars): boolean {
  return isAdmitted(vars) && visitOf(vars).profile === 'dishonest';
}

function authorize(req: RequestParams, token: string) {
  req.headers = { ...req.headers, authorization: `Bearer ${token}` };
}

function tokenOf(context: Context): string {
  const token = visitOf(context.vars).token;
  if (!token) throw new Error('no admission token');
  return token;
}

export async function withToken(req: RequestParams, context: Context) {
  authorize(req, tokenOf(context));
}

export async function withForgedToken(req: RequestParams, context: Context) {
  authorize(req, forgedToken(tokenOf(context), 'someone-else'));
}

export async function withUnsignedToken(req: RequestParams, context: Context) {
  authorize(req, unsignedToken(tokenOf(context)));
}

/** Misuse steps: the step is the request's name; only the expected refusal passes. */
export async function expectRefusal(
  req: RequestParams,
  res: Response,
  _context: Context,
  events: Events,
) {
  verdict(req.name as Step, res, events);
}

export async function afterAvailability(
  _req: RequestParams,
  res: Response,
  context: Context,
  events: Events,
) {
  const visit = visitOf(context.vars);
  verdict('availability', res, events);
  const scope = visit.scope as TokenScope;
  const pools = (body(res).pools ?? []) as Array<{
    classCode: string;
    quota: string;
    free: number;
  }>;
  const open = (quota: string) =>
    pools.filter(
      (pool) =>
        pool.quota === quota &&
        scope.classes.includes(pool.classCode) &&
        scope.quotas.includes(pool.quota) &&
        pool.free >= visit.passengers,
    );
  // Tatkal first; once it is gone, Premium Tatkal at its higher fare.
  const choices = open('TQ').length > 0 ? open('TQ') : open('PT');
  const pool = choices[Math.floor(Math.random() * choices.length)];
  if (!pool) {
    visit.ended = 'sold_out';
    return count(events, 'sold_out');
  }
  visit.classCode = pool.classCode;
  visit.quota = pool.quota;
}

export function wantsHold(vars: Vars): boolean {
  return isAdmitted(vars) && visitOf(vars).holdId === null;
}

const preferences = [null, 'LB', 'UB', 'SL'] as const;

export async function holdRequest(req: RequestParams, context: Context) {
  const visit = visitOf(context.vars);
  const scope = visit.scope as TokenScope;
  const classCode = visit.classCode as string;
  const quota = visit.quota as string;
  const { seatMap } = setup();
  const seatIds =
    visit.profile === 'named_seats' && !visit.namedSeatsTaken && seatMap
      ? pickSeats(seatMap, scope, classCode, quota, visit.passengers)
      : [];
  authorize(req, tokenOf(context));
  // A retried hold carries a new key: it is a new request, not a replay of the refused one.
  req.headers = {
    ...req.headers,
    'idempotency-key': `hold-${randomUUID()}`,
  };
  req.json =
    seatIds.length > 0
      ? { journeyId: scope.journeyId, classCode, quota, seatIds }
      : {
          journeyId: scope.journeyId,
          classCode,
          quota,
          berths: {
            count: visit.passengers,
            preferences: Array.from(
              { length: visit.passengers },
              () => preferences[Math.floor(Math.random() * preferences.length)] ?? null,
            ),
          },
        };
}

export async function afterHold(
  _req: RequestParams,
  res: Response,
  context: Context,
  events: Events,
) {
  const visit = visitOf(context.vars);
  const outcome = verdict('hold', res, events);
  if (outcome === 'ok') {
    visit.holdId = String(body(res).holdId);
    return;
  }
  if (outcome === 'seat_taken') {
    // Someone else has these seats: the visitor retries once with a berth preference.
    visit.namedSeatsTaken = true;
    return;
  }
  visit.ended = outcome;
}

/** A named-seat visitor whose seats were taken asks for any berth instead. */
export function retriesHold(vars: Vars): boolean {
  return wantsHold(vars) && visitOf(vars).namedSeatsTaken;
}

export function isHolding(vars: Vars): boolean {
  const visit = visitOf(vars);
  return isAdmitted(vars) && visit.holdId !== null && visit.pnr === null;
}

const bookingKey = (visit: Visit) => `book-${visit.holdId}`;

export async function bookRequest(req: RequestParams, context: Context) {
  const visit = visitOf(context.vars);
  authorize(req, tokenOf(context));
  req.headers = { ...req.headers, 'idempotency-key': bookingKey(visit) };
  // Drawn once: a resent booking must carry the same body as the first, or it is a new request.
  visit.passengerList ??= Array.from({ length: visit.passengers }, (_, i) => ({
    name: `Rush visitor ${i + 1}`,
    age: 20 + Math.floor(Math.random() * 50),
    gender: i % 2 === 0 ? 'F' : 'M',
    berthPreference: null,
  }));
  req.json = { holdId: visit.holdId, passengers: visit.passengerList };
}

export async function afterBook(
  _req: RequestParams,
  res: Response,
  context: Context,
  events: Events,
) {
  const visit = visitOf(context.vars);
  verdict('book', res, events);
  visit.pnr = String(body(res).pnr);
  context.vars.pnr = visit.pnr;
  count(events, 'booked');
}

/** A visitor who retries sends the booking again (a lost answer): same key, same booking. */
export function retriesBooking(vars: Vars): boolean {
  const visit = visitOf(vars);
  return isAdmitted(vars) && visit.profile === 'retries' && visit.pnr !== null && !visit.paid;
}

export async function afterBookRetry(
  _req: RequestParams,
  res: Response,
  context: Context,
  events: Events,
) {
  const visit = visitOf(context.vars);
  verdict('book', res, events);
  const pnr = String(body(res).pnr);
  if (pnr !== visit.pnr) throw new Error('unexpected: a replayed booking made a second PNR');
  count(events, 'booking_replayed');
}

/** Most pay; one berth-preference visitor in ten leaves the booking unpaid (it expires). */
export function paysNow(vars: Vars): boolean {
  const visit = visitOf(vars);
  if (!isAdmitted(vars) || visit.pnr === null || visit.paid) return false;
  return visit.profile !== 'berths' || Math.random() >= 0.1;
}

export async function payRequest(req: RequestParams, context: Context) {
  authorize(req, tokenOf(context));
  req.headers = { ...req.headers, 'idempotency-key': `pay-${visitOf(context.vars).pnr}` };
}

export async function afterPay(
  _req: RequestParams,
  res: Response,
  context: Context,
  events: Events,
) {
  verdict('pay', res, events);
  visitOf(context.vars).paid = true;
  count(events, 'paid');
}

// ---- Done: the payment webhook confirms the booking; the visitor watches for it ----

export function awaitsConfirmation(vars: Vars): boolean {
  const visit = visitOf(vars);
  return visit.paid && visit.bookingStatus !== 'CONFIRMED';
}

export async function waitForConfirmation(context: Context) {
  if (awaitsConfirmation(context.vars)) await sleep(500);
}

export async function afterConfirm(
  _req: RequestParams,
  res: Response,
  context: Context,
  events: Events,
) {
  const visit = visitOf(context.vars);
  verdict('confirm', res, events);
  visit.confirmPolls++;
  visit.bookingStatus = String(body(res).status);
  if (visit.bookingStatus === 'CONFIRMED') {
    events.emit('histogram', 'tatkal.journey_ms', Date.now() - visit.arrivedAtMs);
    count(events, 'confirmed');
  }
}

export function keepCheckingBooking(context: Context, next: (again: boolean) => void) {
  const visit = visitOf(context.vars);
  if (!awaitsConfirmation(context.vars)) return next(false);
  next(visit.confirmPolls < 40);
}

/** The dishonest visitor tries to book again with the token its confirmed booking used up. */
export function reusesToken(vars: Vars): boolean {
  const visit = visitOf(vars);
  return visit.profile === 'dishonest' && visit.bookingStatus === 'CONFIRMED';
}

export async function leave(context: Context, events: Events) {
  const visit = visitOf(context.vars);
  if (visit.paid && visit.bookingStatus !== 'CONFIRMED') {
    throw new Error(`unexpected: booking still ${visit.bookingStatus} 20 s after payment`);
  }
  if (visit.pnr && !visit.paid) count(events, 'left_unpaid');
}
