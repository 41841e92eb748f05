// Bearer tokens of the admin API and CLI. Only a SHA-256 of each token is
// stored; the token itself is shown once, when it is made.
import { sql } from 'drizzle-orm';
import { bigint, check, pgTable, text, timestamp, unique } from 'drizzle-orm/pg-core';
import { isOneOf } from './vocabulary.ts';

/** viewer reads; operator also changes rooms, bounds and tokens. */
export const operatorRoles = ['viewer', 'operator'] as const;
export type OperatorRole = (typeof operatorRoles)[number];

export const operatorTokens = pgTable(
  'operator_tokens',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    // Who the token belongs to; written to the audit log with every change.
    name: text('name').notNull(),
    role: text('role', { enum: operatorRoles }).notNull(),
    // Hex SHA-256 of the token.
    tokenSha256: text('token_sha256').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    revokedAt: timestamp('revoked_at', { withTimezone: true }),
  },
  (t) => [
    unique('operator_tokens_sha256_uniq').on(t.tokenSha256),
    check('operator_tokens_name_check', sql`char_length(${t.name}) between 1 and 200`),
    check('operator_tokens_role_check', isOneOf(t.role, operatorRoles)),
    check('operator_tokens_sha256_check', sql`${t.tokenSha256} ~ '^[0-9a-f]{64}$'`),
  ],
);

export type OperatorToken = typeof operatorTokens.$inferSelect;
export type NewOperatorToken = typeof operatorTokens.$inferInsert;
