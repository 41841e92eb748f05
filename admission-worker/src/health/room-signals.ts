// Everything a tick reads about its room before deciding, each from its source, once:
// the queue (Redis), admitted sessions (Redis), live holds (booking-api inventory in Redis),
// the booking API's published health (Redis) and PostgreSQL's activity.
// The keys module alone: the inventory's scripts and PostgreSQL code are not needed here.
import { inventoryKeys } from '@tatkal/booking-api/inventory/keys';
import type { RoomKeys } from '@tatkal/waiting-room/keys';
import { type QueueState, readQueueState } from '@tatkal/waiting-room/queue';
import type pg from 'pg';
import type {
  BookingHealth,
  DatabaseHealth,
  QueueSignals,
  SessionSignals,
} from '../controller/types.ts';
import type { TickKeys } from '../ticks/keys.ts';
import type { RedisLike } from '../ticks/scripts.ts';
import type { TickRoom } from '../ticks/tick-room.ts';
import { readBookingHealth } from './booking-health.ts';
import { readDatabaseHealth } from './database-health.ts';
import {
  type EndedSessions,
  endedSessions,
  liveHoldsFrom,
  meanSessionSeconds,
  parseSessionPoint,
  sessionWindowMs,
} from './session-signals.ts';

export interface SignalDeps {
  redis: RedisLike;
  pool: pg.Pool;
  prefix: string;
  /** A booking-api summary older than this is dropped. */
  healthStaleMs: number;
  /** PostgreSQL's activity must answer within this, or it is unknown. */
  databaseTimeoutMs: number;
}

export interface RoomSignals {
  /** Null when the queue's Redis could not be read: the tick admits nobody. */
  queueState: QueueState | null;
  queue: QueueSignals;
  sessions: SessionSignals;
  booking: BookingHealth;
  database: DatabaseHealth;
  /** Sessions found ended this tick; the tick's record removes them from the open set. */
  ended: EndedSessions;
  /** Session points before this are no longer needed. */
  trimPointsBeforeMs: number;
}

/** Waiting visitors and the age of the head from the queue state and the join clock. */
export function queueSignalsFrom(
  state: QueueState,
  returnedWaiting: number,
  headIssuedAtMs: number | null,
  nowMs: number,
): QueueSignals {
  const unnumbered = state.sealed ? 0 : state.prequeueCount;
  const waiting = Math.max(0, state.lastNumber - state.servedUpTo) + returnedWaiting + unnumbered;
  if (waiting === 0) return { waiting, headAgeMs: null };
  // The head was issued no later than the first tick that saw its number; with no such tick
  // yet it joined after the last one: a lower bound either way.
  return { waiting, headAgeMs: headIssuedAtMs === null ? 0 : Math.max(0, nowMs - headIssuedAtMs) };
}

export async function readRoomSignals(
  deps: SignalDeps,
  room: TickRoom,
  queueKeys: RoomKeys,
  tickKeys: TickKeys,
  nowMs: number,
): Promise<RoomSignals> {
  const [booking, database, holds] = await Promise.all([
    readBookingHealth(deps.redis, deps.prefix, nowMs, deps.healthStaleMs),
    readDatabaseHealth(deps.pool, deps.databaseTimeoutMs),
    readLiveHolds(deps, room),
  ]);
  const sessionMs = room.sessionSeconds * 1000;
  const trimPointsBeforeMs = nowMs - sessionWindowMs;
  const noneEnded: EndedSessions = { jtis: [], count: 0, totalMs: 0 };
  let queueState: QueueState;
  let reply: Array<[Error | null, unknown]> | null;
  try {
    queueState = await readQueueState(deps.redis, queueKeys);
    reply = await deps.redis
      .pipeline()
      .zcard(queueKeys.returned)
      .zrangebyscore(tickKeys.joinClock, String(queueState.servedUpTo + 1), '+inf', 'LIMIT', 0, 1)
      .zcard(tickKeys.openSessions)
      // Open sessions whose token was consumed (score from the open set: admitted-at).
      .zinter(2, tickKeys.openSessions, queueKeys.consumedTokens, 'WEIGHTS', 1, 0, 'WITHSCORES')
      .zrangebyscore(tickKeys.openSessions, '-inf', nowMs - sessionMs, 'WITHSCORES')
      .zrangebyscore(tickKeys.sessionPoints, trimPointsBeforeMs, '+inf')
      .hmget(tickKeys.state, 'endedCount', 'endedMs')
      .exec();
  } catch {
    return unreachable(booking, database, holds, noneEnded, trimPointsBeforeMs);
  }
  if (!reply || reply.some(([error]) => error)) {
    return unreachable(booking, database, holds, noneEnded, trimPointsBeforeMs);
  }
  const [returned, headReply, openCount, consumedReply, expiredReply, pointsReply, totalsReply] =
    reply.map(([, value]) => value);
  const ended = endedSessions(nowMs, sessionMs, pairs(consumedReply), pairs(expiredReply));
  const [endedCount, endedMs] = asStrings(totalsReply).map(Number);
  const points = asStrings(pointsReply)
    .map(parseSessionPoint)
    .filter((p) => p !== null);
  const headMember = asStrings(headReply)[0];
  const headIssuedAtMs = headMember ? Number(headMember.split(':')[1]) : null;
  return {
    queueState,
    queue: queueSignalsFrom(queueState, Number(returned), headIssuedAtMs, nowMs),
    sessions: {
      active: Math.max(0, Number(openCount) - ended.count),
      meanSessionSeconds: meanSessionSeconds(
        nowMs,
        { endedCount: (endedCount || 0) + ended.count, endedMs: (endedMs || 0) + ended.totalMs },
        points,
      ),
      liveHolds: holds,
    },
    booking,
    database,
    ended,
    trimPointsBeforeMs,
  };
}

function unreachable(
  booking: BookingHealth,
  database: DatabaseHealth,
  liveHolds: number | null,
  ended: EndedSessions,
  trimPointsBeforeMs: number,
): RoomSignals {
  return {
    queueState: null,
    queue: { waiting: 0, headAgeMs: null },
    sessions: { active: 0, meanSessionSeconds: null, liveHolds },
    booking,
    database,
    ended,
    trimPointsBeforeMs,
  };
}

/** [member, score] pairs from a WITHSCORES reply. */
function pairs(value: unknown): Array<[string, number]> {
  const flat = asStrings(value);
  const out: Array<[string, number]> = [];
  for (let i = 0; i + 1 < flat.length; i += 2) out.push([flat[i] ?? '', Number(flat[i + 1])]);
  return out;
}

function asStrings(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
}

async function readLiveHolds(deps: SignalDeps, room: TickRoom): Promise<number | null> {
  // A room open to every journey has no single inventory to count: unknown.
  if (room.journeyId === null) return null;
  try {
    return liveHoldsFrom(
      await deps.redis.hgetall(inventoryKeys(deps.prefix, room.journeyId).counts),
      room.scope,
    );
  } catch {
    return null;
  }
}
