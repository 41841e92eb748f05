// Runs before every integration test file: the file gets its own database,
// cloned from the migrated template, and its own Redis key prefix. The
// services' config reads them from the environment exactly as in production.
import { randomBytes } from 'node:crypto';
import { createTestDatabase } from '@tatkal/drizzle/testing';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, inject } from 'vitest';
import { testPgAdminUrl, testRedisUrl } from './env.ts';

const redisPrefix = `t${randomBytes(4).toString('hex')}`;
let dropDatabase: (() => Promise<void>) | undefined;

beforeAll(async () => {
  const database = await createTestDatabase(testPgAdminUrl, inject('pgTemplate'));
  dropDatabase = database.drop;
  process.env.DATABASE_URL = database.url;
  process.env.REDIS_URL = testRedisUrl;
  process.env.REDIS_KEY_PREFIX = redisPrefix;
});

afterAll(async () => {
  await dropDatabase?.();
  const redis = new Redis(testRedisUrl);
  try {
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${redisPrefix}:*`, 'COUNT', 1000);
      cursor = next;
      if (keys.length > 0) await redis.unlink(...keys);
    } while (cursor !== '0');
  } finally {
    redis.disconnect();
  }
});
