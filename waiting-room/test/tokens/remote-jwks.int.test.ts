// The booking API verifies with a remote JWKS (the waiting room's
// /.well-known/jwks.json): fetched once and cached, so verifying is local and
// costs no network call per request. Served here by a loopback HTTP server that
// counts its requests.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Redis } from 'ioredis';
import {
  createLocalJWKSet,
  createRemoteJWKSet,
  type JSONWebKeySet,
  type JWTVerifyGetKey,
} from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  admissionJti,
  createAdmissionVerifier,
  generateSigningKey,
  issueAdmissionToken,
  type SigningKeySet,
  signingKeySet,
} from '../../src/tokens/index.ts';
import { audience, issuer, newRoom, nowSec, refusal, request, tokenInput } from './fixtures.ts';

let redis: Redis;
let keys: SigningKeySet;
let server: Server;
let baseUrl: string;
const requests: string[] = [];

beforeAll(async () => {
  redis = new Redis(process.env.REDIS_URL ?? '');
  keys = await signingKeySet([await generateSigningKey(), await generateSigningKey()]);
  server = createServer((req, res) => {
    requests.push(req.url ?? '');
    if (req.url === '/.well-known/jwks.json') {
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(keys.jwks));
    } else {
      res.writeHead(500).end('down');
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await redis?.quit();
  await new Promise((resolve) => server?.close(resolve));
});

const remoteVerifier = (path: string) =>
  createAdmissionVerifier({
    keys: createRemoteJWKSet(new URL(path, baseUrl)),
    issuer,
    audience,
    redis,
    keyPrefix: process.env.REDIS_KEY_PREFIX ?? '',
    now: () => nowSec * 1000,
  });

describe('with a remote JWKS', () => {
  it('fetches the key set once for many verifications', async () => {
    requests.length = 0;
    const verifier = remoteVerifier('/.well-known/jwks.json');
    const room = newRoom();
    const tokens = await Promise.all(
      Array.from({ length: 50 }, (_, n) =>
        issueAdmissionToken(keys.signing, tokenInput(room, { jti: admissionJti(room, n) })),
      ),
    );
    // Concurrent first use shares one fetch; later ones use the cache.
    await Promise.all(tokens.map((token) => verifier.verify(token, { room, scope: request })));
    for (const token of tokens) await verifier.verify(token, { room, scope: request });
    expect(requests).toEqual(['/.well-known/jwks.json']);

    // Unknown kids cannot be used to hammer the key server: jose refetches at
    // most once per 30 s cooldown, which the first fetch just started.
    const stranger = await signingKeySet([await generateSigningKey()]);
    for (let n = 0; n < 3; n += 1) {
      const token = await issueAdmissionToken(stranger.signing, tokenInput(room));
      expect((await refusal(verifier.verify(token, { room }))).code).toBe('token_unknown_key');
    }
    expect(requests).toEqual(['/.well-known/jwks.json']);
  });

  it('(control) a key lookup that fetches per request is counted once per verification', async () => {
    requests.length = 0;
    const url = new URL('/.well-known/jwks.json', baseUrl);
    const fetchEveryTime: JWTVerifyGetKey = async (header, token) => {
      const jwks = (await (await fetch(url)).json()) as JSONWebKeySet;
      return createLocalJWKSet(jwks)(header, token);
    };
    const verifier = createAdmissionVerifier({
      keys: fetchEveryTime,
      issuer,
      audience,
      redis,
      keyPrefix: process.env.REDIS_KEY_PREFIX ?? '',
      now: () => nowSec * 1000,
    });
    const room = newRoom();
    for (let n = 0; n < 5; n += 1) {
      const token = await issueAdmissionToken(
        keys.signing,
        tokenInput(room, { jti: admissionJti(room, n) }),
      );
      await verifier.verify(token, { room });
    }
    expect(requests).toHaveLength(5);
  });

  it('refuses with 503 token_keys_unavailable when the key set cannot be fetched', async () => {
    const verifier = remoteVerifier('/broken/jwks.json');
    const room = newRoom();
    const token = await issueAdmissionToken(keys.signing, tokenInput(room));
    const problem = await refusal(verifier.verify(token, { room }));
    expect(problem.code).toBe('token_keys_unavailable');
    expect(problem.status).toBe(503);
  });
});
