import { createLocalJWKSet } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { solveChallenge } from '../../src/limits/proof-of-work.ts';
import { createAdmissionVerifier } from '../../src/tokens/index.ts';
import { ticketCookieName } from '../../src/visitors/ticket.ts';
import { createWorld, type World } from '../support/world.ts';

let world: World;
beforeAll(async () => {
  world = await createWorld();
});
afterAll(async () => {
  await world.close();
});

async function join(roomId: string, headers: Record<string, string> = {}, body?: unknown) {
  const response = await world.app.request(`/v1/rooms/${roomId}/join`, {
    method: 'POST',
    headers: { ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...headers },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  return { response, body: (await response.json()) as Record<string, unknown> };
}

async function status(roomId: string, ticket: string) {
  const response = await world.app.request(`/v1/rooms/${roomId}/status`, {
    headers: { 'x-queue-ticket': ticket },
  });
  return { response, body: (await response.json()) as Record<string, unknown> };
}

describe('visitor API: the path of a waiting visitor', () => {
  it('joins, gets the same place back, waits, and is admitted with a token that verifies', async () => {
    const roomId = await world.addRoom();
    const first = await join(roomId);
    expect(first.response.status).toBe(201);
    expect(first.body).toMatchObject({
      room: roomId,
      standing: 'waiting',
      number: 1,
      position: 1,
      peopleAhead: 0,
      created: true,
    });

    const cookie = first.response.headers.get('set-cookie') ?? '';
    expect(cookie).toContain(`${ticketCookieName(roomId)}=`);
    expect(cookie).toMatch(/HttpOnly/i);
    expect(cookie).toMatch(/Secure/i);
    expect(cookie).toMatch(/SameSite=Lax/i);

    const ticket = String(first.body.ticket);
    const again = await join(roomId, { 'x-queue-ticket': ticket });
    expect(again.response.status).toBe(200);
    expect(again.body).toMatchObject({ number: 1, created: false });

    const second = await join(roomId);
    expect(second.body).toMatchObject({ number: 2, position: 2, peopleAhead: 1 });

    expect(await world.admit(roomId, 1)).toEqual([1]);
    await new Promise((resolve) => setTimeout(resolve, 120));

    const admitted = await status(roomId, ticket);
    expect(admitted.response.status).toBe(200);
    expect(admitted.body).toMatchObject({ standing: 'admitted', position: 0 });
    const admission = admitted.body.admission as { token: string; bookingUrl: string };
    expect(admission.bookingUrl).toBe(
      `https://book.example.test/book?room=${roomId}#token=${admission.token}`,
    );

    // Asking again returns the same admission.
    const repeated = await status(roomId, ticket);
    expect((repeated.body.admission as { token: string }).token).toBe(admission.token);

    const verifier = createAdmissionVerifier({
      keys: createLocalJWKSet(world.deps.admissionKeys.current().jwks),
      issuer: 'tatkal-waiting-room',
      audience: 'tatkal-booking-api',
      redis: world.redis,
      keyPrefix: world.prefix,
    });
    const claims = await verifier.verify(admission.token, { room: roomId });
    expect(claims).toMatchObject({
      room: roomId,
      scope: { journeyId: world.journeyId, classes: ['3A', 'SL'], quotas: ['TQ'] },
    });
    expect(claims.exp - claims.iat).toBe(600);

    const waiting = await status(roomId, String(second.body.ticket));
    expect(waiting.body).toMatchObject({
      standing: 'waiting',
      number: 2,
      position: 1,
      peopleAhead: 0,
    });
  });

  it('serves one cacheable state document for all pollers', async () => {
    const roomId = await world.addRoom();
    await join(roomId);
    await join(roomId);
    await world.admit(roomId, 1);
    await new Promise((resolve) => setTimeout(resolve, 120));
    const response = await world.app.request(`/v1/rooms/${roomId}/state`);
    expect(response.status).toBe(200);
    expect(response.headers.get('cache-control')).toBe('public, max-age=1');
    expect(await response.json()).toMatchObject({
      room: roomId,
      state: 'open',
      mode: 'fifo',
      servedUpTo: 1,
      lastNumber: 2,
      waiting: 1,
      admittedTotal: 1,
      shuffleSeed: null,
    });
  });

  it('never shows a position that goes up while the queue moves', async () => {
    const roomId = await world.addRoom();
    const tickets: string[] = [];
    for (let i = 0; i < 12; i++) tickets.push(String((await join(roomId)).body.ticket));
    const last = tickets.at(-1) ?? '';
    let previous = Number.POSITIVE_INFINITY;
    for (let step = 0; step < 6; step++) {
      const { body } = await status(roomId, last);
      expect(Number(body.position)).toBeLessThanOrEqual(previous);
      previous = Number(body.position);
      await world.admit(roomId, 2);
      await new Promise((resolve) => setTimeout(resolve, 110));
    }
    expect(previous).toBeLessThan(12);
  });

  it('refuses joins before the pre-queue opens and after the room closes, with the reason', async () => {
    const early = await world.addRoom({
      prequeueOpensAt: new Date(world.clock.nowMs + 60_000),
      saleOpensAt: new Date(world.clock.nowMs + 120_000),
    });
    const refusedEarly = await join(early);
    expect(refusedEarly.response.status).toBe(409);
    expect(refusedEarly.body).toMatchObject({ code: 'room_not_open_yet', state: 'scheduled' });

    const closed = await world.addRoom({ status: 'closed' });
    const refusedClosed = await join(closed);
    expect(refusedClosed.response.status).toBe(409);
    expect(refusedClosed.body).toMatchObject({ code: 'room_closed' });
  });

  it('asks for proof of work when the room wants it, and spends each challenge once', async () => {
    const roomId = await world.addRoom({ powDifficulty: 8 });
    const missing = await join(roomId);
    expect(missing.response.status).toBe(428);
    expect(missing.body).toMatchObject({ code: 'pow_required', difficulty: 8 });

    const challenge = (await (await world.app.request(`/v1/rooms/${roomId}/challenge`)).json()) as {
      challenge: string;
      difficulty: number;
    };
    expect(challenge.difficulty).toBe(8);
    const nonce = solveChallenge(challenge.challenge, 8);
    const solved = await join(
      roomId,
      {},
      { proofOfWork: { challenge: challenge.challenge, nonce } },
    );
    expect(solved.response.status).toBe(201);

    const replay = await join(
      roomId,
      {},
      { proofOfWork: { challenge: challenge.challenge, nonce } },
    );
    expect(replay.response.status).toBe(422);
    expect(replay.body).toMatchObject({ code: 'pow_invalid', reason: 'replayed' });

    // The visitor who already holds a place is not asked again.
    const back = await join(roomId, { 'x-queue-ticket': String(solved.body.ticket) });
    expect(back.response.status).toBe(200);
  });

  it('publishes the OpenAPI document and the JWKS', async () => {
    const openapi = (await (await world.app.request('/openapi.json')).json()) as {
      paths: Record<string, unknown>;
    };
    expect(Object.keys(openapi.paths)).toEqual(
      expect.arrayContaining([
        '/v1/rooms/{room}/join',
        '/v1/rooms/{room}/status',
        '/v1/rooms/{room}/events',
        '/v1/rooms/{room}/state',
      ]),
    );
    const jwks = (await (await world.app.request('/.well-known/jwks.json')).json()) as {
      keys: Array<Record<string, unknown>>;
    };
    expect(jwks.keys).toHaveLength(1);
    expect(jwks.keys[0]).toMatchObject({ kty: 'OKP', crv: 'Ed25519' });
    expect(jwks.keys[0]).not.toHaveProperty('d');
  });
});
