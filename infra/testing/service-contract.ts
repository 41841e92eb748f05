// The behaviour every Tatkal service owes its operators, checked against the
// real entry point over real sockets: config refusal, health, readiness,
// metrics, JSON logs with request ids, and a clean exit on SIGTERM.
import { describe, expect, it } from 'vitest';
import {
  isolatedServiceEnv,
  type ServiceName,
  spawnService,
  waitForListening,
} from './service-process.ts';

const validEnv = {
  DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/tatkal',
  REDIS_URL: 'redis://127.0.0.1:6379',
};

const refusals: Array<{ case: string; env: Record<string, string>; names: string }> = [
  { case: 'missing DATABASE_URL', env: { REDIS_URL: validEnv.REDIS_URL }, names: 'DATABASE_URL' },
  { case: 'missing REDIS_URL', env: { DATABASE_URL: validEnv.DATABASE_URL }, names: 'REDIS_URL' },
  {
    case: 'DATABASE_URL not a URL',
    env: { ...validEnv, DATABASE_URL: 'localhost:5432' },
    names: 'DATABASE_URL',
  },
  {
    case: 'REDIS_URL wrong scheme',
    env: { ...validEnv, REDIS_URL: 'http://127.0.0.1:6379' },
    names: 'REDIS_URL',
  },
  { case: 'PORT not a number', env: { ...validEnv, PORT: 'eighty' }, names: 'PORT' },
  { case: 'PORT out of range', env: { ...validEnv, PORT: '70000' }, names: 'PORT' },
  { case: 'LOG_LEVEL unknown', env: { ...validEnv, LOG_LEVEL: 'loud' }, names: 'LOG_LEVEL' },
  { case: 'DB_POOL_MAX zero', env: { ...validEnv, DB_POOL_MAX: '0' }, names: 'DB_POOL_MAX' },
  {
    case: 'REDIS_KEY_PREFIX with a colon',
    env: { ...validEnv, REDIS_KEY_PREFIX: 'a:b' },
    names: 'REDIS_KEY_PREFIX',
  },
];

/** Unit-level: the entry point refuses bad configuration before opening any connection. */
export function describeConfigRefusal(
  name: ServiceName,
  options: { requiredEnv?: Record<string, string>; extraRefusals?: typeof refusals } = {},
): void {
  const required = options.requiredEnv ?? {};
  describe(`${name} refuses to start with bad configuration`, () => {
    it.each([...refusals, ...(options.extraRefusals ?? [])])(
      '$case: exits 78 naming $names',
      async (row) => {
        const service = spawnService(name, { ...required, ...row.env });
        expect(await service.exited).toBe(78);
        expect(service.stderr()).toContain(`${name}: invalid configuration`);
        expect(service.stderr()).toMatch(new RegExp(`- ${row.names}\\b`));
        // Only the bad variable is named: the message points at the fix.
        expect(service.stderr().match(/^ {2}- /gm)).toHaveLength(1);
        expect(service.stdout()).not.toContain('listening');
      },
      // Starting Node and loading the service takes seconds on a loaded machine.
      30_000,
    );
  });
}

async function stopAndExpectClean(service: ReturnType<typeof spawnService>): Promise<void> {
  service.child.kill('SIGTERM');
  expect(await service.exited).toBe(0);
  const messages = service.logLines().map((line) => line.msg);
  expect(messages).toContain('shutting down');
  expect(messages.at(-1), service.stdout()).toBe('shutdown complete');
}

/** Integration-level: health, readiness, metrics, logs and shutdown of the running service. */
export function describeServiceLifecycle(
  name: ServiceName,
  options: { env?: () => Promise<Record<string, string>> } = {},
): void {
  const env = async () => ({ ...isolatedServiceEnv(), ...(await options.env?.()) });
  describe(`${name} lifecycle`, () => {
    it('answers /healthz, /readyz and /metrics, logs JSON with request ids, and stops on SIGTERM', async () => {
      const service = spawnService(name, await env());
      try {
        const url = await waitForListening(service);

        const health = await fetch(`${url}/healthz`);
        expect(health.status).toBe(200);
        expect(await health.json()).toEqual({ status: 'ok', service: name });

        const ready = await fetch(`${url}/readyz`, { headers: { 'x-request-id': 'req-ready-1' } });
        expect(ready.status).toBe(200);
        expect(ready.headers.get('x-request-id')).toBe('req-ready-1');
        expect(await ready.json()).toMatchObject({
          status: 'ready',
          checks: { redis: 'ok', postgres: 'ok' },
        });

        const missing = await fetch(`${url}/no-such-thing`);
        expect(missing.status).toBe(404);
        expect(missing.headers.get('content-type')).toBe('application/problem+json');
        expect(await missing.json()).toMatchObject({ status: 404, code: 'not_found' });

        const metrics = await (await fetch(`${url}/metrics`)).text();
        expect(metrics).toContain(
          `tatkal_http_request_duration_seconds_count{service="${name}",method="GET",route="/readyz",status="200"} 1`,
        );
        expect(metrics).toContain('process_cpu_user_seconds_total');

        const requestLog = service
          .logLines()
          .find((line) => line.msg === 'request' && line.requestId === 'req-ready-1');
        expect(requestLog).toMatchObject({
          service: name,
          level: 'info',
          status: 200,
          route: '/readyz',
        });
      } finally {
        if (service.child.exitCode === null) await stopAndExpectClean(service);
      }
    });

    it('reports 503 naming the dependency that is unreachable', async () => {
      // Port 1 on loopback: nothing listens there, so Redis is unreachable.
      const service = spawnService(name, { ...(await env()), REDIS_URL: 'redis://127.0.0.1:1' });
      try {
        const url = await waitForListening(service);
        const ready = await fetch(`${url}/readyz`);
        expect(ready.status).toBe(503);
        expect(ready.headers.get('retry-after')).toBe('1');
        expect(await ready.json()).toMatchObject({
          code: 'not_ready',
          detail: 'Unreachable: redis',
          checks: { redis: 'failing', postgres: 'ok' },
        });
      } finally {
        if (service.child.exitCode === null) await stopAndExpectClean(service);
      }
    });
  });
}
