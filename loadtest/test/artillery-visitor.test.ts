// The journey scenario's pure parts: which answers a visitor expects, the tampered tokens it
// sends, where it may point the load, and how it picks named seats. The scenario itself runs
// against the real stack in e2e/artillery-smoke.int.test.ts.
import { generateKeyPairSync, sign } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import * as hooks from '../artillery/visitor/hooks.ts';
import { judge } from '../artillery/visitor/outcomes.ts';
import { pickSeats, type SeatMap } from '../artillery/visitor/seat-map.ts';
import { crowdAddress, isLoopbackHost, journeySettings } from '../artillery/visitor/settings.ts';
import { forgedToken, tokenScope, unsignedToken } from '../artillery/visitor/tokens.ts';

const problem = (code: string) => JSON.stringify({ code, status: 0 });

describe('judge: expected answers and refusals per step', () => {
  it.each([
    ['join', 201, '{}', { kind: 'ok' }],
    ['join', 200, '{}', { kind: 'ok' }],
    ['join', 429, problem('rate_limited'), { kind: 'refused', outcome: 'join_rate_limited' }],
    ['hold', 409, problem('not_enough_berths'), { kind: 'refused', outcome: 'sold_out' }],
    ['hold', 409, problem('seat_unavailable'), { kind: 'refused', outcome: 'seat_taken' }],
    ['forged', 401, problem('token_bad_signature'), { kind: 'refused' }],
    ['unsigned', 401, problem('token_algorithm_refused'), { kind: 'refused' }],
    ['other_journey', 403, problem('token_scope'), { kind: 'refused' }],
    ['reused', 403, problem('token_consumed'), { kind: 'refused' }],
  ] as const)('%s answered %i is expected', (step, status, body, verdict) => {
    expect(judge(step, status, body)).toMatchObject(verdict);
  });

  it.each([
    ['book', 500, problem('internal_error')],
    ['book', 503, problem('inventory_unavailable')],
    ['hold', 409, problem('hold_exists')],
    ['status', 401, problem('ticket_invalid')],
    ['pay', 409, 'not json'],
    // A forged token that is accepted, or refused for the wrong reason, is a failure.
    ['forged', 200, '{}'],
    ['forged', 401, problem('token_expired')],
    ['reused', 201, '{}'],
  ] as const)('%s answered %i fails the visit', (step, status, body) => {
    expect(judge(step, status, body).kind).toBe('unexpected');
  });
});

describe('tampered tokens', () => {
  const { privateKey } = generateKeyPairSync('ed25519');
  const segment = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
  const header = segment({ alg: 'EdDSA', kid: 'k1', typ: 'JWT' });
  const payload = segment({
    sub: 'visitor-1',
    scope: { journeyId: 7, classes: ['SL', '3A'], quotas: ['TQ', 'PT'] },
  });
  const signature = sign(null, Buffer.from(`${header}.${payload}`), privateKey).toString(
    'base64url',
  );
  const token = `${header}.${payload}.${signature}`;
  const decode = (part: string | undefined) =>
    JSON.parse(Buffer.from(part ?? '', 'base64url').toString()) as Record<string, unknown>;

  it('reads the scope a booking page needs', () => {
    expect(tokenScope(token)).toEqual({
      journeyId: 7,
      classes: ['SL', '3A'],
      quotas: ['TQ', 'PT'],
    });
  });

  it('forges by changing the subject under the genuine signature', () => {
    const [forgedHeader, forgedPayload, forgedSignature] = forgedToken(token, 'mallory').split('.');
    expect(forgedHeader).toBe(header);
    expect(forgedSignature).toBe(signature);
    expect(decode(forgedPayload).sub).toBe('mallory');
  });

  it('strips the signature and claims alg none', () => {
    const [unsignedHeader, unsignedPayload, unsignedSignature] = unsignedToken(token).split('.');
    expect(decode(unsignedHeader)).toMatchObject({ alg: 'none', kid: 'k1' });
    expect(unsignedPayload).toBe(payload);
    expect(unsignedSignature).toBe('');
  });
});

