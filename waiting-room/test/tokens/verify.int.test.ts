// The admission-token gate against real Redis: every refusal has its own code
// and status, forgeries are real forgeries (a naive verifier would accept
// them), and the happy path returns exactly the claims that were issued.
import { createHmac, createPublicKey } from 'node:crypto';
import { Redis } from 'ioredis';
import { createLocalJWKSet, type JWK, jwtVerify, SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { roomKeys } from '../../src/redis-keys.ts';
import {
  type AdmissionVerifier,
  admissionJti,
  admissionTokenType,
  consumeAdmissionToken,
  createAdmissionVerifier,
  generateSigningKey,
  issueAdmissionToken,
  revokeRoomTokens,
  type SigningKeySet,
  signingKeySet,
  type TokenProblemCode,
  tokenProblemCodes,
  tokenProblemStatus,
  type VerifyExpectation,
} from '../../src/tokens/index.ts';
import {
  audience,
  claimsFor,
  handBuiltToken,
  issuer,
  newRoom,
  nowSec,
  refusal,
  request,
  scope,
  tokenInput,
  withPayload,
} from './fixtures.ts';

let redis: Redis;
let keyPrefix: string;
let keys: SigningKeySet;
let verifier: AdmissionVerifier;

beforeAll(async () => {
  redis = new Redis(process.env.REDIS_URL ?? '');
  keyPrefix = process.env.REDIS_KEY_PREFIX ?? '';
  keys = await signingKeySet([await generateSigningKey('k1')]);
  verifier = verifierAt(nowSec);
});

afterAll(async () => {
  await redis?.quit();
});

function verifierAt(sec: number, jwks: { keys: JWK[] } = keys.jwks): AdmissionVerifier {
  return createAdmissionVerifier({
    keys: createLocalJWKSet(jwks),
    issuer,
    audience,
    redis,
    keyPrefix,
    now: () => sec * 1000,
  });
}

const issue = (room: string, overrides: Parameters<typeof tokenInput>[1] = {}) =>
  issueAdmissionToken(keys.signing, tokenInput(room, overrides));

/** A signed token with arbitrary claims, from our real key; `kid: null` leaves the kid out. */
const signWithOurKey = (payload: Record<string, unknown>, kid: string | null = 'k1') =>
  new SignJWT(payload)
    .setProtectedHeader(
      kid === null
        ? { alg: 'EdDSA', typ: admissionTokenType }
        : { alg: 'EdDSA', kid, typ: admissionTokenType },
    )
    .sign(keys.signing.privateKey);

const publicKeyBytes = () => Buffer.from(keys.jwks.keys[0]?.x ?? '', 'base64url');
const publicKeyPem = () =>
  createPublicKey({ key: { ...keys.jwks.keys[0] }, format: 'jwk' })
    .export({ type: 'spki', format: 'pem' })
    .toString();
const hmacWith = (secret: Buffer | string) => (input: string) =>
  createHmac('sha256', secret).update(input).digest();

interface RefusalCase {
  name: string;
  token: (room: string) => Promise<string | undefined>;
  expect?: (room: string) => VerifyExpectation;
  before?: (room: string) => Promise<void>;
  code: TokenProblemCode;
}

const cases: RefusalCase[] = [
  { name: 'no token', token: async () => undefined, code: 'token_missing' },
  { name: 'empty token', token: async () => '', code: 'token_missing' },
  { name: 'not a JWS', token: async () => 'not-a-token', code: 'token_malformed' },
  { name: 'garbage in three parts', token: async () => 'a.b.c', code: 'token_malformed' },
  { name: 'a JWE-shaped token', token: async () => 'a.b.c.d.e', code: 'token_malformed' },
  {
    name: 'tampered payload (extra class)',
    token: async (room) =>
      withPayload(await issue(room), (claims) => {
        claims.scope = { ...scope, classes: [...scope.classes, '1A'] };
      }),
    code: 'token_bad_signature',
  },
  {
    name: 'signed by another Ed25519 key with the same kid',
    token: async (room) => {
      const impostor = await signingKeySet([await generateSigningKey('k1')]);
      return issueAdmissionToken(impostor.signing, tokenInput(room));
    },
    code: 'token_bad_signature',
  },
  {
    name: 'alg none',
    token: async (room) => handBuiltToken({ alg: 'none', kid: 'k1' }, claimsFor(tokenInput(room))),
    code: 'token_algorithm_refused',
  },
  {
    name: 'alg none without kid',
    token: async (room) => handBuiltToken({ alg: 'none' }, claimsFor(tokenInput(room))),
    code: 'token_algorithm_refused',
  },
  {
    name: 'HS256 keyed with the public key bytes (x)',
    token: async (room) =>
      handBuiltToken(
        { alg: 'HS256', kid: 'k1' },
        claimsFor(tokenInput(room)),
        hmacWith(publicKeyBytes()),
      ),
    code: 'token_algorithm_refused',
  },
  {
    name: 'HS256 keyed with the public key PEM (SPKI)',
    token: async (room) =>
      handBuiltToken(
        { alg: 'HS256', kid: 'k1' },
        claimsFor(tokenInput(room)),
        hmacWith(publicKeyPem()),
      ),
    code: 'token_algorithm_refused',
  },
  {
    name: 'unknown kid',
    token: async (room) => {
      const other = await signingKeySet([await generateSigningKey('k9')]);
      return issueAdmissionToken(other.signing, tokenInput(room));
    },
    code: 'token_unknown_key',
  },
  {
    name: 'no kid',
    token: async (room) => signWithOurKey(claimsFor(tokenInput(room)), null),
    code: 'token_unknown_key',
  },
  {
    name: 'wrong issuer',
    token: (room) => issue(room, { issuer: 'someone-else' }),
    code: 'token_wrong_issuer',
  },
  {
    name: 'wrong audience',
    token: (room) => issue(room, { audience: 'another-api' }),
    code: 'token_wrong_audience',
  },
  {
    name: 'expired',
    token: (room) => issue(room, { issuedAtSec: nowSec - 700, sessionSeconds: 600 }),
    code: 'token_expired',
  },
  {
    name: 'not yet valid (nbf in the future)',
    token: (room) => issue(room, { issuedAtSec: nowSec + 60 }),
    code: 'token_not_yet_valid',
  },
  {
    name: 'issued in the future (iat) with a past nbf',
    token: (room) =>
      signWithOurKey({ ...claimsFor(tokenInput(room)), iat: nowSec + 60, nbf: nowSec - 60 }),
    code: 'token_not_yet_valid',
  },
  {
    name: 'claims missing (no room)',
    token: (room) => {
      const { room: _room, ...claims } = claimsFor(tokenInput(room));
      return signWithOurKey(claims);
    },
    code: 'token_malformed',
  },
  {
    name: 'claims mistyped (classes a string)',
    token: (room) =>
      signWithOurKey({ ...claimsFor(tokenInput(room)), scope: { ...scope, classes: '3A' } }),
    code: 'token_malformed',
  },
  {
    name: 'exp missing',
    token: (room) => {
      const { exp: _exp, ...claims } = claimsFor(tokenInput(room));
      return signWithOurKey(claims);
    },
    code: 'token_malformed',
  },
  {
    name: 'another JWT type signed by the same key',
    token: (room) =>
      new SignJWT(claimsFor(tokenInput(room)))
        .setProtectedHeader({ alg: 'EdDSA', kid: 'k1', typ: 'JWT' })
        .sign(keys.signing.privateKey),
    code: 'token_malformed',
  },
  {
    name: 'wrong room',
    token: (room) => issue(room),
    expect: () => ({ room: 'another-room' }),
    code: 'token_wrong_room',
  },
  {
    name: 'scope: another journey',
    token: (room) => issue(room),
    expect: (room) => ({ room, scope: { ...request, journeyId: 43 } }),
    code: 'token_scope',
  },
  {
    name: 'scope: another class',
    token: (room) => issue(room),
    expect: (room) => ({ room, scope: { ...request, classCode: '1A' } }),
    code: 'token_scope',
  },
  {
    name: 'scope: another quota',
    token: (room) => issue(room),
    expect: (room) => ({ room, scope: { ...request, quota: 'GN' } }),
    code: 'token_scope',
  },
  {
    name: 'consumed',
    token: (room) => issue(room),
    before: async (room) => {
      expect(await consumeAdmissionToken(redis, keyPrefix, claimsFor(tokenInput(room)))).toBe(true);
    },
    code: 'token_consumed',
  },
  {
    name: 'room revoked after issue',
    token: (room) => issue(room),
    before: (room) => revokeRoomTokens(redis, keyPrefix, room, nowSec - 10),
    code: 'token_revoked',
  },
];

describe('refusals', () => {
  it.each(cases)('$name → $code', async (testCase) => {
    const room = newRoom();
    const token = await testCase.token(room);
    await testCase.before?.(room);
    const expectation = testCase.expect?.(room) ?? { room, scope: request };

    const problem = await refusal(verifier.verify(token, expectation));

    expect(problem.code).toBe(testCase.code);
    expect(problem.status).toBe(tokenProblemStatus(testCase.code));
    expect(problem.title).not.toBe('');
    expect(problem.detail).toMatch(/\w/);
    const challenge = problem.headers['www-authenticate'];
    if (testCase.code === 'token_missing') expect(challenge).toBe('Bearer realm="tatkal"');
    else if (problem.status === 401) expect(challenge).toContain('error="invalid_token"');
    else if (testCase.code === 'token_scope')
      expect(challenge).toContain('error="insufficient_scope"');
    else expect(challenge).toBeUndefined();
  });

  it('covers every refusal code the token itself can cause', () => {
    const unavailable = ['token_keys_unavailable', 'token_state_unavailable'];
    const tokenCodes = Object.values(tokenProblemCodes).filter(
      (code) => !unavailable.includes(code),
    );
    expect(new Set(cases.map((c) => c.code))).toEqual(new Set(tokenCodes));
  });

  it('answers 401 for tokens that prove nothing and 403 for genuine tokens that do not allow the request', () => {
    const statuses = Object.fromEntries(cases.map((c) => [c.code, tokenProblemStatus(c.code)]));
    expect(statuses).toEqual({
      token_missing: 401,
      token_malformed: 401,
      token_algorithm_refused: 401,
      token_unknown_key: 401,
      token_bad_signature: 401,
      token_wrong_issuer: 401,
      token_wrong_audience: 401,
      token_expired: 401,
      token_not_yet_valid: 401,
      token_wrong_room: 403,
      token_scope: 403,
      token_consumed: 403,
      token_revoked: 403,
    });
  });
});

// Negative controls: each forgery above is a working attack on a verifier that
// trusts the header, so refusing them is the verifier's doing, not the test's.
describe('the forgeries are real', () => {
  it('HS256 with the public key as secret passes a verifier that does not pin the algorithm', async () => {
    const claims = claimsFor(tokenInput(newRoom()));
    for (const secret of [publicKeyBytes(), Buffer.from(publicKeyPem())]) {
      const forged = handBuiltToken({ alg: 'HS256', kid: 'k1' }, claims, hmacWith(secret));
      const naive = await jwtVerify(forged, new Uint8Array(secret), {
        issuer,
        audience,
        currentDate: new Date(nowSec * 1000),
      });
      expect(naive.payload).toEqual(claims);
    }
  });

  it('a token from another key with the same kid verifies against that key', async () => {
    const impostor = await signingKeySet([await generateSigningKey('k1')]);
    const room = newRoom();
    const token = await issueAdmissionToken(impostor.signing, tokenInput(room));
    await expect(verifierAt(nowSec, impostor.jwks).verify(token, { room })).resolves.toMatchObject({
      room,
    });
  });
});

describe('accepted tokens', () => {
  it('returns exactly the issued claims', async () => {
    const room = newRoom();
    const token = await issue(room);
    const claims = await verifier.verify(token, { room, scope: request });
    expect(claims).toEqual({
      iss: issuer,
      aud: audience,
      sub: 'visitor-1',
      room,
      scope: { journeyId: 42, classes: ['3A', '2A'], quotas: ['TQ'] },
      jti: admissionJti(room, 7),
      iat: nowSec - 60,
      nbf: nowSec - 60,
      exp: nowSec + 540,
    });
  });

  it('accepts any journey when the scope names none, and checks only what is asked', async () => {
    const room = newRoom();
    const token = await issue(room, { scope: { ...scope, journeyId: null } });
    await expect(
      verifier.verify(token, { room, scope: { ...request, journeyId: 99 } }),
    ).resolves.toMatchObject({ room });
    await expect(verifier.verify(token, {})).resolves.toMatchObject({ room });
  });

  it('accepts tokens at the edge of the 5 s clock tolerance and refuses one second past it', async () => {
    const room = newRoom();
    const verify = (token: string) => verifier.verify(token, { room });
    const code = async (token: string) => (await refusal(verify(token))).code;
    // expired 4 s ago: within tolerance; 5 s ago: not
    await expect(
      verify(await issue(room, { issuedAtSec: nowSec - 604, sessionSeconds: 600 })),
    ).resolves.toBeDefined();
    expect(await code(await issue(room, { issuedAtSec: nowSec - 605, sessionSeconds: 600 }))).toBe(
      'token_expired',
    );
    // valid from 5 s from now: within tolerance; 6 s: not
    await expect(verify(await issue(room, { issuedAtSec: nowSec + 5 }))).resolves.toBeDefined();
    expect(await code(await issue(room, { issuedAtSec: nowSec + 6 }))).toBe('token_not_yet_valid');
    const futureIat = (iat: number) =>
      signWithOurKey({ ...claimsFor(tokenInput(room)), iat, nbf: nowSec });
    await expect(verify(await futureIat(nowSec + 5))).resolves.toBeDefined();
    expect(await code(await futureIat(nowSec + 6))).toBe('token_not_yet_valid');
  });

  it('accepts Authorization-header tokens exactly as issued', async () => {
    const { bearerToken } = await import('../../src/tokens/index.ts');
    const room = newRoom();
    const token = await issue(room);
    expect(bearerToken(`Bearer ${token}`)).toBe(token);
    expect(bearerToken(`bearer  ${token}`)).toBe(token);
    expect(bearerToken(`Basic ${token}`)).toBeUndefined();
    expect(bearerToken(undefined)).toBeUndefined();
  });
});

describe('issuing', () => {
  it('gives the identical token for the same admission, and a different one for another', async () => {
    const room = newRoom();
    const first = await issue(room);
    const reordered = await issueAdmissionToken(keys.signing, {
      ...tokenInput(room),
      scope: { quotas: ['TQ'], classes: ['3A', '2A'], journeyId: 42 },
    });
    expect(await issue(room)).toBe(first);
    expect(reordered).toBe(first);
    expect(await issue(room, { jti: admissionJti(room, 8) })).not.toBe(first);
  });

  it('refuses to issue a token whose scope covers nothing', async () => {
    await expect(issue(newRoom(), { scope: { ...scope, classes: [] } })).rejects.toThrow();
  });

  it('derives a stable 22-character jti per room and queue number', () => {
    expect(admissionJti('ac-tatkal', 7)).toBe(admissionJti('ac-tatkal', 7));
    expect(admissionJti('ac-tatkal', 7)).toMatch(/^[A-Za-z0-9_-]{22}$/);
    expect(admissionJti('ac-tatkal', 8)).not.toBe(admissionJti('ac-tatkal', 7));
    expect(admissionJti('sl-tatkal', 7)).not.toBe(admissionJti('ac-tatkal', 7));
    expect(() => admissionJti('ac-tatkal', -1)).toThrow(RangeError);
  });
});

describe('consumption', () => {
  it('consumes once: true, then false', async () => {
    const claims = claimsFor(tokenInput(newRoom()));
    expect(await consumeAdmissionToken(redis, keyPrefix, claims)).toBe(true);
    expect(await consumeAdmissionToken(redis, keyPrefix, claims)).toBe(false);
  });

  it('lets exactly one of 20 concurrent consumes win', async () => {
    const claims = claimsFor(tokenInput(newRoom()));
    const results = await Promise.all(
      Array.from({ length: 20 }, () => consumeAdmissionToken(redis, keyPrefix, claims)),
    );
    expect(results.filter(Boolean)).toHaveLength(1);
  });

  it('(control) a check-then-set consume lets more than one of 20 win', async () => {
    const key = roomKeys(keyPrefix, newRoom('naive')).consumedTokens;
    const naiveConsume = async (jti: string) => {
      if ((await redis.zscore(key, jti)) !== null) return false;
      await redis.zadd(key, nowSec, jti);
      return true;
    };
    const results = await Promise.all(Array.from({ length: 20 }, () => naiveConsume('same-jti')));
    expect(results.filter(Boolean).length).toBeGreaterThan(1);
  });

  it('consuming one admission leaves other admissions and rooms alone', async () => {
    const room = newRoom();
    const other = newRoom();
    await consumeAdmissionToken(redis, keyPrefix, claimsFor(tokenInput(room)));
    await expect(
      verifier.verify(await issue(room, { jti: admissionJti(room, 8) }), { room }),
    ).resolves.toBeDefined();
    await expect(verifier.verify(await issue(other), { room: other })).resolves.toBeDefined();
  });

  it('forgets long-expired tokens and lets the set expire with its last live token', async () => {
    const room = newRoom();
    const key = roomKeys(keyPrefix, room).consumedTokens;
    const realNow = Math.floor(Date.now() / 1000);
    await consumeAdmissionToken(redis, keyPrefix, { room, jti: 'old', exp: realNow - 3_600 });
    await consumeAdmissionToken(redis, keyPrefix, { room, jti: 'live', exp: realNow + 600 });
    expect(await redis.zscore(key, 'old')).toBeNull();
    expect(await redis.zscore(key, 'live')).toBe(String(realNow + 600));
    const ttl = await redis.ttl(key);
    expect(ttl).toBeGreaterThan(600);
    expect(ttl).toBeLessThanOrEqual(600 + 300);
  });
});

describe('revocation', () => {
  it('revokes only the room, and only tokens issued at or before the revocation time', async () => {
    const room = newRoom();
    const other = newRoom();
    const revokedAt = nowSec - 30;
    const verify = (r: string, issuedAtSec: number, n: number) =>
      issue(r, { issuedAtSec, jti: admissionJti(r, n) }).then((token) =>
        verifier.verify(token, { room: r }),
      );

    await revokeRoomTokens(redis, keyPrefix, room, revokedAt);

    expect((await refusal(verify(room, revokedAt - 10, 1))).code).toBe('token_revoked');
    expect((await refusal(verify(room, revokedAt, 2))).code).toBe('token_revoked');
    await expect(verify(room, revokedAt + 1, 3)).resolves.toMatchObject({ iat: revokedAt + 1 });
    await expect(verify(other, revokedAt - 10, 4)).resolves.toMatchObject({ room: other });
  });

  it('never moves the revocation time backwards', async () => {
    const room = newRoom();
    await revokeRoomTokens(redis, keyPrefix, room, nowSec - 10);
    await revokeRoomTokens(redis, keyPrefix, room, nowSec - 100);
    const token = await issue(room, { issuedAtSec: nowSec - 20 });
    expect((await refusal(verifier.verify(token, { room }))).code).toBe('token_revoked');
  });
});

describe('when Redis cannot answer', () => {
  it('refuses with 503 token_state_unavailable instead of letting the token through', async () => {
    const down = new Redis({
      port: 1,
      lazyConnect: true,
      enableOfflineQueue: false,
      maxRetriesPerRequest: 0,
    });
    down.on('error', () => {});
    const blind = createAdmissionVerifier({
      keys: createLocalJWKSet(keys.jwks),
      issuer,
      audience,
      redis: down,
      keyPrefix,
      now: () => nowSec * 1000,
    });
    const room = newRoom();
    const problem = await refusal(blind.verify(await issue(room), { room }));
    expect(problem.code).toBe('token_state_unavailable');
    expect(problem.status).toBe(503);
    expect(problem.headers['retry-after']).toBe('1');
    down.disconnect();
  });
});
