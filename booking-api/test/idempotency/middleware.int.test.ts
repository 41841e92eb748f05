// The Idempotency-Key middleware in an in-process app against PostgreSQL:
// replay, reuse, what is not stored, per-subject scope, expiry, takeover of an
// abandoned key, and refusals that change nothing.
import { randomUUID } from 'node:crypto';
import type { DbClient } from '@tatkal/drizzle';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { purgeExpiredIdempotencyKeys } from '../../src/idempotency/index.ts';
import {
  hour,
  openWidgetDb,
  post,
  tablesFingerprint,
  widgetApp,
  widgetFingerprint,
} from './support.ts';

let client: DbClient;
beforeAll(async () => {
  client = await openWidgetDb();
});
afterAll(() => client.close());

const fresh = () => ({ key: `k-${randomUUID()}`, subject: `visitor-${randomUUID()}` });
const keyRow = async (subject: string, key: string) =>
  (
    await client.pool.query(
      'select state, response_status, request_hash, created_at, expires_at from idempotency_keys where subject = $1 and key = $2',
      [subject, key],
    )
  ).rows[0];

describe('replay', () => {
  it('answers a retry with the identical stored response; the handler ran once', async () => {
    const app = widgetApp(client);
    const who = fresh();
    const first = await app.request('/v1/widgets', post({ name: 'replay' }, {}, who));
    expect(first.status).toBe(201);
    expect(first.headers.get('idempotent-replayed')).toBeNull();
    const firstBody = await first.text();
    // The handler read the body again after the middleware did.
    expect(JSON.parse(firstBody)).toMatchObject({ name: 'replay', raw: '{"name":"replay"}' });

    for (let i = 0; i < 3; i++) {
      const again = await app.request('/v1/widgets', post({ name: 'replay' }, {}, who));
      expect(again.status).toBe(201);
      expect(again.headers.get('idempotent-replayed')).toBe('true');
      expect(again.headers.get('content-type')).toBe('application/json');
      expect(await again.text()).toBe(firstBody);
    }
    expect(app.calls.get('replay')).toBe(1);
    expect(await keyRow(who.subject, who.key)).toMatchObject({
      state: 'completed',
      response_status: 201,
    });
  });

  it('treats a re-serialized JSON body (key order, whitespace) as the same request', async () => {
    const app = widgetApp(client);
    const who = fresh();
    await app.request('/v1/widgets', post('{"name":"canon","colour":"red"}', {}, who));
    const again = await app.request(
      '/v1/widgets',
      post('{ "colour" : "red",\n "name": "canon" }', {}, who),
    );
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    expect(app.calls.get('canon')).toBe(1);
  });

  it('does not store a 4xx refusal: no row stays, and the corrected retry runs', async () => {
    const app = widgetApp(client);
    const who = fresh();
    const first = await app.request('/v1/widgets', post({ name: '' }, {}, who));
    expect(first.status).toBe(422);
    expect(first.headers.get('content-type')).toBe('application/problem+json');
    expect(await keyRow(who.subject, who.key)).toBeUndefined();
    const again = await app.request('/v1/widgets', post({ name: '' }, {}, who));
    expect(again.status).toBe(422);
    expect(again.headers.get('idempotent-replayed')).toBeNull();
    expect(await keyRow(who.subject, who.key)).toBeUndefined();
    // The key was never spent: the same key with a corrected body is a new request, not a reuse.
    const fixed = await app.request('/v1/widgets', post({ name: 'fixed' }, {}, who));
    expect(fixed.status).toBe(201);
    expect(await keyRow(who.subject, who.key)).toMatchObject({ state: 'completed' });
  });
});

describe('a key reused for another request', () => {
  it.each([
    ['another body', '/v1/widgets', { name: 'other' }],
    ['another field', '/v1/widgets', { name: 'first', colour: 'blue' }],
    ['another path', '/v1/echo', { name: 'first' }],
    ['another query', '/v1/widgets?dry=1', { name: 'first' }],
  ])('is refused with 422 for %s, and the handler does not run', async (_name, path, body) => {
    const app = widgetApp(client);
    const who = fresh();
    await app.request('/v1/widgets', post({ name: 'first' }, {}, who));
    const before = await tablesFingerprint(client);
    const reused = await app.request(path, post(body, {}, who));
    expect(reused.status).toBe(422);
    expect(await reused.json()).toMatchObject({ code: 'idempotency_key_reused' });
    expect(await tablesFingerprint(client)).toEqual(before);
    expect([...app.calls.values()].reduce((a, b) => a + b, 0)).toBe(1);
  });

  it('is refused with 422 while the first request is still running too', async () => {
    const app = widgetApp(client);
    const who = fresh();
    let open: () => void = () => {};
    const opened = new Promise<void>((resolve) => (open = resolve));
    app.holdHandler(() => opened);
    const first = app.request('/v1/widgets', post({ name: 'slow' }, {}, who));
    while (!app.calls.get('slow')) await new Promise((r) => setTimeout(r, 2));
    const other = await app.request('/v1/widgets', post({ name: 'different' }, {}, who));
    expect(other.status).toBe(422);
    open();
    expect((await first).status).toBe(201);
  });
});

