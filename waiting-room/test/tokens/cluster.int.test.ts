// The token scripts run on Redis Cluster: each touches only keys in one room's
// hash tag, so consume, state and revoke work whatever node owns the room.
import { Cluster } from 'ioredis';
import { createLocalJWKSet } from 'jose';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { type LocalRedisCluster, startRedisCluster } from '../../../infra/testing/redis-cluster.ts';
import {
  admissionJti,
  consumeAdmissionToken,
  createAdmissionVerifier,
  generateSigningKey,
  issueAdmissionToken,
  revokeRoomTokens,
  signingKeySet,
} from '../../src/tokens/index.ts';
import { audience, claimsFor, issuer, nowSec, refusal, tokenInput } from './fixtures.ts';

let cluster: LocalRedisCluster;
let client: Cluster;

beforeAll(async () => {
  cluster = await startRedisCluster();
  client = new Cluster(cluster.nodes, { redisOptions: { maxRetriesPerRequest: 1 } });
});

afterAll(async () => {
  await client?.quit();
  await cluster?.stop();
});

it('consumes, reads and revokes token state for rooms spread over every master', async () => {
  const keyPrefix = process.env.REDIS_KEY_PREFIX ?? '';
  const keys = await signingKeySet([await generateSigningKey()]);
  const verifier = createAdmissionVerifier({
    keys: createLocalJWKSet(keys.jwks),
    issuer,
    audience,
    redis: client,
    keyPrefix,
    now: () => nowSec * 1000,
  });
  // Enough rooms that, by hash slot, all three masters hold some.
  const rooms = Array.from({ length: 12 }, (_, n) => `cluster-room-${n}`);
  for (const room of rooms) {
    const input = tokenInput(room);
    const token = await issueAdmissionToken(keys.signing, input);
    await expect(verifier.verify(token, { room })).resolves.toMatchObject({ room });
    expect(await consumeAdmissionToken(client, keyPrefix, claimsFor(input))).toBe(true);
    expect((await refusal(verifier.verify(token, { room }))).code).toBe('token_consumed');

    const second = await issueAdmissionToken(
      keys.signing,
      tokenInput(room, { jti: admissionJti(room, 8) }),
    );
    await revokeRoomTokens(client, keyPrefix, room, nowSec);
    expect((await refusal(verifier.verify(second, { room }))).code).toBe('token_revoked');
  }
  const slots = await client.cluster('SLOTS');
  const owners = await Promise.all(
    rooms.map(async (room) => {
      const slot = await client.cluster('KEYSLOT', `{room:${room}}`);
      return slots.find(([start, end]) => start <= slot && slot <= end)?.[2]?.[2];
    }),
  );
  expect(new Set(owners).size).toBe(3);
});
