// The booking API loads the waiting room's public keys at start, retrying until the waiting room
// answers, so the first tokens of a sale's opening need no key fetch of their own.
import { generateSigningKey, signingKeySet } from '@tatkal/waiting-room/tokens';
import { createRemoteJWKSet } from 'jose';
import { afterEach, describe, expect, it } from 'vitest';
import { warmUpAdmissionKeys } from '../../src/gate/key-warm-up.ts';
import { type JwksServer, startJwksServer } from '../support/jwks-server.ts';

const quiet = { info: () => undefined, warn: () => undefined };
let server: JwksServer | undefined;
let stop: (() => void) | undefined;

afterEach(async () => {
  stop?.();
  await server?.close();
});

async function until(test: () => boolean, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!test() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
}

describe('warmUpAdmissionKeys', () => {
  it('loads the keys before any token is checked, retrying while the waiting room refuses', async () => {
    const keys = await signingKeySet([await generateSigningKey()]);
    server = await startJwksServer(keys.jwks, { refuseFirst: 2 });
    const jwks = createRemoteJWKSet(new URL(server.url));
    stop = warmUpAdmissionKeys(jwks, quiet, { retryMs: 10 });
    await until(() => jwks.fresh);
    expect(jwks.fresh).toBe(true);
    // Two refusals, then the answer that loaded the keys.
    expect(server.requests()).toBe(3);
  });

  it('without the warm-up, nothing is fetched until the first token (negative control)', async () => {
    const keys = await signingKeySet([await generateSigningKey()]);
    server = await startJwksServer(keys.jwks);
    const jwks = createRemoteJWKSet(new URL(server.url));
    await new Promise((r) => setTimeout(r, 100));
    expect(jwks.fresh).toBe(false);
    expect(server.requests()).toBe(0);
  });

  it('stops retrying once stopped, as at shutdown', async () => {
    const keys = await signingKeySet([await generateSigningKey()]);
    server = await startJwksServer(keys.jwks, { refuseFirst: 1_000 });
    const jwks = createRemoteJWKSet(new URL(server.url));
    stop = warmUpAdmissionKeys(jwks, quiet, { retryMs: 10, maxRetryMs: 10 });
    await until(() => (server?.requests() ?? 0) >= 3);
    stop();
    const seen = server.requests();
    await new Promise((r) => setTimeout(r, 100));
    expect(server.requests()).toBeLessThanOrEqual(seen + 1);
    expect(jwks.fresh).toBe(false);
  });
});
