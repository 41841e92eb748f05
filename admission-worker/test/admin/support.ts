// The world every admin test starts from: its own database (seeded with the
// demo sale, whose `demo` room is open), its own Redis prefix, an operator and
// a viewer token, and the admin app built by the same factory production uses.
import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import {
  createDbClient,
  type DbClient,
  type OperatorRole,
  operatorAuditLog,
  rooms,
  seedDemoSale,
} from '@tatkal/drizzle';
import { createRedisClient } from '@tatkal/waiting-room/service';
import { asc } from 'drizzle-orm';
import type { Redis } from 'ioredis';
import { createAdminApp, createOperatorToken } from '../../src/admin/index.ts';
import {
  type DecisionRecord,
  decisionStreamKey,
  decisionStreamLength,
} from '../../src/decisions/record.ts';

export interface AdminWorld {
  db: DbClient;
  redis: Redis;
  prefix: string;
  app: ReturnType<typeof createAdminApp>;
  tokens: Record<OperatorRole, string>;
  /** Rooms of the demo sale: `demo` is open, the others are scheduled or closed by the clock. */
  openRoom: string;
  otherRooms: string[];
  call(method: string, path: string, init?: CallInit): Promise<Response>;
  close(): Promise<void>;
}

export interface CallInit {
  token?: string | null;
  body?: unknown;
  headers?: Record<string, string>;
}

export async function adminWorld(options: { heartbeatSeconds?: number } = {}): Promise<AdminWorld> {
  const url = process.env.DATABASE_URL;
  if (!url) throw new Error('DATABASE_URL is not set: run as an integration test');
  const prefix = process.env.REDIS_KEY_PREFIX ?? 'test';
  const db = createDbClient({ url, poolMax: 5, applicationName: 'admin-test' });
  // Configured as in production (fail fast, no offline queue), so the tests see what it sees.
  const redis = createRedisClient({
    url: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379',
    connectionName: 'admin-test',
  });
  if (redis.status !== 'ready') await new Promise((resolve) => redis.once('ready', resolve));
  // Two minutes ago: the demo room's sale opened a minute ago.
  const seeded = await seedDemoSale(db.db, { now: new Date(Date.now() - 120_000) });
  const tokens = {
    operator: (await createOperatorToken(db.db, { name: 'asha-operator', role: 'operator' })).token,
    viewer: (await createOperatorToken(db.db, { name: 'vikram-viewer', role: 'viewer' })).token,
  };
  const app = createAdminApp({
    db: db.db,
    redis,
    keyPrefix: prefix,
    ...(options.heartbeatSeconds === undefined
      ? {}
      : { heartbeatSeconds: options.heartbeatSeconds }),
  });
  return {
    db,
    redis,
    prefix,
    app,
    tokens,
    openRoom: 'demo',
    otherRooms: seeded.rooms.map((room) => room.id).filter((id) => id !== 'demo'),
    call(method, path, init = {}) {
      const headers: Record<string, string> = { ...init.headers };
      const token = init.token === undefined ? tokens.operator : init.token;
      if (token !== null) headers.authorization = `Bearer ${token}`;
      let body: string | undefined;
      if (init.body !== undefined) {
        headers['content-type'] ??= 'application/json';
        body = typeof init.body === 'string' ? init.body : JSON.stringify(init.body);
      }
      return Promise.resolve(
        app.request(path, { method, headers, ...(body === undefined ? {} : { body }) }),
      );
    },
    async close() {
      redis.disconnect();
      await db.close();
    },
  };
}

/** Everything an operator action could change: room rows, the audit log, the room's Redis flags. */
export async function stateFingerprint(world: AdminWorld): Promise<string> {
  const roomRows = await world.db.db.select().from(rooms).orderBy(asc(rooms.id));
  const audit = await world.db.db.select().from(operatorAuditLog).orderBy(asc(operatorAuditLog.id));
  const keys = (await world.redis.keys(`${world.prefix}:*`)).sort();
  const values: Record<string, unknown> = {};
  for (const key of keys) {
    const type = await world.redis.type(key);
    if (type === 'string') values[key] = await world.redis.get(key);
    else if (type === 'hash') values[key] = await world.redis.hgetall(key);
    else values[key] = type;
  }
  return JSON.stringify({ roomRows, audit, values });
}

export async function auditRows(world: AdminWorld) {
  return world.db.db.select().from(operatorAuditLog).orderBy(asc(operatorAuditLog.id));
}

/** A tick record in the exact shape the ticks write (decisions/record.ts). */
export function decisionRecord(
  roomId: string,
  tick: number,
  overrides: {
    waiting?: number;
    admitted?: number;
    rate?: number;
    p95?: number | null;
    active?: number;
  } = {},
): DecisionRecord {
  const atMs = Date.now();
  const admitted = overrides.admitted ?? 10 + (tick % 7);
  const rate = overrides.rate ?? 8 + tick;
  return {
    roomId,
    atMs,
    workerId: 'test-worker',
    fence: tick + 1,
    inputs: {
      nowMs: atMs,
      intervalSeconds: 1,
      queueReachable: true,
      booking: {
        commitP50Ms: 40 + tick,
        commitP95Ms: overrides.p95 === undefined ? 90 + 5 * tick : overrides.p95,
        commitSamples: 120,
        poolBusy: 6,
        poolWaiting: tick % 3,
        poolMax: 20,
        inFlight: 14,
        requests: 400,
        errors5xx: 0,
        timeouts: 0,
        ageMs: 300,
      },
      database: { lockWaits: tick % 2, activeSessions: 9 },
      queue: { waiting: overrides.waiting ?? 5000 - 40 * tick, headAgeMs: 1200 },
      sessions: {
        active: overrides.active ?? 100 + 10 * tick,
        meanSessionSeconds: 90,
        liveHolds: 40,
      },
      bounds: {
        paused: false,
        emergencyBrake: false,
        minPerSecond: 1,
        maxPerSecond: 200,
        maxActiveSessions: 2000,
        latencyTargetMs: 150,
      },
    },
    decision: {
      admit: admitted,
      ratePerSecond: rate,
      activeSessionCap: 900,
      rule: 'headroom_increase',
      reason: `p95 ${90 + 5 * tick} ms under target 150 ms: raise the rate`,
    },
    batch: { firstNumber: 1 + tick * 20, lastNumber: tick * 20 + admitted, admitted, skipped: 0 },
  };
}

/** Appends a record the way the ticks do: field `d`, bounded stream. */
export async function appendDecision(
  redis: Redis,
  prefix: string,
  record: DecisionRecord,
): Promise<string> {
  const id = await redis.xadd(
    decisionStreamKey(prefix, record.roomId),
    'MAXLEN',
    '~',
    decisionStreamLength,
    '*',
    'd',
    JSON.stringify(record),
  );
  if (id === null) throw new Error('XADD returned no id');
  return id;
}

/** Serves the admin app on an ephemeral port (real sockets: SSE, the CLI, the browser). */
export async function serveAdmin(
  app: AdminWorld['app'],
): Promise<{ url: string; close(): Promise<void> }> {
  return new Promise((resolve) => {
    const server = serve(
      { fetch: app.fetch, port: 0, hostname: '127.0.0.1' },
      (info: AddressInfo) => {
        resolve({
          url: `http://127.0.0.1:${info.port}`,
          close: () =>
            new Promise<void>((done) => {
              if ('closeAllConnections' in server) server.closeAllConnections();
              server.close(() => done());
            }),
        });
      },
    );
  });
}
