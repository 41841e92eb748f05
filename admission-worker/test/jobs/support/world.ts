// What the jobs' integration tests share: the file's own database (cloned, seeded with the
// demo sale) and Redis prefix, the journey's inventory built from PostgreSQL, and job deps
// for several "workers", each with its own PostgreSQL pool and Redis connection, as separate
// processes would have. Environment is read when a world is made (the integration setup sets
// it in a beforeAll hook), never at import time.
import { Writable } from 'node:stream';
import type { ExpiryScheduler } from '@tatkal/booking-api';
import { rebuildInventory } from '@tatkal/booking-api/inventory';
import { createDbClient, type DbClient, seats, seedDemoSale } from '@tatkal/drizzle';
import type { ClassCode, Quota } from '@tatkal/drizzle/schema';
import { and, asc, eq } from 'drizzle-orm';
import { Redis } from 'ioredis';
import { pino } from 'pino';
import { Registry } from 'prom-client';
import { createJobDeps, type JobDeps, type Notifier } from '../../../src/jobs/index.ts';

function env(name: 'REDIS_URL' | 'REDIS_KEY_PREFIX' | 'DATABASE_URL'): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set: run this file in the integration project`);
  return value;
}

export interface LogLine {
  level: string;
  msg: string;
  [field: string]: unknown;
}

export interface JobsWorld {
  db: DbClient;
  redis: Redis;
  prefix: string;
  journeyId: number;
  /** Expiries the jobs scheduled for promoted bookings. */
  scheduled: Array<{ bookingId: number; atMs: number }>;
  logs: LogLine[];
  seatIds(classCode: ClassCode, quota: Quota, journeyId?: number): Promise<number[]>;
  /** Deps of one more worker (own pool and Redis connection); closed with the world. */
  worker(options?: { notifier?: Notifier; now?: () => number }): JobDeps;
  rebuild(journeyId?: number): Promise<void>;
  close(): Promise<void>;
}

export const paymentWindowMs = 600_000;

/** A log sink the tests read: the jobs must say when they give something up. */
function memoryLogger(logs: LogLine[]) {
  const sink = new Writable({
    write(chunk, _encoding, done) {
      for (const line of String(chunk).split('\n')) if (line) logs.push(JSON.parse(line));
      done();
    },
  });
  return pino({ level: 'info', formatters: { level: (label) => ({ level: label }) } }, sink);
}

export async function createJobsWorld(options: { seedNow?: Date } = {}): Promise<JobsWorld> {
  const db = createDbClient({ url: env('DATABASE_URL'), poolMax: 6 });
  const redis = new Redis(env('REDIS_URL'));
  const prefix = env('REDIS_KEY_PREFIX');
  const { journey } = await seedDemoSale(db.db, { now: options.seedNow ?? new Date() });
  const scheduled: JobsWorld['scheduled'] = [];
  const logs: LogLine[] = [];
  const logger = memoryLogger(logs);
  const expiry: ExpiryScheduler = {
    schedule: async (bookingId, atMs) => {
      scheduled.push({ bookingId, atMs });
    },
  };
  const closers: Array<() => Promise<unknown>> = [];
  const registry = new Registry();
  const world: JobsWorld = {
    db,
    redis,
    prefix,
    journeyId: journey.id,
    scheduled,
    logs,
    async seatIds(classCode, quota, journeyId = journey.id) {
      const rows = await db.db
        .select({ id: seats.id })
        .from(seats)
        .where(
          and(
            eq(seats.journeyId, journeyId),
            eq(seats.classCode, classCode),
            eq(seats.quota, quota),
          ),
        )
        .orderBy(asc(seats.id));
      return rows.map((row) => row.id);
    },
    worker(overrides = {}) {
      const workerDb = createDbClient({ url: env('DATABASE_URL'), poolMax: 3 });
      const workerRedis = new Redis(env('REDIS_URL'));
      closers.push(
        () => workerDb.close(),
        async () => workerRedis.disconnect(),
      );
      return createJobDeps(
        {
          db: workerDb,
          redis: workerRedis,
          prefix,
          logger,
          registry,
          expiry,
          ...(overrides.notifier ? { notifier: overrides.notifier } : {}),
          ...(overrides.now ? { now: overrides.now } : {}),
        },
        { paymentWindowMs },
      ).jobDeps;
    },
    async rebuild(journeyId = journey.id) {
      await rebuildInventory(db.db, redis, prefix, journeyId);
    },
    async close() {
      for (const close of closers) await close();
      redis.disconnect();
      await db.close();
    },
  };
  return world;
}
