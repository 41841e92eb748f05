// The booking API over real sockets, PostgreSQL and Redis: the same createApp
// the service runs, admission tokens signed by a test key, and the built-in
// payment simulator calling the webhook back over loopback.
import { createDbClient, seedDemoSale } from '@tatkal/drizzle';
import { createLogger, type HttpServer, startHttpServer } from '@tatkal/waiting-room/service';
import {
  createAdmissionVerifier,
  generateSigningKey,
  issueAdmissionToken,
  type SigningKeySet,
  signingKeySet,
  type TokenScope,
} from '@tatkal/waiting-room/tokens';
import { Redis } from 'ioredis';
import { createLocalJWKSet } from 'jose';
import { Registry } from 'prom-client';
import { createApp } from '../../src/app.ts';
import type { BookingApiDeps } from '../../src/deps.ts';
import { HealthWindow } from '../../src/health/health-window.ts';
import { createBookingMetrics } from '../../src/health/metrics.ts';
import { PaymentSimulator } from '../../src/payments/index.ts';

export const webhookSecret = 'test-webhook-secret-of-at-least-32-characters';

/** Knobs for tests that need short clocks or more concurrency; defaults are the service's. */
export interface BookingWorldOptions {
  holdTtlMs?: number;
  tatkalHoldTtlMs?: number;
  paymentWindowMs?: number;
  /** The payment simulator's delay before it calls the webhook (default 50 ms). */
  paymentDelayMs?: number;
  /** The payment simulator's failure rate and draws (default: every payment succeeds). */
  paymentFailureRate?: number;
  paymentRandom?: () => number;
  maxInFlight?: number;
  poolMax?: number;
  /** Wraps the Redis client the flows use (not the token verifier's), to inject interleavings. */
  wrapRedis?: (redis: Redis) => BookingApiDeps['redis'];
}

export interface BookingWorld {
  url: string;
  deps: BookingApiDeps;
  /** The simulator behind deps.payments (whenIdle, pending). */
  payments: PaymentSimulator;
  /** The waiting room's key set the world's tokens are signed with (forgery tests sign their own). */
  keys: SigningKeySet;
  journeyId: number;
  roomId: string;
  scheduled: Array<{ bookingId: number; atMs: number }>;
  /** The simulator's delivery reports, for failure messages. */
  deliveries: unknown[];
  token(subject: string, scope?: Partial<TokenScope>, jti?: string): Promise<string>;
  call(
    method: string,
    path: string,
    token: string | null,
    body?: unknown,
    headers?: Record<string, string>,
  ): Promise<{ status: number; body: Record<string, unknown> }>;
  close(): Promise<void>;
}

let tokenCounter = 0;

export async function createBookingWorld(options: BookingWorldOptions = {}): Promise<BookingWorld> {
  const db = createDbClient({
    url: process.env.DATABASE_URL ?? '',
    poolMax: options.poolMax ?? 20,
  });
  const redis = new Redis(process.env.REDIS_URL ?? '');
  const prefix = process.env.REDIS_KEY_PREFIX ?? '';
  // Seeded two minutes ago, so the demo room's sale (a minute after the seed) is open.
  const seeded = await seedDemoSale(db.db, { now: new Date(Date.now() - 120_000) });
  const demo = seeded.rooms.find((room) => room.id === 'demo');
  if (!demo) throw new Error('the demo sale has no demo room');
  const keys = await signingKeySet([await generateSigningKey()]);
  const registry = new Registry();
  const scheduled: BookingWorld['scheduled'] = [];
  let listening = '';
  const deliveries: unknown[] = [];
  const payments = new PaymentSimulator({
    webhookSecret,
    delayMs: options.paymentDelayMs ?? 50,
    failureRate: options.paymentFailureRate ?? 0,
    ...(options.paymentRandom ? { random: options.paymentRandom } : {}),
    onDelivery: (report) => deliveries.push(report),
  });
  const deps: BookingApiDeps = {
    db,
    redis: options.wrapRedis?.(redis) ?? redis,
    prefix,
    verifier: createAdmissionVerifier({
      keys: createLocalJWKSet(keys.jwks),
      issuer: 'tatkal-waiting-room',
      audience: 'tatkal-booking-api',
      redis,
      keyPrefix: prefix,
    }),
    expiry: {
      schedule: async (bookingId, atMs) => {
        scheduled.push({ bookingId, atMs });
      },
    },
    payments,
    metrics: createBookingMetrics(registry, db.pool),
    health: new HealthWindow(),
    settings: {
      holdTtlMs: options.holdTtlMs ?? 600_000,
      tatkalHoldTtlMs: options.tatkalHoldTtlMs ?? 300_000,
      paymentWindowMs: options.paymentWindowMs ?? 600_000,
      webhookSecrets: [webhookSecret],
      webhookUrl: () => `${listening}/v1/payments/webhook`,
    },
    now: () => Date.now(),
  };
  const app = createApp({
    ...deps,
    logger: createLogger('booking-api', 'silent'),
    registry,
    maxInFlight: options.maxInFlight ?? 256,
  });
  const http: HttpServer = await startHttpServer(app, '127.0.0.1', 0);
  listening = `http://127.0.0.1:${http.port}`;
  return {
    url: listening,
    deps,
    payments,
    keys,
    journeyId: seeded.journey.id,
    roomId: demo.id,
    scheduled,
    deliveries,
    async token(subject, scope = {}, jti) {
      tokenCounter += 1;
      return issueAdmissionToken(keys.signing, {
        issuer: 'tatkal-waiting-room',
        audience: 'tatkal-booking-api',
        subject,
        room: 'demo',
        scope: {
          journeyId: seeded.journey.id,
          classes: ['2A', '3A', 'SL'],
          quotas: ['TQ', 'PT'],
          ...scope,
        },
        jti: jti ?? `jti-${process.pid}-${tokenCounter}`,
        issuedAtSec: Math.floor(Date.now() / 1000) - 1,
        sessionSeconds: 600,
      });
    },
    async call(method, path, token, body, headers = {}) {
      const response = await fetch(`${listening}${path}`, {
        method,
        headers: {
          ...(token ? { authorization: `Bearer ${token}` } : {}),
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
          ...headers,
        },
        ...(body === undefined
          ? {}
          : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
      });
      const text = await response.text();
      return {
        status: response.status,
        body: text ? (JSON.parse(text) as Record<string, unknown>) : {},
      };
    },
    async close() {
      await payments.stop();
      await http.close(2_000);
      redis.disconnect();
      await db.close();
    },
  };
}
