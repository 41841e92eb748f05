// Every operator action (open, pause, bounds change, revoke, ...), who did it and with what.
import { sql } from 'drizzle-orm';
import { bigint, check, index, jsonb, pgTable, text, timestamp } from 'drizzle-orm/pg-core';
import { rooms } from './rooms.ts';

export const operatorAuditLog = pgTable(
  'operator_audit_log',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    actor: text('actor').notNull(),
    role: text('role').notNull(),
    // Dotted verb such as 'room.pause' or 'room.bounds.update'.
    action: text('action').notNull(),
    // Set null when a room is deleted, so deleting a room is possible at all;
    // `details` should carry the room id for that reason.
    roomId: text('room_id').references(() => rooms.id, { onDelete: 'set null' }),
    details: jsonb('details').notNull().default({}),
    at: timestamp('at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index('operator_audit_log_room_at_idx').on(t.roomId, t.at),
    index('operator_audit_log_at_idx').on(t.at),
    check('operator_audit_log_actor_check', sql`char_length(${t.actor}) between 1 and 200`),
    check('operator_audit_log_role_check', sql`char_length(${t.role}) between 1 and 50`),
    check('operator_audit_log_action_check', sql`char_length(${t.action}) between 1 and 100`),
  ],
);

export type OperatorAuditEntry = typeof operatorAuditLog.$inferSelect;
export type NewOperatorAuditEntry = typeof operatorAuditLog.$inferInsert;
