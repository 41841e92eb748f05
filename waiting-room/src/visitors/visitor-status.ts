import type { WaitingRoomDeps } from '../deps.ts';
import { roomNotFound, ticketWrongRoom } from '../problems.ts';
import { visitorStanding } from '../queue/index.ts';
import type { QueueSnapshot } from '../rooms/queue-state-cache.ts';
import { effectiveRoomState, type Room, type RoomState } from '../rooms/room.ts';
import { admissionJti, issueAdmissionToken } from '../tokens/index.ts';
import { suggestedPollSeconds, type WaitBand, waitBand } from './estimate.ts';
import { orUnavailable } from './join-visitor.ts';
import { type QueueTicket, signTicket } from './ticket.ts';

export type Standing = 'prequeue' | 'waiting' | 'returning' | 'admitted';

export interface VisitorStatus {
  room: string;
  state: RoomState;
  standing: Standing;
  number: number | null;
  /** 1 means next in line. Null while a shuffled pre-queue's order is not drawn yet. */
  position: number | null;
  peopleAhead: number | null;
  /** Visitors waiting in the pre-queue, in a shuffled room before its draw. */
  prequeueCount: number | null;
  estimate: WaitBand | null;
  admissionRatePerSecond: number;
  nextPollSeconds: number;
  opensAt: string;
  admission: { token: string; bookingUrl: string; expiresAt: string } | null;
  /** A ticket carrying the visitor's number, once a shuffled pre-queue has been drawn. */
  renewedTicket: string | null;
}

async function admissionFor(
  deps: WaitingRoomDeps,
  room: Room,
  ticket: QueueTicket,
  number: number,
  admittedAtMs: number,
): Promise<NonNullable<VisitorStatus['admission']>> {
  const issuedAtSec = Math.floor(admittedAtMs / 1000);
  const token = await issueAdmissionToken(deps.admissionKeys.current().signing, {
    issuer: deps.settings.issuer,
    audience: deps.settings.audience,
    subject: ticket.visitor,
    room: room.id,
    scope: room.scope,
    jti: admissionJti(room.id, number),
    issuedAtSec,
    sessionSeconds: room.sessionSeconds,
  });
  const url = new URL(deps.settings.bookingUrl);
  url.searchParams.set('room', room.id);
  url.hash = `token=${token}`;
  return {
    token,
    bookingUrl: url.toString(),
    expiresAt: new Date((issuedAtSec + room.sessionSeconds) * 1000).toISOString(),
  };
}

/**
 * Where a ticket holder stands. While waiting, this is computed from the
 * process's cached room snapshot and the number in the ticket, with no Redis
 * round trip; only at the front (admitted or passed over) is Redis asked.
 */
export async function visitorStatus(
  deps: WaitingRoomDeps,
  roomId: string,
  ticket: QueueTicket,
): Promise<VisitorStatus> {
  const nowMs = deps.now();
  const room = await deps.catalog.get(roomId);
  if (!room) throw roomNotFound(roomId);
  if (ticket.room !== room.id) throw ticketWrongRoom(room.id);
  const state = effectiveRoomState(room, nowMs);
  const snapshot: QueueSnapshot = await orUnavailable(deps.queueState.get(room.id));
  const { queue, rates } = snapshot;
  const rate = Math.max(rates.short, rates.long);
  const untilOpenSeconds =
    state === 'pre_queue' || state === 'scheduled'
      ? Math.max(0, (room.saleOpensAt.getTime() - nowMs) / 1000)
      : null;
  const base = {
    room: room.id,
    state,
    admissionRatePerSecond: Math.round(rate * 100) / 100,
    opensAt: room.saleOpensAt.toISOString(),
  };

  let number = ticket.number;
  let renewedTicket: string | null = null;
  if (number === null && queue.sealed) {
    const standing = await orUnavailable(
      visitorStanding(deps.redis, deps.keysFor(room.id), ticket.visitor),
    );
    if (standing.number !== null) {
      number = standing.number;
      renewedTicket = signTicket(deps.settings.ticketSecret, { ...ticket, number });
    }
  }

  if (number === null) {
    return {
      ...base,
      standing: 'prequeue',
      number: null,
      position: null,
      peopleAhead: null,
      prequeueCount: queue.prequeueCount,
      estimate: null,
      nextPollSeconds: suggestedPollSeconds({
        position: null,
        ratePerSecond: rate,
        untilOpenSeconds,
        random: deps.random,
      }),
      admission: null,
      renewedTicket,
    };
  }

  if (number > queue.servedUpTo) {
    deps.heartbeats.touch(room.id, number);
    const position = number - queue.servedUpTo;
    return {
      ...base,
      standing: 'waiting',
      number,
      position,
      peopleAhead: position - 1,
      prequeueCount: null,
      estimate: state === 'open' ? waitBand(position - 1, rates) : null,
      nextPollSeconds: suggestedPollSeconds({
        position,
        ratePerSecond: rate,
        untilOpenSeconds,
        random: deps.random,
      }),
      admission: null,
      renewedTicket,
    };
  }

  const standing = await orUnavailable(
    visitorStanding(deps.redis, deps.keysFor(room.id), ticket.visitor),
  );
  if (
    standing.status === 'admitted' &&
    standing.admittedAtMs !== null &&
    standing.number === number
  ) {
    return {
      ...base,
      standing: 'admitted',
      number,
      position: 0,
      peopleAhead: 0,
      prequeueCount: null,
      estimate: null,
      nextPollSeconds: 0,
      admission: await admissionFor(deps, room, ticket, number, standing.admittedAtMs),
      renewedTicket,
    };
  }
  // Passed over while away: being seen again puts the visitor first in line at the next tick.
  deps.heartbeats.touch(room.id, number);
  return {
    ...base,
    standing: 'returning',
    number,
    position: 1,
    peopleAhead: 0,
    prequeueCount: null,
    estimate: null,
    nextPollSeconds: suggestedPollSeconds({
      position: 1,
      ratePerSecond: rate,
      untilOpenSeconds: null,
      random: deps.random,
    }),
    admission: null,
    renewedTicket,
  };
}
