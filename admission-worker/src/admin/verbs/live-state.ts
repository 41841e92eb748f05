// A room's live state for operators: its row, the queue as the waiting room
// keeps it in Redis, token revocation, and the ticks' latest decisions.
import { readQueueState, roomKeys, roomTokensRevokedBefore } from '@tatkal/waiting-room';
import type { DecisionRecord } from '../../decisions/record.ts';
import { recentDecisions } from '../decision-feed.ts';
import type { AdminContext } from '../deps.ts';
import { findRoomRow, type RoomView, roomDraining, roomView } from './room-view.ts';

export interface LiveState {
  room: RoomView;
  queue: {
    servedUpTo: number;
    lastNumber: number;
    /** Numbers issued and not yet passed by the pointer (visitors still waiting, or abandoned). */
    waiting: number;
    admittedTotal: number;
    skippedTotal: number;
    pointerMovedAt: string | null;
    recentBatches: Array<{ at: string; count: number }>;
    prequeueCount: number;
  };
  tokensRevokedBefore: string | null;
  /** The newest records, oldest first, each with its stream entry id. */
  decisions: Array<DecisionRecord & { id: string }>;
}

export async function liveState(
  ctx: AdminContext,
  roomId: string,
  decisionCount = 20,
): Promise<LiveState> {
  const row = await findRoomRow(ctx.db, roomId);
  const keys = roomKeys(ctx.keyPrefix, roomId);
  const [queue, draining, revokedBefore, decisions] = await Promise.all([
    readQueueState(ctx.redis, keys),
    roomDraining(ctx, roomId),
    roomTokensRevokedBefore(ctx.redis, ctx.keyPrefix, roomId),
    recentDecisions(ctx.redis, ctx.keyPrefix, roomId, decisionCount),
  ]);
  return {
    room: roomView(row, draining, ctx.now()),
    queue: {
      servedUpTo: queue.servedUpTo,
      lastNumber: queue.lastNumber,
      waiting: Math.max(0, queue.lastNumber - queue.servedUpTo),
      admittedTotal: queue.admittedTotal,
      skippedTotal: queue.skippedTotal,
      pointerMovedAt: queue.updatedMs > 0 ? new Date(queue.updatedMs).toISOString() : null,
      recentBatches: queue.recentBatches.map((b) => ({
        at: new Date(b.atMs).toISOString(),
        count: b.count,
      })),
      prequeueCount: queue.prequeueCount,
    },
    tokensRevokedBefore:
      revokedBefore === null ? null : new Date(revokedBefore * 1000).toISOString(),
    decisions: decisions.map((entry) => ({ id: entry.id, ...entry.record })),
  };
}
