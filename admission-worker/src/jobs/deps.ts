// What the background jobs need, passed in explicitly: main.ts builds it from the service's
// connections and config, tests from theirs.
import type { ExpiryScheduler } from '@tatkal/booking-api';
import type { ReturnSeatsDeps } from '@tatkal/booking-api/flows';
import type { DbClient } from '@tatkal/drizzle';
import type { Logger } from '@tatkal/waiting-room/service';
import type { Redis } from 'ioredis';
import type { JobMetrics } from './metrics.ts';
import type { Notifier } from './notifications/notifier.ts';

export interface JobDeps extends ReturnSeatsDeps {
  db: DbClient;
  redis: Redis;
  /** REDIS_KEY_PREFIX shared with the booking API: the inventory lives under it. */
  prefix: string;
  logger: Logger;
  notifier: Notifier;
  /** Schedules a promoted booking's expiry (the booking API's BullMQ queue in production). */
  expiry: ExpiryScheduler;
  jobMetrics: JobMetrics;
  settings: { paymentWindowMs: number };
  now: () => number;
}
