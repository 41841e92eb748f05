// The rooms the ticks serve, loaded from PostgreSQL: which are active (a tick scheduler each)
// and, per tick, the room's schedule state and operator bounds.
import { type Database, type Room as RoomRow, rooms } from '@tatkal/drizzle';
import { effectiveRoomState, type RoomState, roomFromRow } from '@tatkal/waiting-room';
import { eq, ne } from 'drizzle-orm';
import type { OperatorBounds } from '../controller/types.ts';

export interface TickRoom {
  id: string;
  state: RoomState;
  tickIntervalMs: number;
  sessionSeconds: number;
  abandonAfterMs: number;
  journeyId: number | null;
  scope: { classes: string[]; quotas: string[] };
  bounds: OperatorBounds;
}

/** Rooms whose queue a tick serves: visitors may wait in them (pre-queue, open, paused). */
export function isTickActive(state: RoomState): boolean {
  return state === 'pre_queue' || state === 'open' || state === 'paused';
}

export function tickRoomFrom(row: RoomRow, nowMs: number): TickRoom {
  const state = effectiveRoomState(roomFromRow(row), nowMs);
  return {
    id: row.id,
    state,
    tickIntervalMs: row.tickIntervalMs,
    sessionSeconds: row.sessionSeconds,
    abandonAfterMs: row.abandonAfterSeconds * 1000,
    journeyId: row.journeyId,
    scope: { classes: [...row.classCodes], quotas: [...row.quotas] },
    bounds: {
      // Only an open sale admits: before opening (pre-queue) the room holds like a pause.
      paused: state !== 'open',
      emergencyBrake: row.emergencyBrake,
      minPerSecond: row.minAdmitPerSecond,
      maxPerSecond: row.maxAdmitPerSecond,
      maxActiveSessions: row.maxActiveSessions,
      latencyTargetMs: row.latencyTargetMs,
    },
  };
}

export async function loadTickRoom(
  db: Database,
  roomId: string,
  nowMs: number,
): Promise<TickRoom | null> {
  const [row] = await db.select().from(rooms).where(eq(rooms.id, roomId)).limit(1);
  return row ? tickRoomFrom(row, nowMs) : null;
}

/** Every room a tick should run for now. */
export async function listTickRooms(db: Database, nowMs: number): Promise<TickRoom[]> {
  const rows = await db.select().from(rooms).where(ne(rooms.status, 'closed'));
  return rows.map((row) => tickRoomFrom(row, nowMs)).filter((room) => isTickActive(room.state));
}
