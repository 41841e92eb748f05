// Audit of every admission tick: which queue numbers were let through, how
// many abandoned visitors were skipped, and why the controller chose that
// many. Enough to prove afterwards that the queue was served in order.
import { sql } from 'drizzle-orm';
import {
  bigint,
  check,
  index,
  integer,
  jsonb,
  pgTable,
  text,
  timestamp,
  unique,
} from 'drizzle-orm/pg-core';
import { rooms } from './rooms.ts';

export const admissionBatches = pgTable(
  'admission_batches',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    roomId: text('room_id')
      .notNull()
      .references(() => rooms.id),
    // Inclusive range of queue numbers the pointer moved over; both null when
    // the controller decided to admit nobody, which is still worth recording.
    firstNumber: bigint('first_number', { mode: 'number' }),
    lastNumber: bigint('last_number', { mode: 'number' }),
    // Admitted may exceed the range: returning skipped visitors are admitted with priority.
    admittedCount: integer('admitted_count').notNull(),
    skippedCount: integer('skipped_count').notNull().default(0),
    workerId: text('worker_id').notNull(),
    // The controller's inputs and output for this tick.
    decision: jsonb('decision').notNull(),
    admittedAt: timestamp('admitted_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    // Ranges never overlap, so a second batch starting at the same number is a double admission.
    unique('admission_batches_room_first_number_uniq').on(t.roomId, t.firstNumber),
    index('admission_batches_room_admitted_at_idx').on(t.roomId, t.admittedAt),
    check(
      'admission_batches_range_check',
      sql`(${t.firstNumber} is null) = (${t.lastNumber} is null) and ${t.firstNumber} >= 0 and ${t.firstNumber} <= ${t.lastNumber}`,
    ),
    check(
      'admission_batches_counts_check',
      sql`${t.admittedCount} >= 0 and ${t.skippedCount} >= 0`,
    ),
  ],
);

export type AdmissionBatch = typeof admissionBatches.$inferSelect;
export type NewAdmissionBatch = typeof admissionBatches.$inferInsert;
