// A waiting room: one sale window (AC Tatkal at 10:00, sleeper at 11:00, ...)
// with its schedule, the scope its admission tokens may book, and the bounds
// the admission controller must respect.
import { sql } from 'drizzle-orm';
import { boolean, check, integer, pgTable, text, timestamp } from 'drizzle-orm/pg-core';
import { journeys } from './journeys.ts';
import { classCodes, isOneOf, isSubsetOf, quotas } from './vocabulary.ts';

export const roomModes = ['fifo', 'fifo_shuffle'] as const;
export type RoomMode = (typeof roomModes)[number];

/** The operator's state; the effective state also follows the schedule. */
export const roomStatuses = ['scheduled', 'pre_queue', 'open', 'paused', 'closed'] as const;
export type RoomStatus = (typeof roomStatuses)[number];

export const rooms = pgTable(
  'rooms',
  {
    // A slug, because it appears in URLs, Redis hash tags and token claims.
    id: text('id').primaryKey(),
    name: text('name').notNull(),
    // Scope of the room's tokens: a journey (or any journey when null), classes and quotas.
    journeyId: integer('journey_id').references(() => journeys.id),
    classCodes: text('class_codes', { enum: classCodes }).array().notNull(),
    quotas: text('quotas', { enum: quotas }).array().notNull(),
    mode: text('mode', { enum: roomModes }).notNull().default('fifo'),
    status: text('status', { enum: roomStatuses }).notNull().default('scheduled'),
    prequeueOpensAt: timestamp('prequeue_opens_at', { withTimezone: true }).notNull(),
    saleOpensAt: timestamp('sale_opens_at', { withTimezone: true }).notNull(),
    closesAt: timestamp('closes_at', { withTimezone: true }).notNull(),
    sessionSeconds: integer('session_seconds').notNull().default(600),
    abandonAfterSeconds: integer('abandon_after_seconds').notNull().default(60),
    tickIntervalMs: integer('tick_interval_ms').notNull().default(1000),
    minAdmitPerSecond: integer('min_admit_per_second').notNull().default(1),
    maxAdmitPerSecond: integer('max_admit_per_second').notNull().default(200),
    maxActiveSessions: integer('max_active_sessions').notNull().default(2000),
    latencyTargetMs: integer('latency_target_ms').notNull().default(150),
    // Operator's emergency brake: admit nobody while set, whatever the controller says
    // (below pause in precedence, above the bounds).
    emergencyBrake: boolean('emergency_brake').notNull().default(false),
    powDifficulty: integer('pow_difficulty').notNull().default(0),
    // Pre-queue shuffle: the hash is published before opening, the seed after.
    shuffleSeedHash: text('shuffle_seed_hash'),
    shuffleSeed: text('shuffle_seed'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true })
      .notNull()
      .defaultNow()
      .$onUpdate(() => new Date()),
  },
  (t) => [
    check('rooms_id_slug_check', sql`${t.id} ~ '^[a-z0-9][a-z0-9-]{1,62}$'`),
    check('rooms_name_check', sql`char_length(${t.name}) between 1 and 120`),
    check('rooms_class_codes_check', isSubsetOf(t.classCodes, classCodes)),
    check('rooms_quotas_check', isSubsetOf(t.quotas, quotas)),
    check('rooms_mode_check', isOneOf(t.mode, roomModes)),
    check('rooms_status_check', isOneOf(t.status, roomStatuses)),
    check(
      'rooms_schedule_order_check',
      sql`${t.prequeueOpensAt} <= ${t.saleOpensAt} and ${t.saleOpensAt} < ${t.closesAt}`,
    ),
    check('rooms_session_seconds_check', sql`${t.sessionSeconds} > 0`),
    check('rooms_abandon_after_seconds_check', sql`${t.abandonAfterSeconds} > 0`),
    check('rooms_tick_interval_ms_check', sql`${t.tickIntervalMs} between 100 and 60000`),
    check(
      'rooms_admit_bounds_check',
      sql`0 <= ${t.minAdmitPerSecond} and ${t.minAdmitPerSecond} <= ${t.maxAdmitPerSecond}`,
    ),
    check('rooms_max_active_sessions_check', sql`${t.maxActiveSessions} > 0`),
    check('rooms_latency_target_ms_check', sql`${t.latencyTargetMs} > 0`),
    check('rooms_pow_difficulty_check', sql`${t.powDifficulty} between 0 and 32`),
    // Revealing a seed without having committed to its hash would make the shuffle unverifiable.
    check(
      'rooms_shuffle_seed_committed_check',
      sql`${t.shuffleSeed} is null or ${t.shuffleSeedHash} is not null`,
    ),
  ],
);

export type Room = typeof rooms.$inferSelect;
export type NewRoom = typeof rooms.$inferInsert;
