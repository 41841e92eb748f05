import { createDbClient, type DbClient } from '@tatkal/drizzle';
import type { Redis } from 'ioredis';
import type { Registry } from 'prom-client';
import type { BaseConfig } from './config.ts';
import { createLogger, type Logger } from './logger.ts';
import { createRegistry } from './metrics.ts';
import { closeRedis, createRedisClient } from './redis.ts';

export interface ServiceConnections {
  logger: Logger;
  registry: Registry;
  redis: Redis;
  db: DbClient;
  /** Closes Redis, then PostgreSQL; pass to runService. */
  release: ReadonlyArray<readonly [string, () => Promise<unknown>]>;
}

/** The logger, metrics registry and Redis and PostgreSQL connections a service starts with. */
export function openServiceConnections(service: string, config: BaseConfig): ServiceConnections {
  const redis = createRedisClient({ url: config.REDIS_URL, connectionName: service });
  const db = createDbClient({
    url: config.DATABASE_URL,
    poolMax: config.DB_POOL_MAX,
    applicationName: service,
  });
  return {
    logger: createLogger(service, config.LOG_LEVEL),
    registry: createRegistry(service),
    redis,
    db,
    release: [
      ['redis', () => closeRedis(redis)],
      ['postgres', () => db.close()],
    ],
  };
}
