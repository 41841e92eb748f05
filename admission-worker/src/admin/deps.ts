// What the admin API needs from its host process. main.ts (or a test) opens the
// connections; nothing here reads the environment.
import type { Database } from '@tatkal/drizzle';
import type { Logger } from '@tatkal/waiting-room/service';
import type { Redis } from 'ioredis';

export interface AdminDeps {
  db: Database;
  /** The shared command connection (never blocked by a live view). */
  redis: Redis;
  /** REDIS_KEY_PREFIX: the deployment prefix of every Redis key. */
  keyPrefix: string;
  logger?: Logger;
  now?: () => number;
  /**
   * A fresh connection for one live view's XREAD BLOCK (default: streamConnectionFrom(redis)):
   * a blocking read would otherwise stall every other command on the shared connection.
   */
  openStreamConnection?: () => Redis;
  /** Seconds between heartbeats on an idle live view (default 15). */
  heartbeatSeconds?: number;
  /** Live views open at once before new ones are refused with 503 (default 32). */
  maxLiveViews?: number;
}

/** AdminDeps with every default filled in. */
export interface AdminContext {
  db: Database;
  redis: Redis;
  keyPrefix: string;
  logger: Logger | undefined;
  now: () => number;
  openStreamConnection: () => Redis;
  heartbeatMs: number;
  maxLiveViews: number;
}

/**
 * A live view's own connection, copied from the shared one. The shared client fails fast
 * while Redis is down (no offline queue); this one may queue its first read until it has
 * connected, since nothing else waits behind it. Errors surface through the failing read.
 */
export function streamConnectionFrom(redis: Redis): Redis {
  const connection = redis.duplicate({
    enableOfflineQueue: true,
    connectionName: 'admin-live-view',
  });
  connection.on('error', () => {});
  return connection;
}

export function adminContext(deps: AdminDeps): AdminContext {
  return {
    db: deps.db,
    redis: deps.redis,
    keyPrefix: deps.keyPrefix,
    logger: deps.logger,
    now: deps.now ?? Date.now,
    openStreamConnection: deps.openStreamConnection ?? (() => streamConnectionFrom(deps.redis)),
    heartbeatMs: (deps.heartbeatSeconds ?? 15) * 1000,
    maxLiveViews: deps.maxLiveViews ?? 32,
  };
}