describe('answers that are not stored', () => {
  it.each([400, 403, 404, 409, 422, 429, 500, 503])(
    'a %d frees the key: the retry runs the handler again',
    async (status) => {
      const app = widgetApp(client);
      const who = fresh();
      const name = `transient-${status}`;
      app.answerNext(status);
      const first = await app.request('/v1/widgets', post({ name }, {}, who));
      expect(first.status).toBe(status);
      expect(await keyRow(who.subject, who.key)).toBeUndefined();

      const retry = await app.request('/v1/widgets', post({ name }, {}, who));
      expect(retry.status).toBe(201);
      expect(retry.headers.get('idempotent-replayed')).toBeNull();
      expect(app.calls.get(name)).toBe(2);
      const third = await app.request('/v1/widgets', post({ name }, {}, who));
      expect(third.headers.get('idempotent-replayed')).toBe('true');
      expect(app.calls.get(name)).toBe(2);
    },
  );
});

describe('scope', () => {
  it('keeps keys per subject: the same key from two subjects runs twice', async () => {
    const app = widgetApp(client);
    const key = `shared-${randomUUID()}`;
    const a = await app.request(
      '/v1/widgets',
      post({ name: 'scoped' }, {}, { key, subject: 'alice' }),
    );
    const b = await app.request(
      '/v1/widgets',
      post({ name: 'scoped' }, {}, { key, subject: 'bob' }),
    );
    expect(a.status).toBe(201);
    expect(b.status).toBe(201);
    expect(b.headers.get('idempotent-replayed')).toBeNull();
    const idOf = async (r: Response) => ((await r.json()) as { id: number }).id;
    expect(await idOf(a)).not.toBe(await idOf(b));
    expect(app.calls.get('scoped')).toBe(2);
  });

  it('lets GET through without a key', async () => {
    const app = widgetApp(client);
    const response = await app.request('/v1/widgets', { headers: { 'x-test-subject': 'x' } });
    expect(response.status).toBe(200);
  });

  it('fails loudly (500) when mounted without a subject', async () => {
    const app = widgetApp(client);
    const before = await tablesFingerprint(client);
    const response = await app.request('/v1/widgets', {
      method: 'POST',
      body: '{"name":"nobody"}',
      headers: { 'content-type': 'application/json', 'idempotency-key': 'k' },
    });
    expect(response.status).toBe(500);
    expect(await tablesFingerprint(client)).toEqual(before);
  });
});

describe('expiry', () => {
  it('replays for 24 h, then forgets the key; purge deletes what expired', async () => {
    const app = widgetApp(client);
    const who = fresh();
    const start = app.clock.nowMs;
    await app.request('/v1/widgets', post({ name: 'ttl' }, {}, who));
    app.clock.nowMs = start + 24 * hour - 1;
    const late = await app.request('/v1/widgets', post({ name: 'ttl' }, {}, who));
    expect(late.headers.get('idempotent-replayed')).toBe('true');
    expect(app.calls.get('ttl')).toBe(1);

    app.clock.nowMs = start + 24 * hour;
    const expired = await app.request('/v1/widgets', post({ name: 'ttl' }, {}, who));
    expect(expired.status).toBe(201);
    expect(expired.headers.get('idempotent-replayed')).toBeNull();
    expect(app.calls.get('ttl')).toBe(2);
    // An expired key may even be used for a different request.
    app.clock.nowMs = start + 48 * hour;
    expect((await app.request('/v1/widgets', post({ name: 'ttl-2' }, {}, who))).status).toBe(201);

    const { rows } = await client.pool.query<{ n: number }>(
      'select count(*)::int as n from idempotency_keys where expires_at <= $1',
      [new Date(start + 100 * hour)],
    );
    const purged = await purgeExpiredIdempotencyKeys(client.db, start + 100 * hour);
    expect(purged).toBe(rows[0]?.n);
    expect(purged).toBeGreaterThan(0);
    expect(await keyRow(who.subject, who.key)).toBeUndefined();
    expect(await purgeExpiredIdempotencyKeys(client.db, start + 100 * hour)).toBe(0);
  });

  it('honours a shorter ttlHours', async () => {
    const app = widgetApp(client, { ttlHours: 1 });
    const who = fresh();
    await app.request('/v1/widgets', post({ name: 'short-ttl' }, {}, who));
    app.clock.nowMs += hour;
    await app.request('/v1/widgets', post({ name: 'short-ttl' }, {}, who));
    expect(app.calls.get('short-ttl')).toBe(2);
  });
});

