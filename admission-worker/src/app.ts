import type { DbClient } from '@tatkal/drizzle';
import { createServiceApp, type Logger, pingRedis } from '@tatkal/waiting-room/service';
import type { Hono } from 'hono';
import type { Redis } from 'ioredis';
import type { Registry } from 'prom-client';

export interface AppDeps {
  logger: Logger;
  registry: Registry;
  redis: Redis;
  db: DbClient;
}

export interface AppOptions {
  /**
   * Sub-apps mounted under a path, after the service endpoints (/healthz, /readyz,
   * /metrics). The admin API mounts here: `{ path: '/admin', app: createAdminApp(deps) }`.
   */
  mounts?: ReadonlyArray<{ path: string; app: Hono }>;
}

export function createApp(deps: AppDeps, options: AppOptions = {}) {
  const app = createServiceApp({
    service: 'admission-worker',
    logger: deps.logger,
    registry: deps.registry,
    readiness: {
      redis: () => pingRedis(deps.redis),
      postgres: () => deps.db.ping(),
    },
  });
  for (const mount of options.mounts ?? []) app.route(mount.path, mount.app);
  return app;
}
