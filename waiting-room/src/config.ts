import { z } from 'zod';
import { baseConfigShape, integer, parseConfig, port, urlWithProtocol } from './service/index.ts';

const flag = z
  .enum(['true', 'false', '1', '0'], { message: 'must be true or false' })
  .transform((value) => value === 'true' || value === '1');

export const configShape = {
  ...baseConfigShape,
  PORT: port(8080),
  /** Where admitted visitors are sent; the admission token travels in the URL fragment. */
  BOOKING_URL: urlWithProtocol('HTTP', ['http:', 'https:']).default('http://127.0.0.1:8081/book'),
  /** HMAC key for queue tickets and proof-of-work challenges; share it across instances. */
  QUEUE_TICKET_SECRET: z.string().min(32, { message: 'must be at least 32 characters' }),
  /** JSON file of Ed25519 private JWKs, newest first (node waiting-room/src/commands/keys.ts). */
  ADMISSION_KEYS_FILE: z.string().min(1),
  ADMISSION_ISSUER: z.string().min(1).default('tatkal-waiting-room'),
  ADMISSION_AUDIENCE: z.string().min(1).default('tatkal-booking-api'),
  /** How often each process writes the visitors it saw alive, batched, to Redis. */
  HEARTBEAT_FLUSH_MS: integer(100, 60_000).default(5_000),
  /** How often each process refreshes a busy room's pointer and rate from Redis. */
  STATE_REFRESH_MS: integer(50, 10_000).default(500),
  /** How long a room's schedule and settings from PostgreSQL are cached. */
  ROOM_CACHE_MS: integer(0, 600_000).default(5_000),
  /** Join token buckets: burst size and refill per minute, per client address and per visitor; 0 turns one off. */
  JOIN_LIMIT_IP_BURST: integer(0, 1_000_000).default(60),
  JOIN_LIMIT_IP_PER_MINUTE: integer(0, 60_000_000).default(60),
  JOIN_LIMIT_VISITOR_BURST: integer(0, 1_000).default(5),
  JOIN_LIMIT_VISITOR_PER_MINUTE: integer(0, 60_000).default(6),
  /** Take the client address from X-Forwarded-For (only behind a proxy you run). */
  TRUST_PROXY: flag.default(false),
};

export type Config = ReturnType<typeof loadConfig>;

/** The waiting-room configuration from the environment; throws ConfigError naming every bad variable. */
export function loadConfig(env: Record<string, string | undefined>) {
  return parseConfig('waiting-room', configShape, env);
}
