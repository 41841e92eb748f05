import type { DbClient } from '@tatkal/drizzle';
import type { AdmissionVerifier } from '@tatkal/waiting-room/tokens';
import type { HealthWindow } from './health/health-window.ts';
import type { BookingMetrics } from './health/metrics.ts';
import type { RedisLike } from './inventory/index.ts';
import type { PaymentProvider } from './payments/index.ts';

/** Schedules the expiry of an unpaid booking at its deadline (a BullMQ delayed job in production). */
export interface ExpiryScheduler {
  schedule(bookingId: number, atMs: number): Promise<void>;
}

/** Everything the booking flows need, passed in explicitly (tests build their own). */
export interface BookingApiDeps {
  db: DbClient;
  redis: RedisLike;
  /** REDIS_KEY_PREFIX: the inventory's keys and the token state live under it. */
  prefix: string;
  verifier: AdmissionVerifier;
  expiry: ExpiryScheduler;
  payments: PaymentProvider;
  metrics: BookingMetrics;
  health: HealthWindow;
  settings: {
    holdTtlMs: number;
    tatkalHoldTtlMs: number;
    paymentWindowMs: number;
    /** Accepted webhook signing secrets, newest first. */
    webhookSecrets: readonly string[];
    /** The URL the payment provider calls back (known once the server listens). */
    webhookUrl: () => string;
  };
  now: () => number;
}
