// The only file of the waiting-room that reads the environment, opens connections and listens.
import { createApp } from './app.ts';
import { loadConfig } from './config.ts';
import { registerLimitScripts } from './limits/join-limits.ts';
import { HeartbeatBatcher, registerQueueScripts } from './queue/index.ts';
import { roomKeys } from './redis-keys.ts';
import { QueueStateCache } from './rooms/queue-state-cache.ts';
import { RoomCatalog } from './rooms/room-catalog.ts';
import { RoomClock } from './rooms/room-clock.ts';
import { loadConfigOrExit, openServiceConnections, runService } from './service/index.ts';
import { AdmissionKeyStore } from './visitors/admission-keys.ts';
import { LiveUpdates } from './visitors/live-updates.ts';

const config = loadConfigOrExit(() => loadConfig(process.env));
const { logger, registry, redis, db, release } = openServiceConnections('waiting-room', config);
registerQueueScripts(redis);
registerLimitScripts(redis);

const keysFor = (roomId: string) => roomKeys(config.REDIS_KEY_PREFIX, roomId);
const now = () => Date.now();
const admissionKeys = await AdmissionKeyStore.open(config.ADMISSION_KEYS_FILE);
const catalog = new RoomCatalog({ db: db.db, ttlMs: config.ROOM_CACHE_MS });
const queueState = new QueueStateCache({ redis, keysFor, refreshMs: config.STATE_REFRESH_MS });
const heartbeats = new HeartbeatBatcher({
  redis,
  keysFor,
  flushIntervalMs: config.HEARTBEAT_FLUSH_MS,
  onError: (error: unknown) => logger.warn({ err: error }, 'heartbeat flush failed'),
});
const roomClock = new RoomClock({ db: db.db, catalog, redis, keysFor, logger, now });
const deps = {
  redis,
  keysFor,
  catalog,
  queueState,
  heartbeats,
  admissionKeys,
  settings: {
    ticketSecret: config.QUEUE_TICKET_SECRET,
    bookingUrl: config.BOOKING_URL,
    issuer: config.ADMISSION_ISSUER,
    audience: config.ADMISSION_AUDIENCE,
    joinLimits: {
      perIp: { burst: config.JOIN_LIMIT_IP_BURST, perMinute: config.JOIN_LIMIT_IP_PER_MINUTE },
      perVisitor: {
        burst: config.JOIN_LIMIT_VISITOR_BURST,
        perMinute: config.JOIN_LIMIT_VISITOR_PER_MINUTE,
      },
    },
  },
  now,
  random: Math.random,
};
const live = new LiveUpdates(deps);

await runService({
  app: createApp({ ...deps, logger, registry, db, live, trustProxy: config.TRUST_PROXY }),
  host: config.HOST,
  port: config.PORT,
  logger,
  shutdownTimeoutMs: config.SHUTDOWN_TIMEOUT_MS,
  drain: [
    // Streams never finish by themselves: end them first so the HTTP server can close.
    ['live updates', async () => live.closeAll()],
    ['room clock', () => roomClock.stop()],
    ['heartbeats', () => heartbeats.stop()],
    [
      'caches',
      async () => {
        queueState.stop();
        admissionKeys.stop();
      },
    ],
  ],
  release,
});