describe('journey settings', () => {
  it('defaults to the demo on loopback, each visitor from its own address', () => {
    expect(journeySettings({})).toEqual({
      waitingRoomUrl: 'http://127.0.0.1:8080',
      bookingUrl: 'http://127.0.0.1:8081',
      room: 'demo',
      seatMapFile: undefined,
      maxWaitSeconds: 300,
      spreadAddresses: true,
    });
    expect(journeySettings({ TATKAL_WAITING_ROOM_URL: 'http://localhost:8080' })).toMatchObject({
      spreadAddresses: false,
    });
  });

  it.each([
    [{ TATKAL_WAITING_ROOM_URL: 'http://10.0.0.8:8080' }, /loopback/],
    [{ TATKAL_BOOKING_URL: 'https://irctc.co.in' }, /loopback/],
    [{ TATKAL_BOOKING_URL: 'http://127.0.0.1.example.com' }, /loopback/],
    [{ TATKAL_WAITING_ROOM_URL: 'ftp://127.0.0.1' }, /http/],
    [{ TATKAL_ROOM: '../admin' }, /room slug/],
    [{ TATKAL_MAX_WAIT_SECONDS: '0' }, /positive/],
    [{ TATKAL_SPREAD_ADDRESSES: 'yes' }, /auto, on or off/],
  ])('refuses %o', (env, message) => {
    expect(() => journeySettings(env)).toThrow(message);
  });

  it('knows loopback hosts', () => {
    expect(['127.0.0.1', '127.9.8.7', 'localhost', '[::1]'].map(isLoopbackHost)).toEqual([
      true,
      true,
      true,
      true,
    ]);
    expect(['128.0.0.1', '127.0.0.256', '10.127.0.1', 'example.com'].map(isLoopbackHost)).toEqual([
      false,
      false,
      false,
      false,
    ]);
  });

  it('draws crowd addresses in 127.0.0.0/8, never 127.0.0.1', () => {
    expect(crowdAddress(() => 0)).toBe('127.1.1.1');
    expect(crowdAddress(() => 0.999_999)).toBe('127.254.254.254');
    for (let i = 0; i < 200; i++) expect(isLoopbackHost(crowdAddress())).toBe(true);
  });
});

describe('named seats', () => {
  const map: SeatMap = {
    journeyId: 7,
    seats: [
      { seatId: 1, classCode: 'SL', quota: 'TQ' },
      { seatId: 2, classCode: 'SL', quota: 'TQ' },
      { seatId: 3, classCode: 'SL', quota: 'PT' },
      { seatId: 4, classCode: '3A', quota: 'TQ' },
    ],
  };
  const scope = { journeyId: 7, classes: ['SL', '3A'], quotas: ['TQ', 'PT'] };

  it('picks distinct seats of the class and quota asked for', () => {
    for (let i = 0; i < 50; i++) {
      expect(pickSeats(map, scope, 'SL', 'TQ', 2).sort()).toEqual([1, 2]);
      expect(pickSeats(map, scope, '3A', 'TQ', 1)).toEqual([4]);
    }
  });

  it('picks none when too few seats exist or the map is of another journey', () => {
    expect(pickSeats(map, scope, 'SL', 'PT', 2)).toEqual([]);
    expect(pickSeats(map, scope, '2A', 'TQ', 1)).toEqual([]);
    expect(pickSeats(map, { ...scope, journeyId: 8 }, 'SL', 'TQ', 1)).toEqual([]);
  });
});

describe('visitor hooks', () => {
  const events = {
    emitted: [] as string[],
    emit(_type: string, name: string) {
      this.emitted.push(name);
    },
  };
  const arrived = async () => {
    const context = {
      vars: {} as Record<string, unknown>,
      _httpAgent: { options: {} as Record<string, unknown> },
    };
    await hooks.abandoningVisitor(context, events);
    return context;
  };
  const response = (statusCode: number, body: unknown, headers: Record<string, string> = {}) => ({
    statusCode,
    body: JSON.stringify(body),
    headers,
  });
  const loopAgain = (
    context: Parameters<typeof hooks.keepWaiting>[0],
    condition: typeof hooks.keepWaiting,
  ) => new Promise<boolean>((resolve) => condition(context, resolve));

  it('gives each visitor its own loopback source address on its own agent', async () => {
    const context = await arrived();
    expect(isLoopbackHost(String(context._httpAgent.options.localAddress))).toBe(true);
    expect(context._httpAgent.options.localAddress).not.toBe('127.0.0.1');
    expect(context.vars).toMatchObject({ waitingRoomUrl: 'http://127.0.0.1:8080', room: 'demo' });
  });

  it('honours Retry-After on a refused join, five times at most', async () => {
    const context = await arrived();
    for (let attempt = 1; attempt <= 5; attempt++) {
      await hooks.afterJoin(
        {},
        response(429, { code: 'rate_limited' }, { 'retry-after': '3' }),
        context,
        events,
      );
      expect(await loopAgain(context, hooks.joinAgain)).toBe(attempt < 5);
    }
    await expect(hooks.settleJoin(context)).rejects.toThrow(/429 5 times/);
  });

  it('an abandoner stops polling after its polls and is counted, not failed', async () => {
    const context = await arrived();
    await hooks.afterJoin(
      {},
      response(201, { number: 4, nextPollSeconds: 2, ticket: 't', admission: null }),
      context,
      events,
    );
    let polls = 0;
    do {
      polls++;
      await hooks.afterStatus(
        {},
        response(200, { nextPollSeconds: 2, admission: null }),
        context,
        events,
      );
    } while (await loopAgain(context, hooks.keepWaiting));
    expect(polls).toBeGreaterThanOrEqual(1);
    expect(polls).toBeLessThanOrEqual(3);
    await hooks.settleWait(context, events);
    expect(events.emitted).toContain('tatkal.outcome.abandoned');
    expect(hooks.isAdmitted(context.vars)).toBe(false);
  });

  it('an unexpected answer fails the visit with the step, status and code', async () => {
    const context = await arrived();
    await expect(
      hooks.afterStatus({}, response(503, { code: 'queue_unavailable' }), context, events),
    ).rejects.toThrow('unexpected: status answered 503 queue_unavailable');
  });
});
