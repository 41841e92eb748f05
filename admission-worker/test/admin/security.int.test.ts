// Who may do what, table-driven over every endpoint: no token or a bad one is
// 401, a viewer's write is 403, and in every refused case nothing changes
// (rooms rows, the audit log and the room's Redis state are compared before
// and after). Bad input is 422 problem+json, also without any change.
import { operatorTokens, rooms } from '@tatkal/drizzle';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOperatorToken } from '../../src/admin/index.ts';
import { type AdminWorld, adminWorld, stateFingerprint } from './support.ts';

let world: AdminWorld;
let revokedToken = '';
beforeAll(async () => {
  world = await adminWorld();
  const made = await createOperatorToken(world.db.db, {
    name: 'former-operator',
    role: 'operator',
  });
  await world.db.db
    .update(operatorTokens)
    .set({ revokedAt: new Date() })
    .where(eq(operatorTokens.id, made.tokenId));
  revokedToken = made.token;
});
afterAll(() => world?.close());

type Call = [method: string, path: string, body?: unknown];

const writes: Call[] = [
  [
    'POST',
    '/admin/rooms',
    {
      id: 'new-room',
      name: 'New',
      scope: { journeyId: null, classCodes: ['SL'], quotas: ['TQ'] },
      schedule: {
        prequeueOpensAt: '2030-01-01T09:45:00Z',
        saleOpensAt: '2030-01-01T10:00:00Z',
        closesAt: '2030-01-01T12:00:00Z',
      },
    },
  ],
  ['PATCH', '/admin/rooms/demo', { name: 'Renamed' }],
  ['PATCH', '/admin/rooms/demo/bounds', { maxPerSecond: 10 }],
  ['PUT', '/admin/rooms/demo/brake', { on: true }],
  ['POST', '/admin/rooms/demo/open'],
  ['POST', '/admin/rooms/demo/pause'],
  ['POST', '/admin/rooms/demo/resume'],
  ['POST', '/admin/rooms/demo/close'],
  ['POST', '/admin/rooms/demo/drain'],
  ['DELETE', '/admin/rooms/demo/drain'],
  ['POST', '/admin/rooms/demo/revoke-tokens'],
];

const reads: Call[] = [
  ['GET', '/admin/rooms'],
  ['GET', '/admin/rooms/demo'],
  ['GET', '/admin/rooms/demo/decisions'],
  ['GET', '/admin/audit'],
  ['GET', '/admin/whoami'],
];

async function expectProblem(response: Response, status: number, code: string) {
  const text = await response.text();
  expect(response.status, text).toBe(status);
  expect(response.headers.get('content-type')).toBe('application/problem+json');
  const body = JSON.parse(text);
  expect(body).toMatchObject({ status, code, type: `https://tatkal.dev/problems/${code}` });
  expect(body.title).toEqual(expect.any(String));
  expect(body.requestId).toEqual(expect.any(String));
  return body;
}

describe.each([
  ['no token', null, 401, 'operator_token_missing'],
  [
    'an unknown token',
    'tkop_thisTokenWasNeverIssuedByAnyone0000000000',
    401,
    'operator_token_invalid',
  ],
  ['a revoked token', 'revoked', 401, 'operator_token_invalid'],
  ['a malformed header', 'two words', 401, 'operator_token_invalid'],
  ['a viewer token', 'viewer', 403, 'operator_role_required'],
] as const)('with %s', (_label, presented, status, code) => {
  const token = () =>
    presented === 'viewer'
      ? world.tokens.viewer
      : presented === 'revoked'
        ? revokedToken
        : presented;

  it.each(writes)('%s %s is refused and changes nothing', async (method, path, body) => {
    const before = await stateFingerprint(world);
    const response = await world.call(method, path, { token: token(), body });
    await expectProblem(response, status, code);
    if (status === 401) expect(response.headers.get('www-authenticate')).toMatch(/^Bearer /);
    expect(await stateFingerprint(world)).toBe(before);
  });

  if (status === 401) {
    it.each(reads)('%s %s is refused', async (method, path) => {
      await expectProblem(await world.call(method, path, { token: token() }), status, code);
    });
  } else {
    it.each(reads)('%s %s is allowed', async (method, path) => {
      expect((await world.call(method, path, { token: token() })).status).toBe(200);
    });
  }
});

