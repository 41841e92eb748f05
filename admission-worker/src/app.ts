import type { DbClient } from '@tatkal/drizzle';
import { createServiceApp, type Logger, pingRedis } from '@tatkal/waiting-room/service';
import type { Redis } from 'ioredis';
import type { Registry } from 'prom-client';

export interface AppDeps {
  logger: Logger;
  registry: Registry;
  redis: Redis;
  db: DbClient;
}

export function createApp(deps: AppDeps) {
  const app = createServiceApp({
    service: 'admission-worker',
    logger: deps.logger,
    registry: deps.registry,
    readiness: {
      redis: () => pingRedis(deps.redis),
      postgres: () => deps.db.ping(),
    },
  });
  return app;
}
