import {
  baseConfigShape,
  integer,
  parseConfig,
  port,
  urlWithProtocol,
} from '@tatkal/waiting-room/service';
import { z } from 'zod';

const secretList = z
  .string()
  .transform((value) => value.split(',').map((secret) => secret.trim()))
  .refine((secrets) => secrets.length > 0 && secrets.every((secret) => secret.length >= 32), {
    message: 'must be one or more comma-separated secrets of at least 32 characters',
  });

export const configShape = {
  ...baseConfigShape,
  PORT: port(8081),
  /** The waiting room's public keys; fetched once and cached, never per request. */
  ADMISSION_JWKS_URL: urlWithProtocol('HTTP', ['http:', 'https:']).default(
    'http://127.0.0.1:8080/.well-known/jwks.json',
  ),
  ADMISSION_ISSUER: z.string().min(1).default('tatkal-waiting-room'),
  ADMISSION_AUDIENCE: z.string().min(1).default('tatkal-booking-api'),
  /** The waiting room as visitors reach it: the booking page sends them back to its queue. */
  WAITING_ROOM_URL: urlWithProtocol('HTTP', ['http:', 'https:']).default('http://127.0.0.1:8080'),
  /** How long a hold keeps its seats: GN, and the shorter Tatkal (TQ, PT) one. */
  HOLD_TTL_SECONDS: integer(30, 3_600).default(600),
  TATKAL_HOLD_TTL_SECONDS: integer(30, 3_600).default(300),
  /** How long a PENDING_PAYMENT booking keeps its seats before it expires. */
  PAYMENT_WINDOW_SECONDS: integer(30, 3_600).default(600),
  /** Webhook HMAC secrets, newest first (several during a rotation). */
  PAYMENT_WEBHOOK_SECRETS: secretList,
  /** Base URL the payment provider calls back (this service, as the provider reaches it). */
  PUBLIC_URL: urlWithProtocol('HTTP', ['http:', 'https:']).optional(),
  PAYMENT_SIMULATOR_DELAY_MS: integer(0, 600_000).default(500),
  PAYMENT_SIMULATOR_FAILURE_RATE: z.coerce
    .number({ message: 'must be a number' })
    .min(0, { message: 'must be at least 0' })
    .max(1, { message: 'must be at most 1' })
    .default(0),
  /** Requests served at once by one process; more are shed with 503 and Retry-After. */
  MAX_IN_FLIGHT: integer(1, 100_000).default(256),
  /** Backstop sweep of unpaid bookings past their window. */
  EXPIRY_SWEEP_MS: integer(200, 600_000).default(5_000),
  /** How often each journey's Redis inventory is rebuilt from PostgreSQL (repairs any drift). */
  RECONCILE_MS: integer(1_000, 3_600_000).default(60_000),
  /** How often the windowed health summary is published to Redis for the admission worker. */
  HEALTH_PUBLISH_MS: integer(100, 60_000).default(1_000),
};

export type Config = ReturnType<typeof loadConfig>;

/** The booking-api configuration from the environment; throws ConfigError naming every bad variable. */
export function loadConfig(env: Record<string, string | undefined>) {
  return parseConfig('booking-api', configShape, env);
}
