// The bench's throwaway world: its own PostgreSQL database (migrated, seeded,
// with open rooms), its own Redis key prefixes, an admission key file, and
// waiting-room processes started exactly as an operator would start them.
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createDbClient, type DbClient, rooms, seedDemoSale } from '@tatkal/drizzle';
import { generateSigningKey } from '@tatkal/waiting-room';
import { Redis } from 'ioredis';
import { freePort } from '../../../infra/testing/ports.ts';
import { type BenchChild, spawnChild } from './children.ts';
import { type Cleanup, progress } from './cleanup.ts';
import type { BenchOptions } from './options.ts';
import { throwawayDatabase } from './throwaway-database.ts';

const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));

export interface BenchWorld {
  redis: Redis;
  databaseUrl: string;
  db: DbClient;
  scratchDir: string;
  keyFile: string;
  ticketSecret: string;
  /** The service's key prefix (REDIS_KEY_PREFIX). */
  servicePrefix: string;
  /** A fresh key prefix, deleted by the cleanup. */
  newPrefix(label: string): string;
  /** Inserts a room that opened a minute ago and closes in two hours. */
  addRoom(id: string): Promise<string>;
}

export interface ServiceHandle {
  child: BenchChild;
  url: string;
}

const runId = `${Date.now().toString(36)}${randomBytes(2).toString('hex')}`;

export async function deletePrefix(redis: Redis, prefix: string): Promise<number> {
  let cursor = '0';
  let deleted = 0;
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 1000);
    cursor = next;
    if (keys.length > 0) deleted += await redis.unlink(...keys);
  } while (cursor !== '0');
  return deleted;
}

export async function createWorld(cleanup: Cleanup, options: BenchOptions): Promise<BenchWorld> {
  const redis = new Redis(options.redisUrl, { maxRetriesPerRequest: 3 });
  cleanup.defer('redis connection', async () => redis.disconnect());
  await redis.ping();

  const newPrefix = (label: string) => {
    const prefix = `b${label}-${runId}`;
    cleanup.defer(`delete Redis keys ${prefix}:*`, async () => {
      const deleted = await deletePrefix(redis, prefix);
      progress(`cleanup: deleted ${deleted} Redis keys under ${prefix}:`);
    });
    return prefix;
  };

  const databaseName = `tatkal_bench_${runId}`;
  const databaseUrl = await throwawayDatabase(cleanup, options.pgAdminUrl, databaseName, progress);
  const db = createDbClient({ url: databaseUrl, poolMax: 2 });
  cleanup.defer('database pool', () => db.close());
  const seeded = await seedDemoSale(db.db);

  const scratchDir = await mkdtemp(join(tmpdir(), 'tatkal-bench-'));
  cleanup.defer(`remove ${scratchDir}`, () => rm(scratchDir, { recursive: true, force: true }));
  const keyFile = join(scratchDir, 'admission-keys.json');
  await writeFile(keyFile, JSON.stringify({ keys: [await generateSigningKey()] }), { mode: 0o600 });

  return {
    redis,
    databaseUrl,
    db,
    scratchDir,
    keyFile,
    ticketSecret: randomBytes(32).toString('base64url'),
    servicePrefix: newPrefix('wr'),
    newPrefix,
    async addRoom(id) {
      const nowMs = Date.now();
      await db.db.insert(rooms).values({
        id,
        name: `Bench room ${id}`,
        journeyId: seeded.journey.id,
        classCodes: ['3A', 'SL'],
        quotas: ['TQ'],
        prequeueOpensAt: new Date(nowMs - 120_000),
        saleOpensAt: new Date(nowMs - 60_000),
        closesAt: new Date(nowMs + 2 * 3_600_000),
      });
      return id;
    },
  };
}

export async function waitForHealthy(
  url: string,
  child: BenchChild,
  timeoutMs: number,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.process.exitCode !== null || child.process.signalCode !== null) break;
    try {
      const response = await fetch(`${url}/healthz`);
      await response.body?.cancel();
      if (response.ok) return;
    } catch {
      // Not listening yet.
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(
    `${child.name} did not become healthy\nstdout:\n${child.stdout().slice(-4000)}\nstderr:\n${child.stderr().slice(-4000)}`,
  );
}

/** `node waiting-room/src/main.ts`, configured like infra/testing/service-process.ts does it. */
export async function startWaitingRoom(
  cleanup: Cleanup,
  world: BenchWorld,
  options: BenchOptions,
  name: string,
): Promise<ServiceHandle> {
  // Chosen here: the service logs its URL only at info level, and the bench runs it at warn.
  const port = await freePort();
  const child = spawnChild(
    cleanup,
    name,
    process.execPath,
    [`${repoRoot}waiting-room/src/main.ts`],
    {
      cwd: `${repoRoot}waiting-room`,
      nofile: options.nofile,
      env: {
        DATABASE_URL: world.databaseUrl,
        REDIS_URL: options.redisUrl,
        REDIS_KEY_PREFIX: world.servicePrefix,
        HOST: '127.0.0.1',
        PORT: String(port),
        QUEUE_TICKET_SECRET: world.ticketSecret,
        ADMISSION_KEYS_FILE: world.keyFile,
        JOIN_LIMIT_IP_BURST: '0',
        JOIN_LIMIT_VISITOR_BURST: '0',
        LOG_LEVEL: 'warn',
      },
    },
  );
  const url = `http://127.0.0.1:${port}`;
  await waitForHealthy(url, child, 30_000);
  return { child, url };
}
