import { createRoute, OpenAPIHono } from '@hono/zod-openapi';
import type { Context } from 'hono';
import type { WaitingRoomDeps } from '../deps.ts';
import { issueChallenge } from '../limits/proof-of-work.ts';
import { roomNotFound } from '../problems.ts';
import { effectiveRoomState } from '../rooms/room.ts';
import { limitBody, Problem, validationHook } from '../service/index.ts';
import { joinVisitor, orUnavailable } from '../visitors/join-visitor.ts';
import { roomFairness } from '../visitors/room-fairness.ts';
import { type VisitorStatus, visitorStatus } from '../visitors/visitor-status.ts';
import {
  clearTicketCookie,
  clientIp,
  presentedTicket,
  requireTicket,
  setTicketCookie,
} from './request-helpers.ts';
import {
  ChallengeSchema,
  FairnessSchema,
  JoinBody,
  JoinSchema,
  problemResponses,
  RoomParams,
  RoomStateSchema,
  StatusSchema,
} from './schemas.ts';

const json = <S>(schema: S, description: string) => ({
  description,
  content: { 'application/json': { schema } },
});

const joinRoute = createRoute({
  method: 'post',
  path: '/v1/rooms/{room}/join',
  summary: 'Take a place in the queue (or get your place back)',
  middleware: [limitBody(4096)] as const,
  request: {
    params: RoomParams,
    body: { content: { 'application/json': { schema: JoinBody } }, required: false },
  },
  responses: {
    200: json(JoinSchema, 'The visitor already had a place: it is returned'),
    201: json(JoinSchema, 'A new place'),
    ...problemResponses(404, 409, 413, 415, 422, 428, 429, 503),
  },
});

const statusRoute = createRoute({
  method: 'get',
  path: '/v1/rooms/{room}/status',
  summary: "A ticket holder's position, wait band and, once admitted, the admission token",
  request: { params: RoomParams },
  responses: {
    200: json(StatusSchema, 'Where the visitor stands'),
    ...problemResponses(401, 403, 404, 422, 503),
  },
});

const stateRoute = createRoute({
  method: 'get',
  path: '/v1/rooms/{room}/state',
  summary: 'The room for everyone: pointer, rate, state; cacheable for 1 s',
  request: { params: RoomParams },
  responses: { 200: json(RoomStateSchema, 'Room state'), ...problemResponses(404, 422, 503) },
});

const challengeRoute = createRoute({
  method: 'get',
  path: '/v1/rooms/{room}/challenge',
  summary: 'A proof-of-work challenge to solve before joining (when the room asks for one)',
  request: { params: RoomParams },
  responses: { 200: json(ChallengeSchema, 'Challenge'), ...problemResponses(404, 422) },
});

const fairnessRoute = createRoute({
  method: 'get',
  path: '/v1/rooms/{room}/fairness',
  summary: 'Pre-queue shuffle: seed hash, seed (after opening), join log and drawn order',
  request: { params: RoomParams },
  responses: {
    200: json(FairnessSchema, 'Published shuffle data'),
    ...problemResponses(404, 422, 503),
  },
});

function statusBody(status: VisitorStatus) {
  const { renewedTicket: _renewed, ...body } = status;
  return body;
}

export function visitorApi(deps: WaitingRoomDeps, options: { trustProxy: boolean }) {
  const app = new OpenAPIHono({ defaultHook: validationHook });
  const secret = deps.settings.ticketSecret;

  app.openapi(joinRoute, async (c) => {
    const { room: roomId } = c.req.valid('param');
    const body = c.req.valid('json');
    const joined = await joinVisitor(deps, {
      roomId,
      presentedTicket: presentedTicket(c, roomId),
      clientIp: clientIp(c, options.trustProxy),
      proofOfWork: body.proofOfWork,
    }).catch((error: unknown) => {
      // A stale or forged cookie would otherwise refuse this browser forever.
      if (error instanceof Problem && error.code === 'ticket_invalid') clearTicketCookie(c, roomId);
      throw error;
    });
    const status = await visitorStatus(deps, roomId, joined.ticket);
    const signedTicket = status.renewedTicket ?? joined.signedTicket;
    setTicketCookie(
      c,
      roomId,
      signedTicket,
      (joined.room.closesAt.getTime() - deps.now()) / 1000 + 3600,
    );
    c.header('cache-control', 'no-store');
    return c.json(
      { ...statusBody(status), ticket: signedTicket, created: joined.created },
      joined.created ? 201 : 200,
    );
  });

  app.openapi(statusRoute, async (c) => {
    const { room: roomId } = c.req.valid('param');
    const ticket = requireTicket(c, roomId, secret);
    const status = await visitorStatus(deps, roomId, ticket);
    if (status.renewedTicket) {
      const room = await deps.catalog.get(roomId);
      const closesInSeconds = room ? (room.closesAt.getTime() - deps.now()) / 1000 : 0;
      setTicketCookie(c, roomId, status.renewedTicket, closesInSeconds + 3600);
    }
    c.header('cache-control', 'no-store');
    return c.json(statusBody(status), 200);
  });

  app.openapi(stateRoute, async (c) => {
    const { room: roomId } = c.req.valid('param');
    return c.json(await roomStateDocument(deps, roomId, c), 200);
  });

  app.openapi(challengeRoute, async (c) => {
    const { room: roomId } = c.req.valid('param');
    const room = await deps.catalog.get(roomId);
    if (!room) throw roomNotFound(roomId);
    c.header('cache-control', 'no-store');
    if (room.powDifficulty === 0) {
      return c.json({ required: false, challenge: null, difficulty: 0, expiresAt: null }, 200);
    }
    const issued = issueChallenge(secret, room.id, room.powDifficulty, deps.now());
    return c.json(
      {
        required: true,
        challenge: issued.challenge,
        difficulty: issued.difficulty,
        expiresAt: new Date(issued.expiresAtMs).toISOString(),
      },
      200,
    );
  });

  app.openapi(fairnessRoute, async (c) => {
    const { room: roomId } = c.req.valid('param');
    c.header('cache-control', 'public, max-age=5');
    return c.json(await roomFairness(deps, roomId), 200);
  });

  return app;
}

/** The shared document every poller may read: no per-visitor data, cacheable for a second. */
async function roomStateDocument(deps: WaitingRoomDeps, roomId: string, c: Context) {
  const room = await deps.catalog.get(roomId);
  if (!room) throw roomNotFound(roomId);
  const nowMs = deps.now();
  const state = effectiveRoomState(room, nowMs);
  const { queue, rates } = await orUnavailable(deps.queueState.get(room.id));
  c.header('cache-control', 'public, max-age=1');
  const seedRevealed = state !== 'scheduled' && state !== 'pre_queue';
  return {
    room: room.id,
    name: room.name,
    mode: room.mode,
    state,
    servedUpTo: queue.servedUpTo,
    lastNumber: queue.lastNumber,
    waiting: Math.max(0, queue.lastNumber - queue.servedUpTo),
    prequeueCount: queue.prequeueCount,
    admittedTotal: queue.admittedTotal,
    admissionRatePerSecond: Math.round(Math.max(rates.short, rates.long) * 100) / 100,
    schedule: {
      prequeueOpensAt: room.prequeueOpensAt.toISOString(),
      saleOpensAt: room.saleOpensAt.toISOString(),
      closesAt: room.closesAt.toISOString(),
    },
    shuffleSeedHash: room.shuffleSeedHash,
    shuffleSeed: seedRevealed ? room.shuffleSeed : null,
    updatedAt: new Date(queue.updatedMs || nowMs).toISOString(),
  };
}
