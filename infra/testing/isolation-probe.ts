// Proves the per-file isolation of ADR 0003: two test files, running at the
// same time, each write a marker row and a marker key, meet at a rendezvous,
// and check that neither can see the other's.
import { Redis } from 'ioredis';
import pg from 'pg';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { testRedisUrl } from './env.ts';

export interface FileWorld {
  database: string;
  databaseUrl: string;
  redisPrefix: string;
  marker: string;
}

async function stationCodes(databaseUrl: string): Promise<string[]> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const rows = await client.query<{ code: string }>(
      "select code from stations where code like 'ISO%' order by code",
    );
    return rows.rows.map((row) => row.code);
  } finally {
    await client.end();
  }
}

async function keysUnder(redis: Redis, prefix: string): Promise<string[]> {
  const keys: string[] = [];
  let cursor = '0';
  do {
    const [next, batch] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 1000);
    cursor = next;
    keys.push(...batch);
  } while (cursor !== '0');
  return keys.sort();
}

/**
 * What `mine` can see of the other file's data through its own database and
 * prefix; empty when isolated. Also checks the other's data really exists,
 * so an empty answer is not just "the other file wrote nothing".
 */
export async function leaksBetween(
  redis: Redis,
  mine: FileWorld,
  other: FileWorld,
): Promise<string[]> {
  const leaks: string[] = [];
  const otherRowExists = (await stationCodes(other.databaseUrl)).includes(other.marker);
  const otherKeyExists = (await redis.exists(`${other.redisPrefix}:marker`)) === 1;
  if (!otherRowExists || !otherKeyExists) throw new Error(`the other file's markers are missing`);
  for (const code of await stationCodes(mine.databaseUrl)) {
    if (code !== mine.marker) leaks.push(`row ${code}`);
  }
  for (const key of await keysUnder(redis, mine.redisPrefix)) {
    if ((await redis.get(key)) !== mine.marker) leaks.push(`key ${key}`);
  }
  return leaks;
}

const rendezvousMs = 150_000;

async function waitFor<T>(what: string, probe: () => Promise<T | undefined>): Promise<T> {
  // Generous: the other file may wait for a free worker behind slower files.
  const deadline = Date.now() + rendezvousMs;
  while (Date.now() < deadline) {
    const value = await probe();
    if (value !== undefined) return value;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`timed out waiting for ${what}: the two files did not run in parallel`);
}

export function describeIsolationProbe(me: 'A' | 'B'): void {
  const other = me === 'A' ? 'B' : 'A';
  // Outside every file's prefix on purpose: this is the one shared place.
  const rendezvous = `tatkal-test-rendezvous:${inject('runId')}`;
  const redis = new Redis(testRedisUrl);
  afterAll(async () => {
    await redis.hset(rendezvous, `done-${me}`, '1');
    // Keep this file's database alive until the other file has looked at it.
    await waitFor(`file ${other} to finish`, async () =>
      (await redis.hget(rendezvous, `done-${other}`)) ? true : undefined,
    ).finally(async () => {
      await redis.expire(rendezvous, 60);
      redis.disconnect();
    });
  }, rendezvousMs + 30_000);

  describe(`isolation probe ${me}`, () => {
    it(
      `cannot see file ${other}'s rows or keys while both run`,
      async () => {
        const databaseUrl = process.env.DATABASE_URL ?? '';
        const mine: FileWorld = {
          database: new URL(databaseUrl).pathname.slice(1),
          databaseUrl,
          redisPrefix: process.env.REDIS_KEY_PREFIX ?? '',
          marker: `ISO${me}`,
        };
        const client = new pg.Client({ connectionString: databaseUrl });
        await client.connect();
        await client.query('insert into stations (code, name) values ($1, $2)', [
          mine.marker,
          `probe ${me}`,
        ]);
        await client.end();
        await redis.set(`${mine.redisPrefix}:marker`, mine.marker);
        await redis.hset(rendezvous, me, JSON.stringify(mine));

        const theirs = await waitFor(`file ${other}`, async () => {
          const raw = await redis.hget(rendezvous, other);
          return raw ? (JSON.parse(raw) as FileWorld) : undefined;
        });

        expect(theirs.database).not.toBe(mine.database);
        expect(theirs.redisPrefix).not.toBe(mine.redisPrefix);
        expect(await leaksBetween(redis, mine, theirs)).toEqual([]);
        // Negative control: had both files shared one database and prefix, the
        // same check would have seen the other's marker.
        const shared: FileWorld = {
          ...theirs,
          databaseUrl: mine.databaseUrl,
          redisPrefix: mine.redisPrefix,
        };
        await redis.set(`${mine.redisPrefix}:marker-of-${other}`, theirs.marker);
        const sharedClient = new pg.Client({ connectionString: mine.databaseUrl });
        await sharedClient.connect();
        await sharedClient.query('insert into stations (code, name) values ($1, $2)', [
          theirs.marker,
          'shared',
        ]);
        await sharedClient.end();
        expect(await leaksBetween(redis, mine, shared)).toEqual([
          `row ${theirs.marker}`,
          `key ${mine.redisPrefix}:marker-of-${other}`,
        ]);
      },
      rendezvousMs + 30_000,
    );
  });
}
