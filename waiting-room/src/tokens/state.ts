// Token state in Redis: which admissions were used (consumed) and since when a
// room's tokens are revoked. Both keys sit in the room's hash tag, so every
// script here runs in one Redis Cluster slot.
import { readFileSync } from 'node:fs';
import type { Cluster, Redis, Result } from 'ioredis';
import { roomKeys } from '../redis-keys.ts';
import type { AdmissionClaims } from './claims.ts';

/** Seconds a consumed jti is remembered after its token expired; far above any clock tolerance. */
export const consumedRetentionSec = 300;

declare module 'ioredis' {
  interface RedisCommander<Context> {
    tatkalTokenState(
      consumedKey: string,
      revokedBeforeKey: string,
      jti: string,
    ): Result<[consumed: number, revokedBefore: number], Context>;
    tatkalConsumeToken(
      consumedKey: string,
      jti: string,
      exp: number,
      retentionSec: number,
    ): Result<number, Context>;
    tatkalRevokeRoomTokens(revokedBeforeKey: string, atSec: number): Result<number, Context>;
  }
}

const lua = (name: string) => readFileSync(new URL(`./lua/${name}.lua`, import.meta.url), 'utf8');

// Not marked readOnly: with scaleReads a replica could answer a moment behind a consume.
const scripts = {
  tatkalTokenState: { lua: lua('token-state'), numberOfKeys: 2 },
  tatkalConsumeToken: { lua: lua('consume-token'), numberOfKeys: 1 },
  tatkalRevokeRoomTokens: { lua: lua('revoke-room-tokens'), numberOfKeys: 1 },
};

const prepared = new WeakSet<Redis | Cluster>();

/** Defines the token scripts on a client once (EVALSHA, falling back to EVAL). */
function withTokenScripts(redis: Redis | Cluster): Redis | Cluster {
  if (!prepared.has(redis)) {
    for (const [name, definition] of Object.entries(scripts)) redis.defineCommand(name, definition);
    prepared.add(redis);
  }
  return redis;
}

export interface TokenState {
  consumed: boolean;
  /** Tokens of the room issued at or before this second are revoked; null if never revoked. */
  revokedBeforeSec: number | null;
}

/** What Redis knows about one token, in one round trip. */
export async function readTokenState(
  redis: Redis | Cluster,
  keyPrefix: string,
  claims: Pick<AdmissionClaims, 'room' | 'jti'>,
): Promise<TokenState> {
  const keys = roomKeys(keyPrefix, claims.room);
  const [consumed, revokedBefore] = await withTokenScripts(redis).tatkalTokenState(
    keys.consumedTokens,
    keys.revokedBefore,
    claims.jti,
  );
  return { consumed: consumed === 1, revokedBeforeSec: revokedBefore < 0 ? null : revokedBefore };
}

/**
 * Marks an admission used. True only for the one call that consumed it, however
 * many run at once; a confirmed booking calls this so the token cannot book twice.
 */
export async function consumeAdmissionToken(
  redis: Redis | Cluster,
  keyPrefix: string,
  claims: Pick<AdmissionClaims, 'room' | 'jti' | 'exp'>,
): Promise<boolean> {
  const keys = roomKeys(keyPrefix, claims.room);
  const added = await withTokenScripts(redis).tatkalConsumeToken(
    keys.consumedTokens,
    claims.jti,
    claims.exp,
    consumedRetentionSec,
  );
  return added === 1;
}

/**
 * Revokes every token of `room` issued at or before `atSec` (an operator's
 * "send everyone back"). Tokens issued later, and other rooms, are untouched.
 */
export async function revokeRoomTokens(
  redis: Redis | Cluster,
  keyPrefix: string,
  room: string,
  atSec: number,
): Promise<void> {
  if (!Number.isSafeInteger(atSec) || atSec < 0) {
    throw new RangeError(`revocation time must be whole epoch seconds, got ${atSec}`);
  }
  await withTokenScripts(redis).tatkalRevokeRoomTokens(
    roomKeys(keyPrefix, room).revokedBefore,
    atSec,
  );
}

/**
 * The second at or before which the room's tokens are revoked (null if never):
 * an issuer re-admitting visitors after a revocation must issue later than this.
 */
export async function roomTokensRevokedBefore(
  redis: Redis | Cluster,
  keyPrefix: string,
  room: string,
): Promise<number | null> {
  const value = await redis.get(roomKeys(keyPrefix, room).revokedBefore);
  return value === null ? null : Number(value);
}
