import type { Room as RoomRow } from '@tatkal/drizzle';

export type RoomState = 'scheduled' | 'pre_queue' | 'open' | 'paused' | 'closed';

/** What the waiting room needs to know about a room, loaded from PostgreSQL. */
export interface Room {
  id: string;
  name: string;
  mode: RoomRow['mode'];
  /** The operator's setting; the effective state also follows the schedule. */
  operatorStatus: RoomRow['status'];
  prequeueOpensAt: Date;
  saleOpensAt: Date;
  closesAt: Date;
  sessionSeconds: number;
  abandonAfterSeconds: number;
  powDifficulty: number;
  scope: { journeyId: number | null; classes: string[]; quotas: string[] };
  shuffleSeedHash: string | null;
  shuffleSeed: string | null;
}

export function roomFromRow(row: RoomRow): Room {
  return {
    id: row.id,
    name: row.name,
    mode: row.mode,
    operatorStatus: row.status,
    prequeueOpensAt: row.prequeueOpensAt,
    saleOpensAt: row.saleOpensAt,
    closesAt: row.closesAt,
    sessionSeconds: row.sessionSeconds,
    abandonAfterSeconds: row.abandonAfterSeconds,
    powDifficulty: row.powDifficulty,
    scope: { journeyId: row.journeyId, classes: [...row.classCodes], quotas: [...row.quotas] },
    shuffleSeedHash: row.shuffleSeedHash,
    shuffleSeed: row.shuffleSeed,
  };
}

/**
 * The room's state now. Closing (by the operator or the clock) wins; a pause
 * holds until resumed; an operator may open or start the pre-queue early;
 * otherwise the schedule decides.
 */
export function effectiveRoomState(room: Room, nowMs: number): RoomState {
  if (room.operatorStatus === 'closed' || nowMs >= room.closesAt.getTime()) return 'closed';
  if (room.operatorStatus === 'paused') return 'paused';
  if (room.operatorStatus === 'open' || nowMs >= room.saleOpensAt.getTime()) return 'open';
  if (room.operatorStatus === 'pre_queue' || nowMs >= room.prequeueOpensAt.getTime()) {
    return 'pre_queue';
  }
  return 'scheduled';
}

/** Visitors may take a place while the pre-queue or the sale is open, or the sale is paused. */
export function acceptsJoins(state: RoomState): boolean {
  return state === 'pre_queue' || state === 'open' || state === 'paused';
}
