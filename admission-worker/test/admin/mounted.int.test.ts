// The admin app mounted the way the worker's service app mounts it: its auth,
// problem answers and request ids still apply, and the host's routes are untouched.
import { createLogger, createRegistry, createServiceApp } from '@tatkal/waiting-room/service';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAdminApp } from '../../src/admin/index.ts';
import { type AdminWorld, adminWorld } from './support.ts';

let world: AdminWorld;
beforeAll(async () => {
  world = await adminWorld();
});
afterAll(() => world?.close());

describe('mounted in the service app', () => {
  it('keeps auth, problem+json and the host request id; leaves /healthz alone', async () => {
    const host = createServiceApp({
      service: 'admission-worker',
      logger: createLogger('admission-worker', 'silent'),
      registry: createRegistry('admission-worker'),
      readiness: {},
    });
    host.route(
      '/',
      createAdminApp({ db: world.db.db, redis: world.redis, keyPrefix: world.prefix }),
    );

    const refused = await host.request('/admin/rooms/demo/pause', {
      method: 'POST',
      headers: { 'x-request-id': 'req-123', authorization: `Bearer ${world.tokens.viewer}` },
    });
    expect(refused.status).toBe(403);
    expect(refused.headers.get('content-type')).toBe('application/problem+json');
    expect(await refused.json()).toMatchObject({
      code: 'operator_role_required',
      requestId: 'req-123',
    });

    const listed = await host.request('/admin/rooms', {
      headers: { authorization: `Bearer ${world.tokens.viewer}` },
    });
    expect(listed.status).toBe(200);
    expect((await host.request('/healthz')).status).toBe(200);
    expect((await host.request('/admin/console')).headers.get('content-security-policy')).toContain(
      "script-src 'self'",
    );
  });
});
