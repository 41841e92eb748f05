import { ensureTemplateDatabase } from '@tatkal/drizzle/testing';
import { Redis } from 'ioredis';
import pg from 'pg';
import type { TestProject } from 'vitest/node';
import { testPgAdminUrl, testRedisUrl } from './env.ts';

async function assertReachable(): Promise<void> {
  const client = new pg.Client({
    connectionString: testPgAdminUrl,
    connectionTimeoutMillis: 3_000,
  });
  try {
    await client.connect();
    await client.end();
  } catch (error) {
    throw new Error(
      `PostgreSQL is not reachable at ${testPgAdminUrl} (${(error as Error).message}); run infra/scripts/services.sh up or set TATKAL_TEST_PG_URL`,
    );
  }
  const redis = new Redis(testRedisUrl, {
    lazyConnect: true,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
  });
  try {
    await redis.connect();
    await redis.ping();
  } catch (error) {
    throw new Error(
      `Redis is not reachable at ${testRedisUrl} (${(error as Error).message}); run infra/scripts/services.sh up or set TATKAL_TEST_REDIS_URL`,
    );
  } finally {
    redis.disconnect();
  }
}

/** Runs once per test run: checks the services and builds the migrated template database. */
export async function setup(project: TestProject): Promise<void> {
  await assertReachable();
  const template = await ensureTemplateDatabase(testPgAdminUrl);
  project.provide('pgTemplate', template);
  project.provide('runId', `${Date.now()}-${process.pid}`);
}

declare module 'vitest' {
  export interface ProvidedContext {
    pgTemplate: string;
    /** Unique per test run; names the one Redis key the isolation probes share. */
    runId: string;
  }
}
