// A deliberately broken holdSeats for the negative control: the same decisions as
// src/lua/hold-seats.lua (lowest free berths for auto-allocation, preferences aside), over the
// same keys and record format, but it reads in some round trips and writes in another, so
// two callers at once can both find a seat free and both hold it. Run alone, it behaves
// like the real one.
import {
  type HoldInput,
  type HoldOutcome,
  InventoryError,
  inventoryKeys,
  type RedisLike,
  type SeatRef,
} from '../../src/inventory/index.ts';

interface HoldRecord {
  st: 'held' | 'booked';
  exp: number;
  sub: string;
  jti: string;
  seats: string[];
  at: number;
}

function seatRef(seatId: string, meta: string | null): SeatRef {
  const [classCode = '', quota = '', coach = '', berthNumber = '', berthType = 'LB'] = (
    meta ?? ''
  ).split('|');
  return {
    seatId: Number(seatId),
    coach,
    berthNumber: Number(berthNumber),
    berthType: berthType as SeatRef['berthType'],
    classCode,
    quota,
  };
}

export async function holdInRoundTrips(
  redis: RedisLike,
  prefix: string,
  input: HoldInput,
): Promise<HoldOutcome> {
  const keys = inventoryKeys(prefix, input.journeyId);
  const holdId = input.holdId ?? `racy-${Math.random()}`;
  const now = input.nowMs;
  const record = async (id: string): Promise<HoldRecord | null> => {
    const raw = await redis.hget(keys.holds, id);
    return raw === null ? null : (JSON.parse(raw) as HoldRecord);
  };
  const isLive = (r: HoldRecord | null) => r !== null && r.st === 'held' && r.exp > now;
  const answer = async (r: HoldRecord): Promise<HoldOutcome> => {
    const metas = await redis.hmget(keys.seats, ...r.seats);
    return {
      ok: true,
      holdId,
      expiresAtMs: r.exp,
      seats: r.seats.map((id, i) => seatRef(id, metas[i] ?? null)),
    };
  };

  const existing = await record(holdId);
  if (existing) {
    if (isLive(existing) && existing.jti === input.holder.tokenJti) return answer(existing);
    if (existing.st === 'booked' || isLive(existing)) {
      throw new InventoryError('racy-hold', -8, 'HoldIdInUse');
    }
    // The same id's earlier hold ran out: its seats go before the id is used again.
    const current = await redis.hmget(keys.taken, ...existing.seats);
    const metas = await redis.hmget(keys.seats, ...existing.seats);
    const release = redis.multi();
    for (const [i, seatId] of existing.seats.entries()) {
      if (current[i] !== holdId) continue;
      release.hdel(keys.taken, seatId);
      release.hincrby(keys.counts, `${(metas[i] ?? '').split('|').slice(0, 2).join('|')}:held`, -1);
    }
    await release.exec();
  }
  const linked = await redis.hget(keys.tokens, input.holder.tokenJti);
  if (linked !== null && linked !== holdId && isLive(await record(linked))) {
    return { ok: false, reason: 'token_has_live_hold' };
  }

  const { request } = input;
  const candidates =
    request.kind === 'seats'
      ? request.seatIds.map(String)
      : ((await redis.hget(keys.pools, `${request.classCode}|${request.quota}`)) ?? '')
          .split(',')
          .filter(Boolean);
  const values = candidates.length > 0 ? await redis.hmget(keys.taken, ...candidates) : [];
  const liveness = new Map<string, boolean>();
  const isFree = async (value: string | null | undefined) => {
    if (value === null || value === undefined) return true;
    if (value.startsWith('!')) return false;
    if (!liveness.has(value)) liveness.set(value, isLive(await record(value)));
    return !liveness.get(value);
  };
  const free: string[] = [];
  const taken: number[] = [];
  for (const [i, seatId] of candidates.entries()) {
    if (await isFree(values[i])) free.push(seatId);
    else taken.push(Number(seatId));
  }
  let chosen: string[];
  if (request.kind === 'seats') {
    if (taken.length > 0)
      return { ok: false, reason: 'seats_unavailable', unavailableSeatIds: taken };
    chosen = candidates;
  } else {
    if (free.length < request.count)
      return { ok: false, reason: 'not_enough_berths', available: free.length };
    chosen = free.slice(0, request.count);
  }

  // The write, in its own round trip: by now another caller may have taken these seats.
  const metas = await redis.hmget(keys.seats, ...chosen);
  const fresh: HoldRecord = {
    st: 'held',
    exp: now + input.ttlMs,
    sub: input.holder.subject,
    jti: input.holder.tokenJti,
    seats: chosen,
    at: now,
  };
  const write = redis.multi();
  for (const [i, seatId] of chosen.entries()) {
    const before = values[candidates.indexOf(seatId)];
    write.hset(keys.taken, seatId, holdId);
    const pool = (metas[i] ?? '').split('|').slice(0, 2).join('|');
    if (before === null || before === undefined) write.hincrby(keys.counts, `${pool}:held`, 1);
  }
  write.hset(keys.holds, holdId, JSON.stringify(fresh));
  write.zadd(keys.expiries, fresh.exp, holdId);
  write.hset(keys.tokens, input.holder.tokenJti, holdId);
  await write.exec();
  return answer(fresh);
}
