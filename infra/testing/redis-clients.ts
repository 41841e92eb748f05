// Redis connections for concurrency tests: several separate connections (so
// scripts really race), to the file's standalone Redis or to a private
// 3-master cluster. REDIS_URL and REDIS_KEY_PREFIX are set by the integration
// setup in a beforeAll hook, so they are read when a test needs them.
import { Cluster, Redis } from 'ioredis';
import { startRedisCluster } from './redis-cluster.ts';

export interface Clients {
  clients: Array<Redis | Cluster>;
  close(): Promise<void>;
}

function env(name: 'REDIS_URL' | 'REDIS_KEY_PREFIX'): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set: run this file in the integration project`);
  return value;
}

export const testRedisUrl = () => env('REDIS_URL');
export const testPrefix = () => env('REDIS_KEY_PREFIX');

/** Separate connections to the standalone test Redis. */
export async function standaloneClients(count: number): Promise<Clients> {
  const clients = Array.from({ length: count }, () => new Redis(testRedisUrl()));
  return {
    clients,
    close: async () => {
      await Promise.all(clients.map((client) => client.quit()));
    },
  };
}

/** A private 3-master Redis Cluster and separate cluster clients on it. */
export async function clusterClients(count: number): Promise<Clients> {
  const cluster = await startRedisCluster();
  const clients = Array.from(
    { length: count },
    () => new Cluster(cluster.nodes, { redisOptions: { maxRetriesPerRequest: 1 } }),
  );
  return {
    clients,
    close: async () => {
      await Promise.all(clients.map((client) => client.quit()));
      await cluster.stop();
    },
  };
}