describe('abandoned in-flight keys', () => {
  const crashedClaim = async (
    who: { subject: string; key: string },
    requestHash: string,
    at: number,
  ) =>
    client.pool.query(
      `insert into idempotency_keys (subject, key, request_hash, method, path, state, created_at, expires_at)
       values ($1, $2, $3, 'POST', '/v1/widgets', 'in_flight', $4, $5)`,
      [who.subject, who.key, requestHash, new Date(at), new Date(at + 24 * hour)],
    );

  it('answers 409 with Retry-After while fresh, and is taken over after 60 s', async () => {
    const app = widgetApp(client);
    const who = fresh();
    const crashedAt = app.clock.nowMs;
    await crashedClaim(who, widgetFingerprint({ name: 'crash' }), crashedAt);

    app.clock.nowMs = crashedAt + 59_000;
    const busy = await app.request('/v1/widgets', post({ name: 'crash' }, {}, who));
    expect(busy.status).toBe(409);
    expect(busy.headers.get('retry-after')).toBe('1');
    expect(await busy.json()).toMatchObject({
      code: 'idempotency_request_in_flight',
      retryAfter: 1,
    });
    expect(app.calls.get('crash')).toBeUndefined();

    app.clock.nowMs = crashedAt + 60_000;
    const taken = await app.request('/v1/widgets', post({ name: 'crash' }, {}, who));
    expect(taken.status).toBe(201);
    expect(app.calls.get('crash')).toBe(1);
    expect(await keyRow(who.subject, who.key)).toMatchObject({ state: 'completed' });
  });

  it('keeps a slow first request that lost its claim from overwriting the new answer', async () => {
    const app = widgetApp(client);
    const who = fresh();
    let open: () => void = () => {};
    const opened = new Promise<void>((resolve) => (open = resolve));
    app.holdHandler(() => opened);
    const slow = app.request('/v1/widgets', post({ name: 'lease' }, {}, who));
    while (!app.calls.get('lease')) await new Promise((r) => setTimeout(r, 2));

    app.holdHandler(undefined);
    app.clock.nowMs += 61_000;
    const taker = await app.request('/v1/widgets', post({ name: 'lease' }, {}, who));
    expect(taker.status).toBe(201);
    const takerBody = await taker.text();

    open();
    const slowAnswer = await slow;
    expect(slowAnswer.status).toBe(201);
    expect(await slowAnswer.text()).not.toBe(takerBody);
    const replay = await app.request('/v1/widgets', post({ name: 'lease' }, {}, who));
    expect(await replay.text()).toBe(takerBody);
  });
});

describe('refused keys change nothing', () => {
  const cases: Array<[string, number, string, string | null]> = [
    ['a missing key', 400, 'idempotency_key_required', null],
    ['an empty key', 422, 'idempotency_key_invalid', ''],
    ['a key with a space', 422, 'idempotency_key_invalid', 'my key'],
    ['a key with a tab', 422, 'idempotency_key_invalid', 'my\tkey'],
    ['a key of 256 characters', 422, 'idempotency_key_invalid', 'k'.repeat(256)],
    ['a key with Latin-1 characters', 422, 'idempotency_key_invalid', 'cl\u00e9'],
    ['a key with DEL', 422, 'idempotency_key_invalid', 'key\u007f'],
  ];

  it.each(cases)('%s → %d %s', async (_name, status, code, key) => {
    const app = widgetApp(client);
    const before = await tablesFingerprint(client);
    const response = await app.request('/v1/widgets', post({ name: 'refused' }, {}, { key }));
    expect(response.status).toBe(status);
    expect(response.headers.get('content-type')).toBe('application/problem+json');
    expect(await response.json()).toMatchObject({ code, status });
    expect(await tablesFingerprint(client)).toEqual(before);
    expect(app.calls.size).toBe(0);
  });

  it('accepts 255 visible ASCII characters', async () => {
    const app = widgetApp(client);
    const key = `!~${'x'.repeat(250)}"#$`;
    expect(key).toHaveLength(255);
    const response = await app.request('/v1/widgets', post({ name: 'long-key' }, {}, { key }));
    expect(response.status).toBe(201);
  });

  it('refuses an oversized body with 413 before writing', async () => {
    const app = widgetApp(client, { maxBodyBytes: 64 });
    const before = await tablesFingerprint(client);
    const response = await app.request('/v1/widgets', post({ name: 'x'.repeat(100) }, {}, fresh()));
    expect(response.status).toBe(413);
    expect(await tablesFingerprint(client)).toEqual(before);
  });

  it('hashes a non-JSON body as sent', async () => {
    const app = widgetApp(client);
    const who = fresh();
    const text = (body: string) => post(body, { 'content-type': 'text/plain' }, who);
    expect((await app.request('/v1/echo', text('a  b'))).status).toBe(201);
    expect((await app.request('/v1/echo', text('a  b'))).headers.get('idempotent-replayed')).toBe(
      'true',
    );
    expect((await app.request('/v1/echo', text('a b'))).status).toBe(422);
  });
});
