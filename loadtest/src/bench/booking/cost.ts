// CPU spent per operation, on both ends: this process (where the booking API's
// verbs run) from process.cpuUsage, and Redis from INFO (its process CPU and
// the time spent inside scripts). Less sensitive than a rate to what else the
// two shared cores are doing, and it says which side a slow figure comes from.
// Redis is shared with whatever else runs on the machine; its figures include that.
import type { Redis } from 'ioredis';
import { round } from '../stats.ts';

export interface RedisCounters {
  /** used_cpu_user + used_cpu_sys, µs. */
  cpuUs: number;
  /** EVALSHA and EVAL calls and the µs Redis spent running them. */
  scriptCalls: number;
  scriptUs: number;
}

/** Reads the counters out of `INFO cpu` + `INFO commandstats` text. */
export function parseRedisInfo(text: string): RedisCounters {
  const number = (pattern: RegExp) => Number(pattern.exec(text)?.[1] ?? 0);
  let scriptCalls = 0;
  let scriptUs = 0;
  for (const match of text.matchAll(/^cmdstat_(?:evalsha|eval):calls=(\d+),usec=(\d+)/gm)) {
    scriptCalls += Number(match[1]);
    scriptUs += Number(match[2]);
  }
  const cpuS = number(/^used_cpu_user:([\d.]+)/m) + number(/^used_cpu_sys:([\d.]+)/m);
  return { cpuUs: Math.round(cpuS * 1e6), scriptCalls, scriptUs };
}

export async function readRedisCounters(redis: Redis): Promise<RedisCounters> {
  const [cpu, commands] = await Promise.all([redis.info('cpu'), redis.info('commandstats')]);
  return parseRedisInfo(`${cpu}\n${commands}`);
}

export interface OpCost {
  /** The client's CPU per completed operation (this process, or pgbench), µs. */
  clientCpuUs: number | null;
  /** The part of it spent in the kernel (socket reads and writes, mostly), µs. */
  clientSystemCpuUs: number | null;
  /** Redis process CPU per completed operation, µs. */
  redisCpuUs: number | null;
  /** Time Redis spent inside each script call of the run, µs. */
  redisScriptUsPerCall: number | null;
}

export function opCost(
  ops: number,
  client: { before: NodeJS.CpuUsage; after: NodeJS.CpuUsage },
  redis?: { before: RedisCounters; after: RedisCounters },
): OpCost {
  const per = (total: number, count: number) => (count > 0 ? round(total / count, 1) : null);
  const systemUs = client.after.system - client.before.system;
  const clientUs = client.after.user - client.before.user + systemUs;
  const here = { clientCpuUs: per(clientUs, ops), clientSystemCpuUs: per(systemUs, ops) };
  if (!redis) return { ...here, redisCpuUs: null, redisScriptUsPerCall: null };
  return {
    ...here,
    redisCpuUs: per(redis.after.cpuUs - redis.before.cpuUs, ops),
    redisScriptUsPerCall: per(
      redis.after.scriptUs - redis.before.scriptUs,
      redis.after.scriptCalls - redis.before.scriptCalls,
    ),
  };
}

/**
 * A child's CPU from bash's `times` (run after the child): the second line,
 * `<user>m<s>s <system>m<s>s`, is the shell's children. Null when absent.
 */
export function parseBashTimes(text: string): NodeJS.CpuUsage | null {
  const lines = text
    .trim()
    .split('\n')
    .filter((line) => /^\d+m[\d.]+s \d+m[\d.]+s$/.test(line.trim()));
  const children = lines.at(-1);
  if (lines.length < 2 || children === undefined) return null;
  const micros = (field: string | undefined) => {
    const match = /^(\d+)m([\d.]+)s$/.exec(field ?? '');
    return match ? Math.round((Number(match[1]) * 60 + Number(match[2])) * 1e6) : 0;
  };
  const [user, system] = children.trim().split(' ');
  return { user: micros(user), system: micros(system) };
}
