// Bad input of every kind, to every endpoint: each gets a 4xx problem+json
// with a clear code, and the room's Redis keys are byte-for-byte unchanged.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signTicket } from '../../src/visitors/ticket.ts';
import { createWorld, type World } from '../support/world.ts';

let world: World;
let roomId: string;
let otherRoomId: string;
let validTicket: string;

beforeAll(async () => {
  world = await createWorld();
  roomId = await world.addRoom({ powDifficulty: 4 });
  otherRoomId = await world.addRoom();
  // Some state to protect: two waiting visitors, one admitted.
  const { solveChallenge } = await import('../../src/limits/proof-of-work.ts');
  for (let i = 0; i < 3; i++) {
    const { challenge } = (await (
      await world.app.request(`/v1/rooms/${roomId}/challenge`)
    ).json()) as { challenge: string };
    const response = await world.app.request(`/v1/rooms/${roomId}/join`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ proofOfWork: { challenge, nonce: solveChallenge(challenge, 4) } }),
    });
    validTicket = String(((await response.json()) as { ticket: string }).ticket);
  }
  await world.admit(roomId, 1);
});
afterAll(async () => {
  await world.close();
});

const forgedNumber = () => {
  const [prefix, body, mac] = validTicket.split('.');
  const payload = JSON.parse(Buffer.from(body ?? '', 'base64url').toString()) as Record<
    string,
    unknown
  >;
  payload.n = 1;
  return [prefix, Buffer.from(JSON.stringify(payload)).toString('base64url'), mac].join('.');
};

interface Case {
  name: string;
  method?: 'GET' | 'POST';
  path: () => string;
  headers?: () => Record<string, string>;
  body?: () => string;
  status: number;
  code: string;
}

const join = () => `/v1/rooms/${roomId}/join`;
const json = { 'content-type': 'application/json' };

