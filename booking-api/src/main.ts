// The only file of the booking-api that reads the environment, opens connections and listens.

import {
  closeRedis,
  loadConfigOrExit,
  openServiceConnections,
  runService,
} from '@tatkal/waiting-room/service';
import { createAdmissionVerifier } from '@tatkal/waiting-room/tokens';
import { Redis } from 'ioredis';
import { createRemoteJWKSet } from 'jose';
import { createApp } from './app.ts';
import { loadConfig } from './config.ts';
import type { BookingApiDeps } from './deps.ts';
import { BullExpiryScheduler, runExpiry } from './expiry/booking-expiry.ts';
import { warmUpAdmissionKeys } from './gate/key-warm-up.ts';
import { HealthWindow } from './health/health-window.ts';
import { createBookingMetrics } from './health/metrics.ts';
import { registerInventoryScripts } from './inventory/index.ts';
import { PaymentSimulator } from './payments/index.ts';

const config = loadConfigOrExit(() => loadConfig(process.env));
const { logger, registry, redis, db, release } = openServiceConnections('booking-api', config);
registerInventoryScripts(redis);
// BullMQ needs connections that wait for Redis instead of failing fast.
const bullConnection = (connectionName: string) =>
  new Redis(config.REDIS_URL, { maxRetriesPerRequest: null, connectionName }).on('error', () => {});
const bullQueueConnection = bullConnection('booking-api-bull');
const bullWorkerConnection = bullConnection('booking-api-bull-worker');

let listeningUrl = config.PUBLIC_URL ?? '';
const expiry = new BullExpiryScheduler(bullQueueConnection, config.REDIS_KEY_PREFIX);
const metrics = createBookingMetrics(registry, db.pool);
const health = new HealthWindow();
const payments = new PaymentSimulator({
  webhookSecret: config.PAYMENT_WEBHOOK_SECRETS,
  delayMs: config.PAYMENT_SIMULATOR_DELAY_MS,
  failureRate: config.PAYMENT_SIMULATOR_FAILURE_RATE,
});
const admissionKeys = createRemoteJWKSet(new URL(config.ADMISSION_JWKS_URL));
const deps: BookingApiDeps = {
  db,
  redis,
  prefix: config.REDIS_KEY_PREFIX,
  verifier: createAdmissionVerifier({
    keys: admissionKeys,
    issuer: config.ADMISSION_ISSUER,
    audience: config.ADMISSION_AUDIENCE,
    redis,
    keyPrefix: config.REDIS_KEY_PREFIX,
  }),
  expiry,
  payments,
  metrics,
  health,
  settings: {
    holdTtlMs: config.HOLD_TTL_SECONDS * 1000,
    tatkalHoldTtlMs: config.TATKAL_HOLD_TTL_SECONDS * 1000,
    paymentWindowMs: config.PAYMENT_WINDOW_SECONDS * 1000,
    webhookSecrets: config.PAYMENT_WEBHOOK_SECRETS,
    webhookUrl: () => `${listeningUrl}/v1/payments/webhook`,
  },
  now: () => Date.now(),
};
const stopExpiry = runExpiry(deps, {
  connection: bullWorkerConnection,
  sweepMs: config.EXPIRY_SWEEP_MS,
  reconcileMs: config.RECONCILE_MS,
  logger,
});
const stopKeyWarmUp = warmUpAdmissionKeys(admissionKeys, logger);
const stopHealth = health.publishEvery(
  redis,
  config.REDIS_KEY_PREFIX,
  config.HEALTH_PUBLISH_MS,
  () => health.summary(db.pool, metrics.inFlight.value()),
);

const http = await runService({
  app: createApp({
    ...deps,
    logger,
    registry,
    maxInFlight: config.MAX_IN_FLIGHT,
    waitingRoomUrl: config.WAITING_ROOM_URL,
  }),
  host: config.HOST,
  port: config.PORT,
  logger,
  shutdownTimeoutMs: config.SHUTDOWN_TIMEOUT_MS,
  drain: [
    ['health summary', () => stopHealth()],
    ['admission keys warm-up', async () => stopKeyWarmUp()],
    ['expiry worker', () => stopExpiry()],
    ['payment callbacks', async () => payments.stop()],
  ],
  release: [
    [
      'bullmq',
      async () => {
        await expiry.close();
        await Promise.all([closeRedis(bullQueueConnection), closeRedis(bullWorkerConnection)]);
      },
    ],
    ...release,
  ],
});
if (!config.PUBLIC_URL) listeningUrl = `http://${config.HOST}:${http.port}`;
