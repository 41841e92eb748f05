// The inventory's Lua scripts (src/lua/*.lua, one file each, header = contract), registered
// on a client with defineCommand so ioredis sends EVALSHA and falls back to EVAL. Shared
// helpers live in src/lua/includes/ and are spliced in where a script says
// `--- @include "<name>"`. Every script takes the journey's eight keys (InventoryKeyList),
// which share one hash tag, so each runs in one Redis Cluster slot.
import { readFileSync } from 'node:fs';
import type { Cluster, Redis, Result } from 'ioredis';
import type { InventoryKeyList } from './keys.ts';

export type RedisLike = Redis | Cluster;
type Arg = string | number;

declare module 'ioredis' {
  interface RedisCommander<Context> {
    inventoryHoldSeats(...args: [...InventoryKeyList, ...Arg[]]): Result<unknown, Context>;
    inventoryReleaseHold(
      ...args: [...InventoryKeyList, holdId: string, subject: string, nowMs: number]
    ): Result<unknown, Context>;
    inventoryReadHold(
      ...args: [...InventoryKeyList, holdId: string, nowMs: number]
    ): Result<unknown, Context>;
    inventoryMarkHoldBooked(
      ...args: [
        ...InventoryKeyList,
        holdId: string,
        nowMs: number,
        retainMs: number,
        subject: string,
        tokenJti: string,
        ...Arg[],
      ]
    ): Result<unknown, Context>;
    inventoryMarkSeatsSold(...args: [...InventoryKeyList, ...Arg[]]): Result<unknown, Context>;
    inventoryReturnSeats(...args: [...InventoryKeyList, ...Arg[]]): Result<unknown, Context>;
    inventorySweepExpiredHolds(
      ...args: [...InventoryKeyList, nowMs: number, limit: number]
    ): Result<unknown, Context>;
    inventoryReadAvailability(
      ...args: [...InventoryKeyList, nowMs: number, sweepLimit: number]
    ): Result<unknown, Context>;
    inventoryReadSnapshot(...args: [...InventoryKeyList, nowMs: number]): Result<unknown, Context>;
    inventoryLoadSeats(...args: [...InventoryKeyList, ...Arg[]]): Result<unknown, Context>;
    inventoryReplacePools(...args: [...InventoryKeyList, ...Arg[]]): Result<unknown, Context>;
    inventoryApplyTruth(
      ...args: [...InventoryKeyList, nowMs: number, ...Arg[]]
    ): Result<unknown, Context>;
    inventoryFinishRebuild(...args: [...InventoryKeyList, nowMs: number]): Result<unknown, Context>;
  }
}

// No script is marked readOnly: ioredis would let a Cluster client with scaleReads send the
// read-only ones to a replica, and a hold just made (or an audit against PostgreSQL) must be
// read from the master.
const definitions = {
  inventoryHoldSeats: 'hold-seats.lua',
  inventoryReleaseHold: 'release-hold.lua',
  inventoryReadHold: 'read-hold.lua',
  inventoryMarkHoldBooked: 'mark-hold-booked.lua',
  inventoryMarkSeatsSold: 'mark-seats-sold.lua',
  inventoryReturnSeats: 'return-seats.lua',
  inventorySweepExpiredHolds: 'sweep-expired-holds.lua',
  inventoryReadAvailability: 'read-availability.lua',
  inventoryReadSnapshot: 'read-snapshot.lua',
  inventoryLoadSeats: 'load-seats.lua',
  inventoryReplacePools: 'replace-pools.lua',
  inventoryApplyTruth: 'apply-truth.lua',
  inventoryFinishRebuild: 'finish-rebuild.lua',
} satisfies Record<string, string>;

const numberOfKeys = 8;
const luaDir = new URL('../lua/', import.meta.url);

function readLua(file: string): string {
  return readFileSync(new URL(file, luaDir), 'utf8');
}

/** A script's source with its `--- @include "<name>"` lines replaced by src/lua/includes/<name>.lua. */
export function scriptSource(file: string): string {
  return readLua(file).replace(/^--- @include "([a-z-]+)"$/gm, (_, name: string) =>
    readLua(`includes/${name}.lua`),
  );
}

const sources = Object.entries(definitions).map(([name, file]) => ({
  name,
  lua: scriptSource(file),
}));

const registered = new WeakSet<RedisLike>();

/** Defines the inventory's commands on a client; calling it again on the same client does nothing. */
export function registerInventoryScripts(redis: RedisLike): void {
  if (registered.has(redis)) return;
  for (const { name, lua } of sources) {
    if (!(name in redis)) redis.defineCommand(name, { lua, numberOfKeys });
  }
  registered.add(redis);
}

/**
 * Every status an inventory script returns as a negative integer, in one place. Some are
 * outcomes the caller reports (a refused hold, a release of someone else's hold); the
 * others are thrown as InventoryError.
 */
export const InventoryCode = {
  BadArgument: -1,
  InventoryMissing: -2,
  TokenHasLiveHold: -3,
  UnknownSeat: -4,
  MixedClassOrQuota: -5,
  SeatsUnavailable: -6,
  NotEnoughBerths: -7,
  HoldIdInUse: -8,
  NotFound: -9,
  NotYours: -10,
  Booked: -11,
  SeatClassMismatch: -12,
} as const;
export type InventoryCode = (typeof InventoryCode)[keyof typeof InventoryCode];
export type InventoryCodeName = keyof typeof InventoryCode;

const names = new Map<number, InventoryCodeName>(
  Object.entries(InventoryCode).map(([name, code]) => [code, name as InventoryCodeName]),
);

export function codeName(code: number): InventoryCodeName | undefined {
  return names.get(code);
}

export class InventoryError extends Error {
  override readonly name = 'InventoryError';
  readonly code: number;
  readonly reason: InventoryCodeName | 'UnexpectedReply';

  constructor(
    script: string,
    code: number,
    reason: InventoryCodeName | 'UnexpectedReply',
    detail = `${reason} (${code})`,
  ) {
    super(`${script}: ${detail}`);
    this.code = code;
    this.reason = reason;
  }
}

/** Throws the mapped InventoryError when a script answered with a bare negative integer. */
export function failOnErrorCode(script: string, reply: unknown): void {
  if (typeof reply !== 'number' || reply >= 0) return;
  throw new InventoryError(script, reply, codeName(reply) ?? 'UnexpectedReply');
}

export function unexpectedReply(script: string, reply: unknown): InventoryError {
  return new InventoryError(
    script,
    0,
    'UnexpectedReply',
    `unexpected reply ${JSON.stringify(reply)}`,
  );
}
