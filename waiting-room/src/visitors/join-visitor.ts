import type { WaitingRoomDeps } from '../deps.ts';
import { takeJoinTokens } from '../limits/join-limits.ts';
import { spendProofOfWork } from '../limits/proof-of-work.ts';
import {
  joinRateLimited,
  proofOfWorkRefused,
  queueUnavailable,
  roomDraining,
  roomNotAcceptingJoins,
  roomNotFound,
  roomPreparing,
  ticketInvalid,
  ticketWrongRoom,
} from '../problems.ts';
import { joinQueue, QueueError } from '../queue/index.ts';
import { acceptsJoins, effectiveRoomState, type Room } from '../rooms/room.ts';
import { Problem } from '../service/index.ts';
import { newVisitorId, type QueueTicket, signTicket, verifyTicket } from './ticket.ts';

export interface JoinInput {
  roomId: string;
  /** A ticket the visitor already holds (cookie or header), if any. */
  presentedTicket: string | undefined;
  clientIp: string;
  proofOfWork: { challenge: string; nonce: string } | undefined;
}

export interface JoinOutcome {
  room: Room;
  ticket: QueueTicket;
  signedTicket: string;
  /** False when the visitor already had a place and got it back. */
  created: boolean;
}

/** Rethrows Redis failures as a 503 the client may retry. */
export async function orUnavailable<T>(work: Promise<T>): Promise<T> {
  try {
    return await work;
  } catch (error) {
    if (error instanceof Problem) throw error;
    throw queueUnavailable();
  }
}

/**
 * Gives the visitor a place in the room's queue, or back the place it already
 * has: one place per visitor, however many tabs, devices or retries.
 */
export async function joinVisitor(deps: WaitingRoomDeps, input: JoinInput): Promise<JoinOutcome> {
  const nowMs = deps.now();
  const room = await deps.catalog.get(input.roomId);
  if (!room) throw roomNotFound(input.roomId);
  const state = effectiveRoomState(room, nowMs);
  if (!acceptsJoins(state)) throw roomNotAcceptingJoins(state, room.prequeueOpensAt, room.closesAt);
  // A shuffled pre-queue takes nobody before the seed's hash is published:
  // otherwise the seed could be chosen knowing who joined.
  if (room.mode === 'fifo_shuffle' && room.shuffleSeedHash === null) {
    deps.catalog.forget(room.id);
    throw roomPreparing();
  }

  // A presented ticket must be genuine and for this room: a tampered one is
  // refused rather than silently given a second place.
  const held =
    input.presentedTicket === undefined
      ? null
      : verifyTicket(deps.settings.ticketSecret, input.presentedTicket);
  if (input.presentedTicket !== undefined && held === null) throw ticketInvalid();
  if (held !== null && held.room !== room.id) throw ticketWrongRoom(room.id);
  const returning = held !== null;
  const visitor = held?.visitor ?? newVisitorId();
  const keys = deps.keysFor(room.id);

  const retryAfterMs = await orUnavailable(
    takeJoinTokens(deps.redis, keys, {
      ip: input.clientIp,
      visitor,
      nowMs,
      limits: deps.settings.joinLimits,
    }),
  );
  if (retryAfterMs > 0) throw joinRateLimited(retryAfterMs);

  // A visitor who already holds a place pays no second proof of work.
  if (room.powDifficulty > 0 && !returning) {
    const refusal = await orUnavailable(
      spendProofOfWork(deps.redis, keys, {
        secret: deps.settings.ticketSecret,
        roomId: room.id,
        difficulty: room.powDifficulty,
        nowMs,
        solution: input.proofOfWork,
      }),
    );
    if (refusal) throw proofOfWorkRefused(refusal, room.powDifficulty);
  }

  const joined = await orUnavailable(
    joinQueue(deps.redis, keys, { visitor, nowMs, mode: room.mode }).catch((error: unknown) => {
      if (error instanceof QueueError && error.reason === 'Draining') throw roomDraining();
      throw error;
    }),
  );
  const ticket: QueueTicket = {
    room: room.id,
    visitor,
    number: joined.number,
    issuedAtSec: Math.floor(nowMs / 1000),
  };
  return {
    room,
    ticket,
    signedTicket: signTicket(deps.settings.ticketSecret, ticket),
    created: joined.created,
  };
}
