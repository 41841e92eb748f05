import { z } from 'zod';
import type { RoomKeys } from '../redis-keys.ts';
import { type RedisLike, registerQueueScripts, unexpectedReply } from './scripts.ts';

export interface QueueState {
  /** The admission pointer: every number up to it was admitted or skipped. */
  servedUpTo: number;
  /** Last queue number issued (including numbers reserved for a sealed pre-queue). */
  lastNumber: number;
  admittedTotal: number;
  skippedTotal: number;
  /** When the pointer last moved (epoch ms), 0 before the first batch. */
  updatedMs: number;
  /** Recent admission batches, newest first. */
  recentBatches: Array<{ atMs: number; count: number }>;
  sealed: boolean;
  /** Visitors in the pre-queue: its frozen size once sealed, the join log's length before. */
  prequeueCount: number;
  /** Positions of the shuffled pre-queue placed so far (all of them once opened). */
  shuffleApplied: number;
  /** Numbers issued before the pre-queue was sealed (pre-queue numbers start after it). */
  prequeueBase: number;
}

const stateReply = z.tuple([
  z.array(z.string()),
  z.string(),
  z.array(z.string()),
  z.number().int().nonnegative(),
]);

function integer(value: string | undefined): number {
  const parsed = Number(value ?? 0);
  return Number.isSafeInteger(parsed) ? parsed : 0;
}

function batch(entry: string): { atMs: number; count: number } | null {
  const match = /^(\d+):(\d+)$/.exec(entry);
  if (!match) return null;
  return { atMs: Number(match[1]), count: Number(match[2]) };
}

/** The room's queue pointer, totals and recent batches, in one round trip (read-only script). */
export async function readQueueState(redis: RedisLike, keys: RoomKeys): Promise<QueueState> {
  registerQueueScripts(redis);
  const reply = await redis.queueReadState(
    keys.state,
    keys.seq,
    keys.admissionLog,
    keys.prequeueLog,
  );
  const parsed = stateReply.safeParse(reply);
  if (!parsed.success) throw unexpectedReply('read-queue-state', reply);
  const [flat, seq, log, prequeueLength] = parsed.data;
  const state = new Map<string, string>();
  for (let i = 0; i + 1 < flat.length; i += 2) state.set(flat[i] ?? '', flat[i + 1] ?? '');
  const sealed = state.get('sealed') === '1';
  return {
    servedUpTo: integer(state.get('served')),
    lastNumber: integer(seq),
    admittedTotal: integer(state.get('admittedTotal')),
    skippedTotal: integer(state.get('skippedTotal')),
    updatedMs: integer(state.get('updatedMs')),
    recentBatches: log.map(batch).filter((entry) => entry !== null),
    sealed,
    prequeueCount: sealed ? integer(state.get('prequeueCount')) : prequeueLength,
    shuffleApplied: integer(state.get('shuffleApplied')),
    prequeueBase: integer(state.get('prequeueBase')),
  };
}

export type StandingStatus =
  | 'unknown'
  | 'prequeue'
  | 'waiting'
  | 'admitted'
  | 'skipped'
  | 'returned';

export interface VisitorStanding {
  number: number | null;
  status: StandingStatus;
  admittedAtMs: number | null;
}

const standingReply = z.tuple([
  z.union([z.literal(''), z.string().regex(/^\d+$/)]),
  z.enum(['unknown', 'prequeue', 'waiting', 'admitted', 'skipped', 'returned']),
  z.union([z.literal(''), z.string().regex(/^\d+$/)]),
]);

/**
 * Where one visitor stands: waiting, admitted (and when), skipped as abandoned,
 * returned after a skip, still in the pre-queue, or unknown. One read-only script.
 */
export async function visitorStanding(
  redis: RedisLike,
  keys: RoomKeys,
  visitor: string,
): Promise<VisitorStanding> {
  registerQueueScripts(redis);
  const reply = await redis.queueReadVisitorStanding(
    keys.visitors,
    keys.admitted,
    keys.skipped,
    keys.returned,
    visitor,
  );
  const parsed = standingReply.safeParse(reply);
  if (!parsed.success) throw unexpectedReply('read-visitor-standing', reply);
  const [number, status, admittedAtMs] = parsed.data;
  return {
    number: number === '' ? null : Number(number),
    status,
    admittedAtMs: admittedAtMs === '' ? null : Number(admittedAtMs),
  };
}
