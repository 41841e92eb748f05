import { Problem } from '@tatkal/waiting-room/service';
import type { AdmissionClaims } from '@tatkal/waiting-room/tokens';
import type { BookingApiDeps } from '../deps.ts';
import { assertCovers } from '../gate/admission.ts';
import { type BerthType, holdSeats, type SeatRef } from '../inventory/index.ts';
import { publicHoldId, withInventory } from './journeys.ts';

export interface HoldBody {
  journeyId: number;
  classCode: string;
  quota: string;
  seatIds?: number[] | undefined;
  berths?: { count: number; preferences: Array<BerthType | null> } | undefined;
}

export interface PlacedHold {
  holdId: string;
  journeyId: number;
  classCode: string;
  quota: string;
  seats: SeatRef[];
  expiresAt: string;
}

function refusal(reason: string, body: HoldBody, extra: Record<string, unknown>): Problem {
  // Only Tatkal (TQ) has a waitlist (POST /v1/waitlist refuses GN and PT).
  const waitlist =
    body.quota === 'TQ' ? { offered: true, href: '/v1/waitlist' } : { offered: false };
  switch (reason) {
    case 'seats_unavailable':
      return new Problem({
        status: 409,
        code: 'seat_unavailable',
        title: 'Seats not available',
        detail: 'Some of the seats asked for are held or sold; pick others or join the waitlist.',
        extensions: { ...extra, waitlist },
      });
    case 'not_enough_berths':
      return new Problem({
        status: 409,
        code: 'not_enough_berths',
        title: 'Not enough berths',
        detail: `Only ${String(extra.available ?? 0)} berths of ${body.classCode}/${body.quota} are free.`,
        extensions: { ...extra, waitlist },
      });
    case 'token_has_live_hold':
      return new Problem({
        status: 409,
        code: 'hold_exists',
        title: 'You already hold seats',
        detail: 'One admission may hold one set of seats at a time: book or release it first.',
        extensions: extra,
      });
    case 'inventory_missing':
      return new Problem({
        status: 503,
        code: 'inventory_unavailable',
        title: 'Inventory not ready',
        detail: 'The seat inventory is being rebuilt; retry shortly.',
        headers: { 'retry-after': '1' },
      });
    case 'seat_class_mismatch':
      return new Problem({
        status: 422,
        code: 'seat_class_mismatch',
        title: 'Seats of another class or quota',
        detail: `The seats asked for are not all ${body.classCode}/${body.quota}.`,
      });
    default:
      return new Problem({
        status: 422,
        code: reason,
        title: 'Seats not valid for this request',
        detail:
          reason === 'unknown_seat'
            ? 'Some seat ids are not seats of this journey.'
            : 'All seats of a hold must be of one class and quota.',
        extensions: extra,
      });
  }
}

/** Holds seats for an admitted visitor: named seats or N berths, all or nothing. */
export async function placeHold(
  deps: BookingApiDeps,
  claims: AdmissionClaims,
  body: HoldBody,
): Promise<PlacedHold> {
  assertCovers(claims, body);
  await withInventory(deps, body.journeyId);
  const nowMs = deps.now();
  const tatkal = body.quota === 'TQ' || body.quota === 'PT';
  const outcome = await holdSeats(deps.redis, deps.prefix, {
    journeyId: body.journeyId,
    // Named seats must be of the class and quota the request (and the token) speaks for: the
    // script checks it with everything else, before it holds anything.
    request: body.seatIds
      ? { kind: 'seats', seatIds: body.seatIds, classCode: body.classCode, quota: body.quota }
      : {
          kind: 'berths',
          classCode: body.classCode,
          quota: body.quota,
          count: body.berths?.count ?? 0,
          preferences: body.berths?.preferences ?? [],
        },
    holder: { subject: claims.sub, tokenJti: claims.jti },
    ttlMs: tatkal ? deps.settings.tatkalHoldTtlMs : deps.settings.holdTtlMs,
    nowMs,
  });
  if (!outcome.ok) {
    deps.metrics.holds.inc({ outcome: outcome.reason });
    if (outcome.reason === 'seats_unavailable') {
      deps.metrics.seatConflicts.inc({ layer: 'redis_hold' });
    }
    throw refusal(outcome.reason, body, {
      ...(outcome.unavailableSeatIds ? { seatIds: outcome.unavailableSeatIds } : {}),
      ...(outcome.available === undefined ? {} : { available: outcome.available }),
      // The visitor's own hold, so a page that lost track of it can book or release it.
      ...(outcome.liveHold ? { hold: placedHold(body.journeyId, outcome.liveHold) } : {}),
    });
  }
  deps.metrics.holds.inc({ outcome: 'held' });
  return placedHold(body.journeyId, outcome, body);
}

function placedHold(
  journeyId: number,
  hold: { holdId: string; seats: SeatRef[]; expiresAtMs: number },
  // Every seat of a hold is of one class and quota (the script refuses anything else).
  pool: { classCode: string; quota: string } | undefined = hold.seats[0],
): PlacedHold {
  return {
    holdId: publicHoldId(journeyId, hold.holdId),
    journeyId,
    classCode: pool?.classCode ?? '',
    quota: pool?.quota ?? '',
    seats: hold.seats,
    expiresAt: new Date(hold.expiresAtMs).toISOString(),
  };
}
