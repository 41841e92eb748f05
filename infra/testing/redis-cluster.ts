// A private 3-master Redis Cluster for one test file, started and stopped by
// infra/scripts/redis-cluster.sh. Each call gets its own temp folder; the script
// serialises port picking and retries on a port clash, so test files may start
// clusters in parallel.
import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const run = promisify(execFile);
const script = fileURLToPath(new URL('../scripts/redis-cluster.sh', import.meta.url));
const startTimeoutMs = 120_000;
const stopTimeoutMs = 60_000;

export interface RedisClusterNode {
  host: string;
  port: number;
}

export interface LocalRedisCluster {
  nodes: RedisClusterNode[];
  stop(): Promise<void>;
}

function scriptError(action: string, error: unknown): Error {
  const stderr = (error as { stderr?: unknown }).stderr;
  const detail = typeof stderr === 'string' && stderr.trim() ? stderr.trim() : String(error);
  return new Error(`redis-cluster.sh ${action} failed:\n${detail}`);
}

function parseNodes(stdout: string): RedisClusterNode[] {
  return stdout
    .split('\n')
    .map((line) => /^(.+):(\d+)$/.exec(line.trim()))
    .filter((match) => match !== null)
    .map(([, host = '', port = '']) => ({ host, port: Number(port) }));
}

/** Starts a fresh cluster; call `stop()` (e.g. in `afterAll`) to shut it down and remove its files. */
export async function startRedisCluster(): Promise<LocalRedisCluster> {
  const dir = await mkdtemp(join(tmpdir(), 'tatkal-redis-cluster-'));
  const stop = async (): Promise<void> => {
    try {
      await run('bash', [script, 'stop', '--dir', dir], { timeout: stopTimeoutMs });
    } catch (error) {
      throw scriptError('stop', error);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  };

  let stdout: string;
  try {
    ({ stdout } = await run('bash', [script, 'start', '--dir', dir], { timeout: startTimeoutMs }));
  } catch (error) {
    await stop().catch(() => undefined);
    throw scriptError('start', error);
  }
  const nodes = parseNodes(stdout);
  if (nodes.length !== 3) {
    await stop();
    throw new Error(`redis-cluster.sh start printed ${nodes.length} nodes, expected 3:\n${stdout}`);
  }
  let stopped: Promise<void> | undefined;
  return {
    nodes,
    stop: () => {
      stopped ??= stop();
      return stopped;
    },
  };
}
