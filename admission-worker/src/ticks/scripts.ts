// The tick's Lua scripts (lua/*.lua, one file each, header = contract), registered with
// defineCommand so ioredis sends EVALSHA and falls back to EVAL. Every key a script takes
// is one of the room's tick keys, so each runs in the room's Redis Cluster slot.
import { readFileSync } from 'node:fs';
import type { Cluster, Redis, Result } from 'ioredis';

export type RedisLike = Redis | Cluster;

declare module 'ioredis' {
  interface RedisCommander<Context> {
    tickAcquireLock(
      lock: string,
      fence: string,
      worker: string,
      ttlMs: number,
    ): Result<[number, string | number], Context>;
    tickReleaseLock(lock: string, token: string): Result<number, Context>;
    tickStage(lock: string, state: string, token: string, pending: string): Result<number, Context>;
    tickRecord(
      lock: string,
      state: string,
      decisions: string,
      openSessions: string,
      sessionPoints: string,
      joinClock: string,
      token: string,
      record: string,
      streamLength: number,
      controllerState: string,
      atMs: number,
      served: number,
      admittedTotal: number,
      skippedTotal: number,
      lastNumber: number,
      trimPointsBeforeMs: number,
      endedCount: number,
      endedMs: number,
      endedJtis: string,
      admittedJtis: string,
    ): Result<string | number, Context>;
  }
}

const definitions = {
  tickAcquireLock: { file: 'acquire-tick-lock.lua', numberOfKeys: 2 },
  tickReleaseLock: { file: 'release-tick-lock.lua', numberOfKeys: 1 },
  tickStage: { file: 'stage-tick.lua', numberOfKeys: 2 },
  tickRecord: { file: 'record-tick.lua', numberOfKeys: 6 },
};

const sources = Object.entries(definitions).map(([name, definition]) => ({
  name,
  numberOfKeys: definition.numberOfKeys,
  lua: readFileSync(new URL(`./lua/${definition.file}`, import.meta.url), 'utf8'),
}));

const registered = new WeakSet<RedisLike>();

/** Defines the tick commands on a client; calling it again on the same client does nothing. */
export function registerTickScripts(redis: RedisLike): RedisLike {
  if (registered.has(redis)) return redis;
  for (const { name, lua, numberOfKeys } of sources) {
    if (!(name in redis)) redis.defineCommand(name, { lua, numberOfKeys });
  }
  registered.add(redis);
  return redis;
}

/** The tick scripts' one error code: the caller's lock expired or passed to a later holder. */
export const fenceLostCode = -1;
