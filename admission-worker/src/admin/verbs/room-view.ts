// How the admin API shows a room: the row, its effective state now, and the
// drain flag that lives with the queue in Redis.
import { type Database, type Room, rooms } from '@tatkal/drizzle';
import { effectiveRoomState, isRoomDraining, roomFromRow, roomKeys } from '@tatkal/waiting-room';
import { eq } from 'drizzle-orm';
import type { Redis } from 'ioredis';
import type { AdminContext } from '../deps.ts';
import { roomNotFound } from '../problems.ts';

export interface RoomView {
  id: string;
  name: string;
  mode: Room['mode'];
  status: Room['status'];
  state: ReturnType<typeof effectiveRoomState>;
  draining: boolean;
  emergencyBrake: boolean;
  schedule: { prequeueOpensAt: string; saleOpensAt: string; closesAt: string };
  scope: { journeyId: number | null; classCodes: string[]; quotas: string[] };
  bounds: {
    minPerSecond: number;
    maxPerSecond: number;
    maxActiveSessions: number;
    latencyTargetMs: number;
  };
  sessionSeconds: number;
  abandonAfterSeconds: number;
  tickIntervalMs: number;
  powDifficulty: number;
  createdAt: string;
  updatedAt: string;
}

export function roomView(row: Room, draining: boolean, nowMs: number): RoomView {
  return {
    id: row.id,
    name: row.name,
    mode: row.mode,
    status: row.status,
    state: effectiveRoomState(roomFromRow(row), nowMs),
    draining,
    emergencyBrake: row.emergencyBrake,
    schedule: {
      prequeueOpensAt: row.prequeueOpensAt.toISOString(),
      saleOpensAt: row.saleOpensAt.toISOString(),
      closesAt: row.closesAt.toISOString(),
    },
    scope: { journeyId: row.journeyId, classCodes: [...row.classCodes], quotas: [...row.quotas] },
    bounds: {
      minPerSecond: row.minAdmitPerSecond,
      maxPerSecond: row.maxAdmitPerSecond,
      maxActiveSessions: row.maxActiveSessions,
      latencyTargetMs: row.latencyTargetMs,
    },
    sessionSeconds: row.sessionSeconds,
    abandonAfterSeconds: row.abandonAfterSeconds,
    tickIntervalMs: row.tickIntervalMs,
    powDifficulty: row.powDifficulty,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}

export async function findRoomRow(db: Database, roomId: string): Promise<Room> {
  const [row] = await db.select().from(rooms).where(eq(rooms.id, roomId)).limit(1);
  if (!row) throw roomNotFound(roomId);
  return row;
}

export function roomDraining(ctx: AdminContext, roomId: string): Promise<boolean> {
  return isRoomDraining(ctx.redis, roomKeys(ctx.keyPrefix, roomId));
}

/** Drain flags of many rooms in one round trip. */
async function drainingFlags(redis: Redis, prefix: string, ids: string[]): Promise<boolean[]> {
  if (ids.length === 0) return [];
  const pipeline = redis.pipeline();
  for (const id of ids) pipeline.hget(roomKeys(prefix, id).state, 'draining');
  const replies = (await pipeline.exec()) ?? [];
  return ids.map((_, i) => {
    const [error, value] = replies[i] ?? [null, null];
    if (error) throw error;
    return value === '1';
  });
}

export async function listRooms(ctx: AdminContext): Promise<RoomView[]> {
  const rows = await ctx.db.select().from(rooms).orderBy(rooms.saleOpensAt, rooms.id);
  const flags = await drainingFlags(
    ctx.redis,
    ctx.keyPrefix,
    rows.map((row) => row.id),
  );
  const nowMs = ctx.now();
  return rows.map((row, i) => roomView(row, flags[i] ?? false, nowMs));
}

export async function showRoom(ctx: AdminContext, roomId: string): Promise<RoomView> {
  const row = await findRoomRow(ctx.db, roomId);
  return roomView(row, await roomDraining(ctx, roomId), ctx.now());
}
