import { describeConfigRefusal } from '../../infra/testing/service-contract.ts';

const valid = {
  DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/tatkal',
  REDIS_URL: 'redis://127.0.0.1:6379',
};

describeConfigRefusal('admission-worker', {
  extraRefusals: [
    {
      case: 'WORKER_ID with a space',
      env: { ...valid, WORKER_ID: 'worker one' },
      names: 'WORKER_ID',
    },
    {
      case: 'TICK_CONCURRENCY zero',
      env: { ...valid, TICK_CONCURRENCY: '0' },
      names: 'TICK_CONCURRENCY',
    },
    {
      case: 'TICK_LOCK_TTL_MS below a tick',
      env: { ...valid, TICK_LOCK_TTL_MS: '50' },
      names: 'TICK_LOCK_TTL_MS',
    },
    {
      case: 'HEALTH_STALE_MS not a number',
      env: { ...valid, HEALTH_STALE_MS: 'soon' },
      names: 'HEALTH_STALE_MS',
    },
    {
      case: 'AUDIT_FLUSH_BATCH too large',
      env: { ...valid, AUDIT_FLUSH_BATCH: '100000' },
      names: 'AUDIT_FLUSH_BATCH',
    },
    {
      case: 'JOBS naming a job that does not exist',
      env: { ...valid, JOBS: 'release-expired-holds,sweep-everything' },
      names: 'JOBS',
    },
    {
      case: 'notification webhook without a signing secret',
      env: { ...valid, NOTIFY_WEBHOOK_URL: 'https://example.test/hook' },
      names: 'NOTIFY_WEBHOOK_SECRETS',
    },
  ],
});
