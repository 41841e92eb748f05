// A deliberately broken admitNextBatch for negative controls: the same decisions as
// src/lua/admit-next-batch.lua (plain FIFO rooms), but it reads the pointer in one round
// trip and writes it back in another, so two workers calling at once admit the same
// visitors. Run alone, it behaves exactly like the real one.

import type { AdmitOptions, AdmitResult, RedisLike } from '../../src/queue/index.ts';
import type { RoomKeys } from '../../src/redis-keys.ts';

export async function admitInTwoRoundTrips(
  redis: RedisLike,
  keys: RoomKeys,
  n: number,
  options: AdmitOptions,
): Promise<AdmitResult> {
  const served = Number((await redis.hget(keys.state, 'served')) ?? 0);
  const back = await redis.zrange(keys.returned, 0, String(n - 1), 'WITHSCORES');
  const entries = await redis.xrange(keys.stream, `${served + 1}-0`, '+', 'COUNT', 1000);
  const numbers = entries.map(([id]) => id.split('-')[0] ?? '');
  const seen = numbers.length > 0 ? await redis.hmget(keys.seen, ...numbers) : [];

  const cutoffSec = Math.floor((options.nowMs - options.abandonAfterMs) / 1000);
  const admitted: AdmitResult['admitted'] = [];
  for (let i = 0; i + 1 < back.length; i += 2) {
    admitted.push({ number: Number(back[i + 1]), visitor: back[i] ?? '' });
  }
  const returnedCount = admitted.length;
  const skippedNow: Array<{ number: number; visitor: string }> = [];
  let pointer = served;
  for (const [i, [id, fields]] of entries.entries()) {
    if (admitted.length >= n) break;
    const number = Number(id.split('-')[0]);
    const visitor = fields[1] ?? '';
    const lastSeen = seen[i];
    if (lastSeen != null && Number(lastSeen) >= cutoffSec) admitted.push({ number, visitor });
    else skippedNow.push({ number, visitor });
    pointer = number;
  }

  const write = redis.multi().hset(keys.state, 'served', pointer);
  for (const { visitor } of admitted.slice(0, returnedCount)) write.zrem(keys.returned, visitor);
  for (const { number } of admitted) write.hset(keys.admitted, number, options.nowMs);
  for (const { number, visitor } of skippedNow) write.hset(keys.skipped, number, visitor);
  if (pointer > served) {
    write.hdel(
      keys.seen,
      ...Array.from({ length: pointer - served }, (_, i) => String(served + 1 + i)),
    );
  }
  await write.exec();
  return { admitted, skipped: skippedNow.length, servedUpTo: pointer };
}
