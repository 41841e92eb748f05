// Concurrent duplicates of one request: the handler must run exactly once and
// every other copy get 409 or the replay. The negative control runs the same
// race against a check-then-insert claim and must see the handler run twice.
import { randomUUID } from 'node:crypto';
import type { DbClient } from '@tatkal/drizzle';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ClaimTesting } from '../../src/idempotency/index.ts';
import { openWidgetDb, post, type WidgetApp, widgetApp, widgetFingerprint } from './support.ts';

let client: DbClient;
beforeAll(async () => {
  client = await openWidgetDb(30);
});
afterAll(() => client.close());

const copies = 20;
const pause = (ms: number) => () => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Fires `copies` identical requests at once; returns how they ended and the
 * handler's runs. The handler is held until every other copy has been answered
 * (or 1 s has passed, as the broken claim lets several copies into it), so the
 * copies really overlap however slowly this machine runs them.
 */
async function race(app: WidgetApp, name: string) {
  const who = { key: `race-${randomUUID()}`, subject: `visitor-${randomUUID()}` };
  let answered = 0;
  let open: () => void = () => {};
  const othersAnswered = new Promise<void>((resolve) => (open = resolve));
  app.holdHandler(() => Promise.race([othersAnswered, pause(1_000)()]));
  const responses = await Promise.all(
    Array.from({ length: copies }, () =>
      app.request('/v1/widgets', post({ name }, {}, who)).then((response) => {
        if (++answered >= copies - 1) open();
        return response;
      }),
    ),
  );
  const created = responses.filter(
    (r) => r.status === 201 && r.headers.get('idempotent-replayed') === null,
  );
  const replayed = responses.filter((r) => r.headers.get('idempotent-replayed') === 'true');
  const inFlight = responses.filter((r) => r.status === 409);
  for (const r of inFlight) expect(r.headers.get('retry-after')).toBe('1');
  const { rows } = await client.pool.query<{ n: number }>(
    'select count(*)::int as n from test_widgets where name = $1',
    [name],
  );
  return {
    runs: app.calls.get(name) ?? 0,
    rows: rows[0]?.n ?? 0,
    created: created.length,
    replayed: replayed.length,
    inFlight: inFlight.length,
    other: responses.length - created.length - replayed.length - inFlight.length,
  };
}

describe(`${copies} concurrent copies of one request`, () => {
  it('run the handler exactly once; the rest get 409 or the replay', async () => {
    const app = widgetApp(client);
    const result = await race(app, 'concurrent');
    expect(result).toMatchObject({ runs: 1, rows: 1, created: 1, other: 0 });
    expect(result.inFlight + result.replayed).toBe(copies - 1);
    expect(result.inFlight).toBeGreaterThan(0);
  });

  it('take over an abandoned key exactly once', async () => {
    const app = widgetApp(client);
    const who = { key: `abandoned-${randomUUID()}`, subject: `visitor-${randomUUID()}` };
    // A first run whose process "died" mid-request left its key in flight.
    await client.pool.query(
      `insert into idempotency_keys (subject, key, request_hash, method, path, state, created_at, expires_at)
       values ($1, $2, $3, 'POST', '/v1/widgets', 'in_flight', $4, $5)`,
      [
        who.subject,
        who.key,
        widgetFingerprint({ name: 'takeover' }),
        new Date(app.clock.nowMs),
        new Date(app.clock.nowMs + 86_400_000),
      ],
    );
    app.clock.nowMs += 61_000;
    app.holdHandler(pause(30));
    const responses = await Promise.all(
      Array.from({ length: copies }, () =>
        app.request('/v1/widgets', post({ name: 'takeover' }, {}, who)),
      ),
    );
    const fresh = responses.filter(
      (r) => r.status === 201 && r.headers.get('idempotent-replayed') === null,
    );
    expect(fresh).toHaveLength(1);
    expect(app.calls.get('takeover')).toBe(1);
    expect(responses.every((r) => r.status === 201 || r.status === 409)).toBe(true);
  });
});

describe('negative control: a check-then-insert claim', () => {
  const racy: ClaimTesting = { claim: 'check-then-insert', afterCheck: pause(20) };

  it('lets the race run the handler more than once, so the test above can fail', async () => {
    const app = widgetApp(client, {}, racy);
    const result = await race(app, 'racy');
    expect(result.runs).toBeGreaterThan(1);
    expect(result.rows).toBe(result.runs);
  });
});