describe('a viewer', () => {
  it('is refused a write even with a bad body (403 before 422), and nothing changes', async () => {
    const before = await stateFingerprint(world);
    await expectProblem(
      await world.call('PATCH', '/admin/rooms/demo/bounds', {
        token: world.tokens.viewer,
        body: { maxPerSecond: -1 },
      }),
      403,
      'operator_role_required',
    );
    expect(await stateFingerprint(world)).toBe(before);
  });
});

const invalid: Array<[label: string, ...call: Call]> = [
  ['a room id that is not a slug', 'POST', '/admin/rooms/Demo!/pause'],
  ['bounds with a string number', 'PATCH', '/admin/rooms/demo/bounds', { maxPerSecond: '10' }],
  ['bounds with a negative rate', 'PATCH', '/admin/rooms/demo/bounds', { minPerSecond: -1 }],
  [
    'bounds with min above max',
    'PATCH',
    '/admin/rooms/demo/bounds',
    { minPerSecond: 300, maxPerSecond: 100 },
  ],
  [
    'bounds with min above the current max',
    'PATCH',
    '/admin/rooms/demo/bounds',
    { minPerSecond: 201 },
  ],
  ['bounds with a fraction', 'PATCH', '/admin/rooms/demo/bounds', { latencyTargetMs: 1.5 }],
  ['bounds with nothing in them', 'PATCH', '/admin/rooms/demo/bounds', {}],
  [
    'bounds with an unknown field',
    'PATCH',
    '/admin/rooms/demo/bounds',
    { maxPerSecond: 10, speed: 1 },
  ],
  ['a brake without on', 'PUT', '/admin/rooms/demo/brake', {}],
  ['a brake with "yes"', 'PUT', '/admin/rooms/demo/brake', { on: 'yes' }],
  ['an update with nothing in it', 'PATCH', '/admin/rooms/demo', {}],
  ['an update with a bad mode', 'PATCH', '/admin/rooms/demo', { mode: 'random' }],
  ['an update with a bad class', 'PATCH', '/admin/rooms/demo', { scope: { classCodes: ['CC'] } }],
  ['an update with an empty name', 'PATCH', '/admin/rooms/demo', { name: '   ' }],
  [
    'an update with a zone-less time',
    'PATCH',
    '/admin/rooms/demo',
    { schedule: { closesAt: '2030-01-01T10:00:00' } },
  ],
  [
    'a schedule that closes before it opens',
    'PATCH',
    '/admin/rooms/demo',
    { schedule: { closesAt: '2001-01-01T00:00:00Z' } },
  ],
  ['an unknown journey', 'PATCH', '/admin/rooms/demo', { scope: { journeyId: 999999 } }],
  ['a session of a second', 'PATCH', '/admin/rooms/demo', { sessionSeconds: 1 }],
  [
    'a create without a schedule',
    'POST',
    '/admin/rooms',
    { id: 'x-room', name: 'X', scope: { journeyId: null, classCodes: ['SL'], quotas: ['TQ'] } },
  ],
  ['a create with a bad id', 'POST', '/admin/rooms', { id: '-bad', name: 'X' }],
  ['a body that is an array', 'PATCH', '/admin/rooms/demo/bounds', [1, 2]],
  ['a decisions count of zero', 'GET', '/admin/rooms/demo/decisions?count=0'],
  ['a decisions count of "ten"', 'GET', '/admin/rooms/demo/decisions?count=ten'],
  ['an audit limit too large', 'GET', '/admin/audit?limit=5000'],
];

