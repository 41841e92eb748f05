// An in-process hono app behind the idempotency middleware, whose one handler
// creates a row (a "widget") and counts its calls; the test steers its answers.
import { createDbClient, type DbClient } from '@tatkal/drizzle';
import { createLogger, createServiceApp, Problem } from '@tatkal/waiting-room/service';
import { validator } from 'hono/validator';
import { Registry } from 'prom-client';
import { z } from 'zod';
import {
  type ClaimTesting,
  type IdempotencyOptions,
  idempotency,
  requestFingerprint,
} from '../../src/idempotency/index.ts';

export interface WidgetApp {
  request(path: string, init?: RequestInit): Promise<Response>;
  /** Widget creations by `name`, from the handler's own count. */
  calls: Map<string, number>;
  /** The status the handler answers next (then 201 again); 500 throws a plain Error. */
  answerNext(status: number): void;
  /** Makes each handler call wait on `gate()` before writing. */
  holdHandler(gate: (() => Promise<void>) | undefined): void;
  clock: { nowMs: number };
}

const widgetBody = z.object({ name: z.string().min(1).max(50), colour: z.string().optional() });

export async function openWidgetDb(poolMax = 10): Promise<DbClient> {
  const url = process.env.DATABASE_URL;
  if (!url) throw new Error('DATABASE_URL is not set; run through the integration project');
  const client = createDbClient({ url, poolMax });
  await client.pool.query(
    'create table if not exists test_widgets (id serial primary key, subject text not null, name text not null)',
  );
  return client;
}

export function widgetApp(
  client: DbClient,
  options: Partial<IdempotencyOptions> = {},
  testing: ClaimTesting = {},
): WidgetApp {
  const calls = new Map<string, number>();
  const answers: number[] = [];
  let gate: (() => Promise<void>) | undefined;
  const clock = { nowMs: Date.UTC(2026, 0, 15, 4, 30) };
  const app = createServiceApp({
    service: 'idempotency-test',
    logger: createLogger('idempotency-test', 'silent'),
    registry: new Registry(),
    readiness: {},
  });
  app.use(
    '/v1/*',
    idempotency(
      {
        db: client.db,
        subjectOf: (c) => c.req.header('x-test-subject'),
        nowMs: () => clock.nowMs,
        ...options,
      },
      testing,
    ),
  );
  app.post(
    '/v1/widgets',
    // The same validator zod-openapi routes use: it reads the body through c.req.
    validator('json', (value) => {
      const parsed = widgetBody.safeParse(value);
      if (!parsed.success) {
        throw new Problem({ status: 422, code: 'invalid_input', title: 'Invalid input' });
      }
      return parsed.data;
    }),
    async (c) => {
      const { name } = c.req.valid('json');
      calls.set(name, (calls.get(name) ?? 0) + 1);
      await gate?.();
      const answer = answers.shift() ?? 201;
      if (answer === 500) throw new Error('handler crashed');
      if (answer !== 201) {
        throw new Problem({
          status: answer as 409,
          code: `answer_${answer}`,
          title: `Answer ${answer}`,
          ...(answer === 429 || answer === 503 ? { headers: { 'retry-after': '1' } } : {}),
        });
      }
      const subject = c.req.header('x-test-subject') ?? '';
      const { rows } = await client.pool.query<{ id: number }>(
        'insert into test_widgets (subject, name) values ($1, $2) returning id',
        [subject, name],
      );
      return c.json({ id: rows[0]?.id, name, raw: await c.req.text() }, 201);
    },
  );
  app.get('/v1/widgets', (c) => c.json({ listed: true }));
  app.post('/v1/echo', async (c) => c.json({ text: await c.req.text() }, 201));
  return {
    request: async (path, init) => app.request(path, init),
    calls,
    answerNext: (status) => answers.push(status),
    holdHandler: (next) => {
      gate = next;
    },
    clock,
  };
}

export function post(
  body: unknown,
  headers: Record<string, string> = {},
  { key = 'key-1', subject = 'visitor-1' }: { key?: string | null; subject?: string } = {},
): RequestInit {
  return {
    method: 'POST',
    body: typeof body === 'string' ? body : JSON.stringify(body),
    headers: {
      'content-type': 'application/json',
      'x-test-subject': subject,
      ...(key === null ? {} : { 'idempotency-key': key }),
      ...headers,
    },
  };
}

/** Row counts and an md5 of idempotency_keys and test_widgets: equal means unchanged. */
export async function tablesFingerprint(client: DbClient): Promise<string[]> {
  const out: string[] = [];
  for (const table of ['idempotency_keys', 'test_widgets']) {
    const { rows } = await client.pool.query<{ n: string; h: string | null }>(
      `select count(*)::text as n, md5(string_agg(t::text, '|' order by t::text)) as h from ${table} t`,
    );
    out.push(`${table}:${rows[0]?.n}:${rows[0]?.h ?? '-'}`);
  }
  return out;
}

export const hour = 3_600_000;

/** The fingerprint the middleware stores for `post(body)` to /v1/widgets. */
export const widgetFingerprint = (body: unknown) =>
  requestFingerprint({
    method: 'POST',
    path: '/v1/widgets',
    contentType: 'application/json',
    body: new TextEncoder().encode(JSON.stringify(body)),
  });
