// The waiting room's domain errors, each with a stable code for clients.

import type { RoomState } from './rooms/room.ts';
import { Problem } from './service/index.ts';

export const roomNotFound = (roomId: string) =>
  new Problem({
    status: 404,
    code: 'room_not_found',
    title: 'No such room',
    detail: `There is no waiting room "${roomId}".`,
  });

export function roomNotAcceptingJoins(state: RoomState, opensAt: Date, closesAt: Date): Problem {
  if (state === 'scheduled') {
    return new Problem({
      status: 409,
      code: 'room_not_open_yet',
      title: 'The queue is not open yet',
      detail: `Joining opens at ${opensAt.toISOString()}.`,
      extensions: { state, opensAt: opensAt.toISOString() },
    });
  }
  return new Problem({
    status: 409,
    code: 'room_closed',
    title: 'The sale is closed',
    detail: `This room closed at ${closesAt.toISOString()}; it takes no more visitors.`,
    extensions: { state, closedAt: closesAt.toISOString() },
  });
}

export const roomDraining = () =>
  new Problem({
    status: 409,
    code: 'room_draining',
    title: 'The queue takes no new visitors',
    detail: 'The operator is letting the people already waiting through; no new places are given.',
    extensions: { state: 'draining' },
  });

export const ticketMissing = () =>
  new Problem({
    status: 401,
    code: 'ticket_missing',
    title: 'Queue ticket required',
    detail: 'Send the queue ticket from the join response (cookie or X-Queue-Ticket header).',
  });

export const ticketInvalid = () =>
  new Problem({
    status: 401,
    code: 'ticket_invalid',
    title: 'Queue ticket not valid',
    detail: 'The queue ticket is malformed or its signature does not match; join again.',
  });

export const ticketWrongRoom = (roomId: string) =>
  new Problem({
    status: 403,
    code: 'ticket_wrong_room',
    title: 'Ticket is for another room',
    detail: `This queue ticket does not hold a place in "${roomId}".`,
  });

export const joinRateLimited = (retryAfterMs: number) => {
  const seconds = Math.max(1, Math.ceil(retryAfterMs / 1000));
  return new Problem({
    status: 429,
    code: 'rate_limited',
    title: 'Too many join attempts',
    detail: `Try again in ${seconds} s. Your place, if you have one, is kept.`,
    extensions: { retryAfterSeconds: seconds },
    headers: { 'retry-after': String(seconds) },
  });
};

export const proofOfWorkRefused = (reason: string, difficulty: number) =>
  new Problem({
    status: reason === 'missing' ? 428 : 422,
    code: reason === 'missing' ? 'pow_required' : 'pow_invalid',
    title: reason === 'missing' ? 'Proof of work required' : 'Proof of work not accepted',
    detail:
      reason === 'missing'
        ? `Fetch a challenge from the room's /challenge endpoint and solve it (difficulty ${difficulty}).`
        : `The proof of work was refused: ${reason.replaceAll('_', ' ')}.`,
    extensions: { reason, difficulty },
  });

export const queueUnavailable = () =>
  new Problem({
    status: 503,
    code: 'queue_unavailable',
    title: 'Queue temporarily unavailable',
    detail: 'The queue store is not answering. Your place is kept; retry shortly.',
    headers: { 'retry-after': '2' },
  });

export const roomPreparing = () =>
  new Problem({
    status: 503,
    code: 'room_preparing',
    title: 'The pre-queue is being prepared',
    detail: "The room's fairness seed is being committed before the first join; retry in a second.",
    headers: { 'retry-after': '1' },
  });
