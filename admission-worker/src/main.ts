// The only file of the admission-worker that reads the environment, opens connections and listens.
import {
  closeRedis,
  loadConfigOrExit,
  openServiceConnections,
  runService,
} from '@tatkal/waiting-room/service';
import { Redis } from 'ioredis';
import { createAdminApp } from './admin/index.ts';
import { createApp } from './app.ts';
import { loadConfig } from './config.ts';
import { decide } from './controller/index.ts';
import { startJobs } from './jobs/index.ts';
import { createTickMetrics } from './ticks/metrics.ts';
import { startTickService } from './ticks/tick-service.ts';

const config = loadConfigOrExit(() => loadConfig(process.env));
const deps = openServiceConnections('admission-worker', config);
// BullMQ needs connections that wait for Redis instead of failing fast.
const bullConnection = (connectionName: string) =>
  new Redis(config.REDIS_URL, { maxRetriesPerRequest: null, connectionName }).on('error', () => {});
const queueConnection = bullConnection('admission-worker-bull');
const workerConnection = bullConnection('admission-worker-bull-worker');

const ticks = startTickService({
  redis: deps.redis,
  db: deps.db.db,
  pool: deps.db.pool,
  prefix: config.REDIS_KEY_PREFIX,
  workerId: config.WORKER_ID,
  decide: (inputs, state) => decide(inputs, state),
  logger: deps.logger.child({ worker: config.WORKER_ID }),
  metrics: createTickMetrics(deps.registry),
  queueConnection,
  workerConnection,
  concurrency: config.TICK_CONCURRENCY,
  lockTtlMs: config.TICK_LOCK_TTL_MS,
  healthStaleMs: config.HEALTH_STALE_MS,
  databaseTimeoutMs: config.HEALTH_DB_TIMEOUT_MS,
  roomRefreshMs: config.ROOM_REFRESH_MS,
  auditFlushMs: config.AUDIT_FLUSH_MS,
  auditBatchSize: config.AUDIT_FLUSH_BATCH,
});

// Started without waiting: with Redis down, BullMQ waits for it, and the service must still
// listen and report itself unready meanwhile.
let stopJobs: (() => Promise<void>) | undefined;
void startJobs(
  {
    db: deps.db,
    redis: deps.redis,
    prefix: config.REDIS_KEY_PREFIX,
    logger: deps.logger,
    registry: deps.registry,
  },
  {
    paymentWindowMs: config.PAYMENT_WINDOW_SECONDS * 1000,
    enabled: config.JOBS,
    everyMs: { 'reconcile-inventory': config.RECONCILE_MS },
    ...(config.NOTIFY_WEBHOOK_URL && config.NOTIFY_WEBHOOK_SECRETS
      ? { webhook: { url: config.NOTIFY_WEBHOOK_URL, secrets: config.NOTIFY_WEBHOOK_SECRETS } }
      : {}),
  },
)
  .then((stop) => {
    stopJobs = stop;
  })
  .catch((error: unknown) => deps.logger.error({ err: error }, 'background jobs did not start'));

const app = createApp(deps);
// The admin API's routes carry their /admin prefix, so it mounts at the root, after the
// service endpoints (/healthz, /readyz, /metrics).
app.route(
  '/',
  createAdminApp({
    db: deps.db.db,
    redis: deps.redis,
    keyPrefix: config.REDIS_KEY_PREFIX,
    logger: deps.logger,
  }),
);

await runService({
  app,
  host: config.HOST,
  port: config.PORT,
  logger: deps.logger,
  shutdownTimeoutMs: config.SHUTDOWN_TIMEOUT_MS,
  drain: [
    ['tick schedulers: stop watching rooms', () => ticks.stopWatching()],
    ['tick worker: running ticks', () => ticks.stopWorker()],
    ['audit: last flush', () => ticks.stopAudit()],
    // Not started yet (Redis down since start): nothing of theirs is running to stop.
    ['background jobs', async () => stopJobs?.()],
  ],
  release: [
    [
      'bullmq',
      async () => {
        await ticks.closeQueue();
        await Promise.all([closeRedis(queueConnection), closeRedis(workerConnection)]);
      },
    ],
    ...deps.release,
  ],
});
