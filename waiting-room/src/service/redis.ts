import { Redis } from 'ioredis';

export interface RedisClientOptions {
  url: string;
  /** Name shown in CLIENT LIST, so operators can tell services apart. */
  connectionName: string;
}

/**
 * A Redis connection that fails fast while Redis is down instead of queueing
 * commands without bound; ioredis keeps reconnecting in the background.
 */
export function createRedisClient(options: RedisClientOptions): Redis {
  const redis = new Redis(options.url, {
    connectionName: options.connectionName,
    maxRetriesPerRequest: 1,
    enableOfflineQueue: false,
    lazyConnect: false,
    retryStrategy: (attempt) => Math.min(attempt * 100, 2_000),
  });
  // Connection errors surface through failing commands and /readyz; without a
  // listener ioredis would print every reconnect attempt as an unhandled error.
  redis.on('error', () => {});
  return redis;
}

export async function pingRedis(redis: Redis): Promise<boolean> {
  try {
    return (await redis.ping()) === 'PONG';
  } catch {
    return false;
  }
}

/** QUIT when connected (pending replies arrive first); otherwise just stop reconnecting. */
export async function closeRedis(redis: Redis): Promise<void> {
  if (redis.status === 'ready') {
    await redis.quit();
  } else {
    redis.disconnect();
  }
}
