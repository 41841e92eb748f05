// An in-process waiting room over the test file's own PostgreSQL database and
// Redis prefix: the same createApp the service runs, with a controllable clock.
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createDbClient, type NewRoom, rooms, seedDemoSale } from '@tatkal/drizzle';
import { Redis } from 'ioredis';
import { Registry } from 'prom-client';
import { createApp } from '../../src/app.ts';
import type { WaitingRoomDeps } from '../../src/deps.ts';
import { registerLimitScripts } from '../../src/limits/join-limits.ts';
import { admitNextBatch, HeartbeatBatcher, registerQueueScripts } from '../../src/queue/index.ts';
import { roomKeyPattern, roomKeys } from '../../src/redis-keys.ts';
import { QueueStateCache } from '../../src/rooms/queue-state-cache.ts';
import { RoomCatalog } from '../../src/rooms/room-catalog.ts';
import { createLogger } from '../../src/service/index.ts';
import { generateSigningKey } from '../../src/tokens/index.ts';
import { AdmissionKeyStore } from '../../src/visitors/admission-keys.ts';
import { LiveUpdates } from '../../src/visitors/live-updates.ts';

export const ticketSecret = 'test-ticket-secret-that-is-long-enough-0123456789';

export async function writeKeyFile(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'tatkal-keys-'));
  const file = join(dir, 'admission-keys.json');
  await writeFile(file, JSON.stringify({ keys: [await generateSigningKey()] }), { mode: 0o600 });
  return file;
}

export interface World {
  app: ReturnType<typeof createApp>;
  db: ReturnType<typeof createDbClient>;
  deps: WaitingRoomDeps;
  redis: Redis;
  prefix: string;
  journeyId: number;
  clock: { nowMs: number };
  addRoom(overrides?: Partial<NewRoom>): Promise<string>;
  admit(roomId: string, n: number): Promise<number[]>;
  roomSnapshot(roomId: string): Promise<Record<string, string>>;
  close(): Promise<void>;
}

let roomCounter = 0;

export async function createWorld(
  options: { joinLimits?: WaitingRoomDeps['settings']['joinLimits'] } = {},
): Promise<World> {
  const prefix = process.env.REDIS_KEY_PREFIX ?? '';
  const db = createDbClient({ url: process.env.DATABASE_URL ?? '' });
  const redis = new Redis(process.env.REDIS_URL ?? '');
  registerQueueScripts(redis);
  registerLimitScripts(redis);
  const clock = { nowMs: Date.now() };
  const now = () => clock.nowMs;
  const seeded = await seedDemoSale(db.db, { now: new Date(clock.nowMs) });
  const keysFor = (roomId: string) => roomKeys(prefix, roomId);
  const admissionKeys = await AdmissionKeyStore.open(await writeKeyFile());
  const deps: WaitingRoomDeps = {
    redis,
    keysFor,
    catalog: new RoomCatalog({ db: db.db, ttlMs: 0, now }),
    queueState: new QueueStateCache({ redis, keysFor, refreshMs: 50, now }),
    heartbeats: new HeartbeatBatcher({ redis, keysFor, flushIntervalMs: 60_000, now }),
    admissionKeys,
    settings: {
      ticketSecret,
      bookingUrl: 'https://book.example.test/book',
      issuer: 'tatkal-waiting-room',
      audience: 'tatkal-booking-api',
      joinLimits: options.joinLimits ?? {
        perIp: { burst: 0, perMinute: 0 },
        perVisitor: { burst: 0, perMinute: 0 },
      },
    },
    now,
    random: () => 0.5,
  };
  const live = new LiveUpdates(deps);
  const app = createApp({
    ...deps,
    logger: createLogger('waiting-room', 'silent'),
    registry: new Registry(),
    db,
    live,
    trustProxy: true,
  });
  return {
    app,
    db,
    deps,
    redis,
    prefix,
    journeyId: seeded.journey.id,
    clock,
    async addRoom(overrides = {}) {
      roomCounter += 1;
      const id = overrides.id ?? `room-${process.pid}-${roomCounter}`;
      await db.db.insert(rooms).values({
        id,
        name: `Test room ${roomCounter}`,
        journeyId: seeded.journey.id,
        classCodes: ['3A', 'SL'],
        quotas: ['TQ'],
        prequeueOpensAt: new Date(clock.nowMs - 120_000),
        saleOpensAt: new Date(clock.nowMs - 60_000),
        closesAt: new Date(clock.nowMs + 3_600_000),
        ...overrides,
      });
      return id;
    },
    async admit(roomId, n) {
      const result = await admitNextBatch(redis, keysFor(roomId), n, {
        nowMs: clock.nowMs,
        abandonAfterMs: 60_000,
      });
      return result.admitted.map((entry) => entry.number);
    },
    async roomSnapshot(roomId) {
      const keys = await redis.keys(roomKeyPattern(prefix, roomId));
      const snapshot: Record<string, string> = {};
      for (const key of keys.sort()) {
        snapshot[key] = JSON.stringify(await redis.dump(key));
      }
      return snapshot;
    },
    async close() {
      live.closeAll();
      deps.queueState.stop();
      admissionKeys.stop();
      await deps.heartbeats.stop();
      redis.disconnect();
      await db.close();
    },
  };
}
