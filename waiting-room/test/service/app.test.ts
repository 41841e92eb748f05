import { Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { createServiceApp } from '../../src/service/app.ts';
import { createLogger } from '../../src/service/logger.ts';
import { Problem } from '../../src/service/problem.ts';

function appWith(readiness: Record<string, () => Promise<boolean>>) {
  const app = createServiceApp({
    service: 'test',
    logger: createLogger('test', 'silent'),
    registry: new Registry(),
    readiness,
    readinessTimeoutMs: 100,
  });
  app.get('/seat-taken', () => {
    throw new Problem({
      status: 409,
      code: 'seat_unavailable',
      title: 'Seat unavailable',
      detail: 'B1-12 is held',
    });
  });
  app.get('/boom', () => {
    throw new Error('connection string postgres://secret@db leaked');
  });
  return app;
}

describe('service app', () => {
  it('maps a domain Problem to RFC 9457 problem+json with the request id', async () => {
    const response = await appWith({}).request('/seat-taken', {
      headers: { 'x-request-id': 'abc-1' },
    });
    expect(response.status).toBe(409);
    expect(response.headers.get('content-type')).toBe('application/problem+json');
    expect(await response.json()).toEqual({
      type: 'https://tatkal.dev/problems/seat_unavailable',
      title: 'Seat unavailable',
      status: 409,
      detail: 'B1-12 is held',
      code: 'seat_unavailable',
      instance: '/seat-taken',
      requestId: 'abc-1',
    });
  });

  it('answers unknown errors with a bare 500 that leaks nothing', async () => {
    const response = await appWith({}).request('/boom');
    expect(response.status).toBe(500);
    const text = await response.text();
    expect(text).not.toContain('secret');
    expect(JSON.parse(text)).toMatchObject({ status: 500, code: 'internal_error' });
  });

  it('replaces a hostile request id with a fresh one', async () => {
    const response = await appWith({}).request('/healthz', {
      headers: { 'x-request-id': '<script>alert(1)</script>' },
    });
    const id = response.headers.get('x-request-id');
    expect(id).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('is not ready while any check fails, throws or hangs', async () => {
    const response = await appWith({
      redis: async () => true,
      postgres: async () => {
        throw new Error('refused');
      },
      slow: () => new Promise<boolean>(() => {}),
    }).request('/readyz');
    expect(response.status).toBe(503);
    expect(await response.json()).toMatchObject({
      detail: 'Unreachable: postgres, slow',
      checks: { redis: 'ok', postgres: 'failing', slow: 'failing' },
    });
  });
});
