// The rooms the ticks serve, loaded from PostgreSQL: which are active (a tick scheduler each)
// and, per tick, the room's schedule state and operator bounds.
import { type Database, type Room as RoomRow, rooms } from '@tatkal/drizzle';
import { effectiveRoomState, type RoomState, roomFromRow } from '@tatkal/waiting-room/rooms';
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
      ...(state === 'open' || state === 'paused'
        ? {}
        : { pausedReason: `room is ${state.replace('_', '-')}: only an open sale admits` }),
      emergencyBrake: row.emergencyBrake,
      minPerSecond: row.minAdmitPerSecond,
      maxPerSecond: row.maxAdmitPerSecond,
      maxActiveSessions: row.maxActiveSessions,
      latencyTargetMs: row.latencyTargetMs,
    },
  };
}

/**
 * Rooms as last read, per process. An overloaded database is exactly when the controller
 * must keep ticking (to cut admissions), so a tick whose room read is slow or fails uses the
 * row read within the last `maxAgeMs` instead of stalling; older than that, it fails closed.
 */
export class RoomRows {
  readonly #rows = new Map<string, { row: RoomRow; atMs: number }>();
  readonly #timeoutMs: number;
  readonly #maxAgeMs: number;

  constructor(options: { timeoutMs: number; maxAgeMs: number }) {
    this.#timeoutMs = options.timeoutMs;
    this.#maxAgeMs = options.maxAgeMs;
  }

  async load(db: Database, roomId: string, nowMs: number): Promise<TickRoom | null> {
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<'timeout'>((resolve) => {
      timer = setTimeout(() => resolve('timeout'), this.#timeoutMs);
    });
    try {
      const rows = await Promise.race([
        db.select().from(rooms).where(eq(rooms.id, roomId)).limit(1),
        timedOut,
      ]);
      if (rows !== 'timeout') {
        const [row] = rows;
        if (!row) {
          this.#rows.delete(roomId);
          return null;
        }
        this.#rows.set(roomId, { row, atMs: nowMs });
        return tickRoomFrom(row, nowMs);
      }
    } catch (error) {
      if (!this.#fresh(roomId, nowMs)) throw error;
    } finally {
      clearTimeout(timer);
    }
    const cached = this.#fresh(roomId, nowMs);
    if (!cached) throw new Error(`room ${roomId} could not be read within ${this.#timeoutMs} ms`);
    return tickRoomFrom(cached.row, nowMs);
  }

  #fresh(roomId: string, nowMs: number) {
    const cached = this.#rows.get(roomId);
    return cached && nowMs - cached.atMs <= this.#maxAgeMs ? cached : undefined;
  }
}

/** Every room a tick should run for now. */
export async function listTickRooms(db: Database, nowMs: number): Promise<TickRoom[]> {
  const rows = await db.select().from(rooms).where(ne(rooms.status, 'closed'));
  return rows.map((row) => tickRoomFrom(row, nowMs)).filter((room) => isTickActive(room.state));
}
