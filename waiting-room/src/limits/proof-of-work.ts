import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Cluster, Redis } from 'ioredis';
import type { RoomKeys } from '../redis-keys.ts';

/**
 * Optional proof-of-work on join: the client must find a nonce such that
 * SHA-256(`<challenge>:<nonce>`) starts with `difficulty` zero bits. Each
 * challenge is signed, bound to one room, expires, and can be spent once.
 * It costs a browser a moment and a bot farm real CPU per place.
 */
export interface Challenge {
  challenge: string;
  difficulty: number;
  expiresAtMs: number;
}

const version = 'p1';
const lifetimeMs = 120_000;

function mac(secret: string, body: string): string {
  return createHmac('sha256', secret).update(`${version}.${body}`).digest('base64url');
}

export function issueChallenge(
  secret: string,
  roomId: string,
  difficulty: number,
  nowMs: number,
): Challenge {
  const expiresAtMs = nowMs + lifetimeMs;
  const body = Buffer.from(
    JSON.stringify({
      r: roomId,
      i: randomBytes(12).toString('base64url'),
      d: difficulty,
      e: expiresAtMs,
    }),
  ).toString('base64url');
  return { challenge: `${version}.${body}.${mac(secret, body)}`, difficulty, expiresAtMs };
}

export function leadingZeroBits(digest: Buffer): number {
  let bits = 0;
  for (const byte of digest) {
    if (byte === 0) {
      bits += 8;
      continue;
    }
    return bits + Math.clz32(byte) - 24;
  }
  return bits;
}

export function powDigest(challenge: string, nonce: string): Buffer {
  return createHash('sha256').update(`${challenge}:${nonce}`).digest();
}

/** Finds a nonce (used by tests, benchmarks and non-browser clients). */
export function solveChallenge(challenge: string, difficulty: number): string {
  for (let nonce = 0; ; nonce++) {
    if (leadingZeroBits(powDigest(challenge, String(nonce))) >= difficulty) return String(nonce);
  }
}

export type PowRefusal =
  | 'missing'
  | 'malformed'
  | 'wrong_room'
  | 'expired'
  | 'too_easy'
  | 'insufficient'
  | 'replayed';

/** Checks a solution and spends its challenge; returns why it is refused, or null when accepted. */
export async function spendProofOfWork(
  redis: Redis | Cluster,
  keys: RoomKeys,
  input: {
    secret: string;
    roomId: string;
    difficulty: number;
    nowMs: number;
    solution: { challenge: string; nonce: string } | undefined;
  },
): Promise<PowRefusal | null> {
  if (!input.solution) return 'missing';
  const { challenge, nonce } = input.solution;
  const [prefix, body, signature, extra] = challenge.split('.');
  if (prefix !== version || !body || !signature || extra !== undefined) return 'malformed';
  const expected = Buffer.from(mac(input.secret, body));
  const given = Buffer.from(signature);
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return 'malformed';
  let claims: { r?: unknown; i?: unknown; d?: unknown; e?: unknown };
  try {
    claims = JSON.parse(Buffer.from(body, 'base64url').toString('utf8'));
  } catch {
    return 'malformed';
  }
  if (
    typeof claims.i !== 'string' ||
    typeof claims.d !== 'number' ||
    typeof claims.e !== 'number'
  ) {
    return 'malformed';
  }
  if (claims.r !== input.roomId) return 'wrong_room';
  if (claims.e <= input.nowMs) return 'expired';
  if (claims.d < input.difficulty) return 'too_easy';
  if (leadingZeroBits(powDigest(challenge, nonce)) < claims.d) return 'insufficient';
  const spent = await redis.set(
    keys.spentChallenge(claims.i),
    '1',
    'PX',
    claims.e - input.nowMs,
    'NX',
  );
  return spent === 'OK' ? null : 'replayed';
}