describe('bad input', () => {
  it.each(invalid)('%s is 422 and changes nothing', async (_label, method, path, body) => {
    const before = await stateFingerprint(world);
    const problem = await expectProblem(
      await world.call(method, path, { body }),
      422,
      'invalid_input',
    );
    expect(problem.errors?.length ?? 1).toBeGreaterThan(0);
    expect(await stateFingerprint(world)).toBe(before);
  });

  it('malformed JSON is refused and changes nothing', async () => {
    const before = await stateFingerprint(world);
    const response = await world.call('PATCH', '/admin/rooms/demo/bounds', {
      body: '{"maxPerSecond": ',
    });
    expect([400, 422]).toContain(response.status);
    expect(response.headers.get('content-type')).toBe('application/problem+json');
    expect(await stateFingerprint(world)).toBe(before);
  });

  it('an oversized body is 413 and changes nothing', async () => {
    const before = await stateFingerprint(world);
    await expectProblem(
      await world.call('PATCH', '/admin/rooms/demo', { body: { name: 'x'.repeat(20_000) } }),
      413,
      'body_too_large',
    );
    expect(await stateFingerprint(world)).toBe(before);
  });
});

describe('refused changes', () => {
  it.each([
    ['an unknown room', 'POST', '/admin/rooms/no-such-room/pause', 404, 'room_not_found'],
    ['live state of an unknown room', 'GET', '/admin/rooms/no-such-room', 404, 'room_not_found'],
    [
      'resuming a room that is not paused',
      'POST',
      '/admin/rooms/demo/resume',
      409,
      'room_transition_refused',
    ],
    ['creating a room that exists', 'POST', '/admin/rooms', 409, 'room_exists'],
  ] as const)('%s', async (_label, method, path, status, code) => {
    const before = await stateFingerprint(world);
    const body =
      path === '/admin/rooms'
        ? {
            id: 'demo',
            name: 'Again',
            scope: { journeyId: null, classCodes: ['SL'], quotas: ['TQ'] },
            schedule: {
              prequeueOpensAt: '2030-01-01T09:45:00Z',
              saleOpensAt: '2030-01-01T10:00:00Z',
              closesAt: '2030-01-01T12:00:00Z',
            },
          }
        : undefined;
    await expectProblem(await world.call(method, path, { body }), status, code);
    expect(await stateFingerprint(world)).toBe(before);
  });

  it('pausing or draining a room whose schedule has closed it is 409', async () => {
    const closed = 'ended-sale';
    await world.db.db.insert(rooms).values({
      id: closed,
      name: 'An earlier sale',
      classCodes: ['SL'],
      quotas: ['TQ'],
      prequeueOpensAt: new Date('2020-01-01T04:15:00Z'),
      saleOpensAt: new Date('2020-01-01T04:30:00Z'),
      closesAt: new Date('2020-01-01T06:30:00Z'),
    });
    const response = await world.call('GET', `/admin/rooms/${closed}`);
    expect(((await response.json()) as { room: { state: string } }).room.state).toBe('closed');
    const before = await stateFingerprint(world);
    await expectProblem(
      await world.call('POST', `/admin/rooms/${closed}/pause`),
      409,
      'room_transition_refused',
    );
    await expectProblem(
      await world.call('POST', `/admin/rooms/${closed}/drain`),
      409,
      'room_transition_refused',
    );
    expect(await stateFingerprint(world)).toBe(before);
  });
});

describe('the state fingerprint (negative control)', () => {
  it('does see a change: an operator pause alters it', async () => {
    const before = await stateFingerprint(world);
    expect((await world.call('POST', '/admin/rooms/demo/drain')).status).toBe(200);
    const afterDrain = await stateFingerprint(world);
    expect(afterDrain).not.toBe(before);
    expect((await world.call('DELETE', '/admin/rooms/demo/drain')).status).toBe(200);
    expect(await stateFingerprint(world)).not.toBe(afterDrain);
  });
});