const cases: Case[] = [
  {
    name: 'join: malformed JSON',
    method: 'POST',
    path: join,
    headers: () => json,
    body: () => '{"proofOfWork":',
    status: 400,
    code: 'malformed_request',
  },
  {
    name: 'join: JSON array',
    method: 'POST',
    path: join,
    headers: () => json,
    body: () => '[1,2]',
    status: 422,
    code: 'invalid_input',
  },
  {
    name: 'join: unknown field',
    method: 'POST',
    path: join,
    headers: () => json,
    body: () => '{"number":1}',
    status: 422,
    code: 'invalid_input',
  },
  {
    name: 'join: proof of work of the wrong type',
    method: 'POST',
    path: join,
    headers: () => json,
    body: () => '{"proofOfWork":"yes"}',
    status: 422,
    code: 'invalid_input',
  },
  {
    name: 'join: nonce not digits',
    method: 'POST',
    path: join,
    headers: () => json,
    body: () => '{"proofOfWork":{"challenge":"p1.x.y","nonce":"1; DROP"}}',
    status: 422,
    code: 'invalid_input',
  },
  {
    name: 'join: forged challenge',
    method: 'POST',
    path: join,
    headers: () => json,
    body: () => '{"proofOfWork":{"challenge":"p1.eyJyIjoiYSJ9.AAAA","nonce":"1"}}',
    status: 422,
    code: 'pow_invalid',
  },
  {
    name: 'join: oversized body',
    method: 'POST',
    path: join,
    headers: () => json,
    body: () => JSON.stringify({ proofOfWork: { challenge: 'x'.repeat(10_000), nonce: '1' } }),
    status: 413,
    code: 'body_too_large',
  },
  {
    name: 'join: form body',
    method: 'POST',
    path: join,
    headers: () => ({ 'content-type': 'text/plain' }),
    body: () => 'hello',
    status: 415,
    code: 'unsupported_media_type',
  },
  {
    name: 'join: forged ticket',
    method: 'POST',
    path: join,
    headers: () => ({ 'x-queue-ticket': forgedNumber() }),
    status: 401,
    code: 'ticket_invalid',
  },
  {
    name: 'join: ticket of another room',
    method: 'POST',
    path: () => `/v1/rooms/${otherRoomId}/join`,
    headers: () => ({ 'x-queue-ticket': validTicket }),
    status: 403,
    code: 'ticket_wrong_room',
  },
  {
    name: 'join: ticket signed with another secret',
    method: 'POST',
    path: join,
    headers: () => ({
      'x-queue-ticket': signTicket('another-secret-another-secret-another', {
        room: roomId,
        visitor: 'AAAAAAAAAAAAAAAAAAAAAA',
        number: 1,
        issuedAtSec: 0,
      }),
    }),
    status: 401,
    code: 'ticket_invalid',
  },
  {
    name: 'join: 8 KB ticket header',
    method: 'POST',
    path: join,
    headers: () => ({ 'x-queue-ticket': 'q1.'.padEnd(8192, 'A') }),
    status: 401,
    code: 'ticket_invalid',
  },
  {
    name: 'join: path traversal room',
    method: 'POST',
    path: () => '/v1/rooms/..%2F..%2Fetc/join',
    status: 422,
    code: 'invalid_input',
  },
  {
    name: 'join: upper-case room',
    method: 'POST',
    path: () => '/v1/rooms/DEMO/join',
    status: 422,
    code: 'invalid_input',
  },
  {
    name: 'join: 300-character room',
    method: 'POST',
    path: () => `/v1/rooms/${'a'.repeat(300)}/join`,
    status: 422,
    code: 'invalid_input',
  },
  {
    name: 'join: unknown room',
    method: 'POST',
    path: () => '/v1/rooms/no-such-room/join',
    status: 404,
    code: 'room_not_found',
  },
  {
    name: 'status: no ticket',
    path: () => `/v1/rooms/${roomId}/status`,
    status: 401,
    code: 'ticket_missing',
  },
  {
    name: 'status: garbage ticket',
    path: () => `/v1/rooms/${roomId}/status`,
    headers: () => ({ 'x-queue-ticket': 'q1.<script>.x' }),
    status: 401,
    code: 'ticket_invalid',
  },
  {
    name: 'status: forged number',
    path: () => `/v1/rooms/${roomId}/status`,
    headers: () => ({ 'x-queue-ticket': forgedNumber() }),
    status: 401,
    code: 'ticket_invalid',
  },
  {
    name: 'status: ticket of another room',
    path: () => `/v1/rooms/${otherRoomId}/status`,
    headers: () => ({ 'x-queue-ticket': validTicket }),
    status: 403,
    code: 'ticket_wrong_room',
  },
  {
    name: 'status: unicode room',
    path: () => '/v1/rooms/%E0%A4%A4%E0%A4%A4/status',
    headers: () => ({ 'x-queue-ticket': validTicket }),
    status: 422,
    code: 'invalid_input',
  },
  {
    name: 'events: no ticket',
    path: () => `/v1/rooms/${roomId}/events`,
    status: 401,
    code: 'ticket_missing',
  },
  {
    name: 'events: forged ticket',
    path: () => `/v1/rooms/${roomId}/events`,
    headers: () => ({ 'x-queue-ticket': forgedNumber() }),
    status: 401,
    code: 'ticket_invalid',
  },
  {
    name: 'state: hostile room',
    path: () => "/v1/rooms/a'%20or%201=1/state",
    status: 422,
    code: 'invalid_input',
  },
  {
    name: 'state: unknown room',
    path: () => '/v1/rooms/nowhere/state',
    status: 404,
    code: 'room_not_found',
  },
  {
    name: 'challenge: unknown room',
    path: () => '/v1/rooms/nowhere/challenge',
    status: 404,
    code: 'room_not_found',
  },
  {
    name: 'fairness: hostile room',
    path: () => '/v1/rooms/%00/fairness',
    status: 422,
    code: 'invalid_input',
  },
  { name: 'unknown path', path: () => '/v1/rooms', status: 404, code: 'not_found' },
];

describe('bad input changes nothing', () => {
  it.each(cases)('$name → $status $code', async (row) => {
    const before = {
      room: await world.roomSnapshot(roomId),
      other: await world.roomSnapshot(otherRoomId),
    };
    const response = await world.app.request(row.path(), {
      method: row.method ?? 'GET',
      headers: { 'x-forwarded-for': '203.0.113.99', ...(row.headers?.() ?? {}) },
      ...(row.body ? { body: row.body() } : {}),
    });
    expect(response.status).toBe(row.status);
    expect(response.headers.get('content-type')).toBe('application/problem+json');
    const problem = (await response.json()) as Record<string, unknown>;
    expect(problem).toMatchObject({ status: row.status, code: row.code });
    expect(String(problem.detail ?? problem.title).length).toBeGreaterThan(5);
    expect({
      room: await world.roomSnapshot(roomId),
      other: await world.roomSnapshot(otherRoomId),
    }).toEqual(before);
  });

  it('the protected state is really there (the snapshot is not empty)', async () => {
    const snapshot = await world.roomSnapshot(roomId);
    expect(Object.keys(snapshot).length).toBeGreaterThanOrEqual(4);
  });
});
