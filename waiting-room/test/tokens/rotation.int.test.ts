// Key rotation without logging anyone out: after a rotation the new key signs,
// and tokens signed by an older key verify for as long as that key is still
// in the served JWKS; once rotated out, they are refused as unknown-key.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { createLocalJWKSet, decodeProtectedHeader } from 'jose';
import { afterAll, beforeAll, expect, it } from 'vitest';
import {
  admissionJti,
  createAdmissionVerifier,
  createSigningKeyFile,
  issueAdmissionToken,
  loadSigningKeys,
  rotateSigningKeys,
  type SigningKeySet,
} from '../../src/tokens/index.ts';
import { audience, issuer, newRoom, nowSec, refusal, tokenInput } from './fixtures.ts';

let redis: Redis;
let directory: string;

beforeAll(async () => {
  redis = new Redis(process.env.REDIS_URL ?? '');
  directory = await mkdtemp(join(tmpdir(), 'tatkal-rotation-'));
});

afterAll(async () => {
  await redis?.quit();
  await rm(directory, { recursive: true, force: true });
});

/** A booking API that serves (and trusts) the JWKS of this key set. */
const verifierFor = (keys: SigningKeySet) =>
  createAdmissionVerifier({
    keys: createLocalJWKSet(keys.jwks),
    issuer,
    audience,
    redis,
    keyPrefix: process.env.REDIS_KEY_PREFIX ?? '',
    now: () => nowSec * 1000,
  });

const kidOf = (token: string) => decodeProtectedHeader(token).kid;
const kids = (keys: SigningKeySet) => keys.jwks.keys.map((key) => key.kid);

it('keeps old tokens valid while their key is served, and refuses them once it is rotated out', async () => {
  const file = join(directory, 'admission-keys.json');
  const room = newRoom();
  const issue = (keys: SigningKeySet, n: number) =>
    issueAdmissionToken(keys.signing, tokenInput(room, { jti: admissionJti(room, n) }));

  const { kid: first } = await createSigningKeyFile(file);
  const before = await loadSigningKeys(file);
  const oldToken = await issue(before, 1);
  expect(kidOf(oldToken)).toBe(first);

  const { kid: second } = await rotateSigningKeys(file);
  const after = await loadSigningKeys(file);
  const newToken = await issue(after, 2);
  expect(second).not.toBe(first);
  expect(after.signing.kid).toBe(second);
  expect(kidOf(newToken)).toBe(second);
  expect(kids(after)).toEqual([second, first]);
  await expect(verifierFor(after).verify(oldToken, { room })).resolves.toMatchObject({
    jti: admissionJti(room, 1),
  });
  await expect(verifierFor(after).verify(newToken, { room })).resolves.toMatchObject({
    jti: admissionJti(room, 2),
  });

  // Default keep is 3: two more rotations push the first key out.
  const { kid: third } = await rotateSigningKeys(file);
  await expect(
    verifierFor(await loadSigningKeys(file)).verify(oldToken, { room }),
  ).resolves.toBeDefined();
  const { kid: fourth } = await rotateSigningKeys(file);
  const later = await loadSigningKeys(file);
  expect(kids(later)).toEqual([fourth, third, second]);

  const problem = await refusal(verifierFor(later).verify(oldToken, { room }));
  expect(problem.code).toBe('token_unknown_key');
  expect(problem.status).toBe(401);
  await expect(verifierFor(later).verify(newToken, { room })).resolves.toBeDefined();
});

it('rotating with keep 1 drops every previous key at once (an emergency rotation)', async () => {
  const file = join(directory, 'emergency.json');
  const room = newRoom();
  await createSigningKeyFile(file);
  const oldToken = await issueAdmissionToken(
    (await loadSigningKeys(file)).signing,
    tokenInput(room),
  );
  await rotateSigningKeys(file, { keep: 1 });
  const keys = await loadSigningKeys(file);
  expect(keys.jwks.keys).toHaveLength(1);
  expect((await refusal(verifierFor(keys).verify(oldToken, { room }))).code).toBe(
    'token_unknown_key',
  );
});
