// Proves the key layout the services rely on (DESIGN §7): a Lua script whose keys share
// one hash tag runs atomically on a real 3-master Redis Cluster, and the same script over
// untagged keys is refused. Also checks that infra/scripts/services.sh leaves running
// services alone.
import { execFile } from 'node:child_process';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { Cluster, Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testPgAdminUrl, testRedisUrl } from '../../infra/testing/env.ts';
import { type LocalRedisCluster, startRedisCluster } from '../../infra/testing/redis-cluster.ts';

const allSlots = 16_384;

// KEYS[1] a room's queue (list of visitor ids), KEYS[2] the room's served counter.
// ARGV[1] how many visitors to admit.
// Returns { servedUpTo, { admitted visitor ids } }: pops up to ARGV[1] ids from the head
// of the queue and advances the counter by as many, in one atomic step.
const admitBatchLua = `
local admitted = redis.call('LPOP', KEYS[1], ARGV[1]) or {}
local servedUpTo = redis.call('INCRBY', KEYS[2], #admitted)
return { servedUpTo, admitted }
`;

function roomKeys(room: string): [queue: string, served: string] {
  return [`{room:${room}}:queue`, `{room:${room}}:served`];
}

describe('on a local 3-master Redis Cluster', () => {
  let cluster: LocalRedisCluster;
  let client: Cluster;
  // slot -> id of the master serving it
  const slotOwner: string[] = [];

  beforeAll(async () => {
    cluster = await startRedisCluster();
    client = new Cluster(cluster.nodes, { redisOptions: { maxRetriesPerRequest: 1 } });
    for (const [start, end, master] of await client.cluster('SLOTS')) {
      if (!master) throw new Error(`slots ${start}-${end} have no master`);
      for (let slot = start; slot <= end; slot += 1) slotOwner[slot] = master[2];
    }
  });

  afterAll(async () => {
    await client?.quit();
    await cluster?.stop();
  });

  const admitBatch = (keys: string[], batch: number) =>
    client.eval(admitBatchLua, keys.length, ...keys, batch);

  it('has three masters that together serve all 16384 slots', async () => {
    const masters = new Set(slotOwner);
    expect(masters.size).toBe(3);
    expect(slotOwner.filter((id) => id !== undefined)).toHaveLength(allSlots);
    expect(client.nodes('master')).toHaveLength(3);

    for (const { host, port } of cluster.nodes) {
      const node = new Redis({ host, port, lazyConnect: true });
      try {
        const info = await node.cluster('INFO');
        expect(info).toContain('cluster_state:ok');
        expect(info).toContain(`cluster_slots_assigned:${allSlots}`);
        expect(info).toContain('cluster_size:3');
        expect(masters.has(await node.cluster('MYID'))).toBe(true);
      } finally {
        node.disconnect();
      }
    }
  });

  it('runs a script atomically over one room’s hash-tagged keys, on every master', async () => {
    // Rooms whose hash tag lands on each of the three masters, so routing is exercised too.
    const roomOnMaster = new Map<string, string>();
    for (let n = 10; roomOnMaster.size < 3; n += 1) {
      const [queue] = roomKeys(`ac-${n}`);
      const owner = slotOwner[await client.cluster('KEYSLOT', queue)] ?? '';
      if (!roomOnMaster.has(owner)) roomOnMaster.set(owner, `ac-${n}`);
    }

    for (const room of roomOnMaster.values()) {
      const keys = roomKeys(room);
      const [queueSlot, servedSlot] = await Promise.all(
        keys.map((key) => client.cluster('KEYSLOT', key)),
      );
      expect(queueSlot).toBe(servedSlot);

      await client.rpush(keys[0], 'v1', 'v2', 'v3', 'v4', 'v5');
      expect(await admitBatch(keys, 3)).toEqual([3, ['v1', 'v2', 'v3']]);
      expect(await admitBatch(keys, 3)).toEqual([5, ['v4', 'v5']]);
      expect(await admitBatch(keys, 3)).toEqual([5, []]);
      expect(await client.llen(keys[0])).toBe(0);
      expect(await client.get(keys[1])).toBe('5');
    }
  });

  it('refuses the same script over keys without a shared hash tag (negative control)', async () => {
    const keys = ['room:ac-10:queue', 'room:ac-10:served'];
    const [queueSlot, servedSlot] = await Promise.all(
      keys.map((key) => client.cluster('KEYSLOT', key)),
    );
    expect(queueSlot).not.toBe(servedSlot);

    await client.rpush('room:ac-10:queue', 'v1', 'v2', 'v3');
    await expect(admitBatch(keys, 3)).rejects.toThrow(/CROSSSLOT/);
    // Refused before running: nothing was popped, no counter was written.
    expect(await client.llen('room:ac-10:queue')).toBe(3);
    expect(await client.exists('room:ac-10:served')).toBe(0);
  });
});

describe('infra/scripts/services.sh', () => {
  const script = fileURLToPath(new URL('../../infra/scripts/services.sh', import.meta.url));
  const services = async (command: string, env: { REDIS_URL: string; DATABASE_URL: string }) => {
    try {
      const { stdout } = await promisify(execFile)('bash', [script, command], {
        env: { ...process.env, ...env, TATKAL_FORCE_EMBEDDED_PG: '' },
        timeout: 60_000,
      });
      return { code: 0, stdout };
    } catch (error) {
      const { code, stdout } = error as { code?: unknown; stdout?: unknown };
      if (typeof code !== 'number') throw error;
      return { code, stdout: String(stdout) };
    }
  };
  const running = { REDIS_URL: testRedisUrl, DATABASE_URL: testPgAdminUrl };

  it('reports running services as reachable and starts nothing when they already run', async () => {
    const before = await services('status', running);
    expect(before.code).toBe(0);
    expect(before.stdout).toMatch(/^redis +\S+ +reachable/m);
    expect(before.stdout).toMatch(/^postgres +\S+ +reachable/m);

    const up = await services('up', running);
    expect(up.code).toBe(0);
    expect(up.stdout).toMatch(/^redis: \S+ is reachable .*; nothing to do$/m);
    expect(up.stdout).toMatch(/^postgres: \S+ is reachable .*; nothing to do$/m);
    expect(up.stdout).not.toMatch(/nothing answers|: started/);

    expect((await services('status', running)).stdout).toBe(before.stdout);
  });

  it('reports a service as not reachable when nothing answers (negative control)', async () => {
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as { port: number };
    await new Promise((resolve) => server.close(resolve));

    const status = await services('status', { ...running, REDIS_URL: `redis://127.0.0.1:${port}` });
    expect(status.code).toBe(1);
    expect(status.stdout).toMatch(/^redis +\S+ +NOT reachable/m);
    expect(status.stdout).toMatch(/^postgres +\S+ +reachable/m);
  });
});
