// An operator's drain: the room stops giving out new places while everyone who
// already has one keeps it and is admitted as usual. The flag lives in the
// room's state hash because the join script already reads that hash, so the
// check is atomic with taking a number and costs no extra round trip.
import type { RoomKeys } from '../redis-keys.ts';
import type { RedisLike } from './scripts.ts';

/** Starts (true) or lifts (false) the drain of a room. */
export async function setRoomDraining(
  redis: RedisLike,
  keys: RoomKeys,
  draining: boolean,
): Promise<void> {
  if (draining) await redis.hset(keys.state, 'draining', '1');
  else await redis.hdel(keys.state, 'draining');
}

export async function isRoomDraining(redis: RedisLike, keys: RoomKeys): Promise<boolean> {
  return (await redis.hget(keys.state, 'draining')) === '1';
}
