import type { WaitingRoomDeps } from '../deps.ts';
import { roomNotFound } from '../problems.ts';
import {
  type FairnessDocument,
  fairnessDocument,
  readPrequeueLog,
  readPrequeueOrder,
} from '../queue/index.ts';
import { effectiveRoomState } from '../rooms/room.ts';
import { orUnavailable } from './join-visitor.ts';

export type Fairness = FairnessDocument & { room: string };

const cache = new Map<string, { atMs: number; fairness: Fairness }>();
const cacheMs = 5_000;

/**
 * What anyone needs to check a shuffled pre-queue (docs/shuffle.md): the seed's
 * hash (committed when the pre-queue opened), the seed (only once the sale
 * opened), the join log and the order drawn, as sha256 of visitor ids. Built
 * from Redis at most every few seconds per process: it can be large.
 */
export async function roomFairness(deps: WaitingRoomDeps, roomId: string): Promise<Fairness> {
  const nowMs = deps.now();
  const cached = cache.get(roomId);
  if (cached && nowMs - cached.atMs < cacheMs) return cached.fairness;
  const room = await deps.catalog.get(roomId);
  if (!room) throw roomNotFound(roomId);
  const state = effectiveRoomState(room, nowMs);
  const revealed = state !== 'scheduled' && state !== 'pre_queue';
  const keys = deps.keysFor(room.id);
  const shuffled = room.mode === 'fifo_shuffle';
  const prequeueLog = shuffled ? await orUnavailable(readPrequeueLog(deps.redis, keys)) : [];
  const drawn =
    shuffled && revealed ? await orUnavailable(readPrequeueOrder(deps.redis, keys)) : [];
  const fairness: Fairness = {
    room: room.id,
    ...fairnessDocument({
      mode: room.mode,
      seedHash: room.shuffleSeedHash,
      seed: revealed ? room.shuffleSeed : null,
      prequeueLog,
      // Only a complete draw is published: a partial one would not re-derive.
      prequeueOrder: drawn.length === prequeueLog.length ? drawn : [],
    }),
  };
  cache.set(roomId, { atMs: nowMs, fairness });
  return fairness;
}
