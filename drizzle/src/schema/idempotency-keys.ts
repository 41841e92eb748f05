// Idempotency-Key records: a retry of a POST gets the first response back;
// a duplicate that arrives while the first is still running gets a 409.
import { sql } from 'drizzle-orm';
import {
  check,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  text,
  timestamp,
} from 'drizzle-orm/pg-core';
import { isOneOf } from './vocabulary.ts';

export const idempotencyKeyStates = ['in_flight', 'completed'] as const;
export type IdempotencyKeyState = (typeof idempotencyKeyStates)[number];

export const idempotencyKeys = pgTable(
  'idempotency_keys',
  {
    // Scoped per token subject, so one visitor's key never answers another's request.
    subject: text('subject').notNull(),
    key: text('key').notNull(),
    // Hash of method, path and body: the same key with a different request is refused.
    requestHash: text('request_hash').notNull(),
    method: text('method').notNull(),
    path: text('path').notNull(),
    state: text('state', { enum: idempotencyKeyStates }).notNull().default('in_flight'),
    responseStatus: integer('response_status'),
    responseBody: jsonb('response_body'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    expiresAt: timestamp('expires_at', { withTimezone: true })
      .notNull()
      .default(sql`now() + interval '24 hours'`),
  },
  (t) => [
    primaryKey({ name: 'idempotency_keys_pk', columns: [t.subject, t.key] }),
    index('idempotency_keys_expires_at_idx').on(t.expiresAt),
    check('idempotency_keys_key_check', sql`char_length(${t.key}) between 1 and 255`),
    check('idempotency_keys_method_check', isOneOf(t.method, ['POST', 'PUT', 'PATCH', 'DELETE'])),
    check('idempotency_keys_state_check', isOneOf(t.state, idempotencyKeyStates)),
    // A completed key must be able to replay its response; an in-flight one has none yet.
    check(
      'idempotency_keys_response_check',
      sql`(${t.state} = 'completed') = (${t.responseStatus} is not null)`,
    ),
    check(
      'idempotency_keys_response_status_check',
      sql`${t.responseStatus} is null or ${t.responseStatus} between 100 and 599`,
    ),
    check('idempotency_keys_expiry_check', sql`${t.expiresAt} > ${t.createdAt}`),
  ],
);

export type IdempotencyKey = typeof idempotencyKeys.$inferSelect;
export type NewIdempotencyKey = typeof idempotencyKeys.$inferInsert;
