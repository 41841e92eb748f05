// Where the integration tests find PostgreSQL and Redis. The same defaults as the services.
export const testPgAdminUrl =
  process.env.TATKAL_TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
export const testRedisUrl = process.env.TATKAL_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
