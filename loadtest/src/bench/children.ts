// Child processes of the bench: the service, the baseline server, the load
// generator and the SSE clients each run in their own process, like in
// production, and are always stopped by the cleanup.
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import type { Cleanup } from './cleanup.ts';

const prlimitPath = '/usr/bin/prlimit';

export interface BenchChild {
  name: string;
  process: ChildProcess;
  pid: number;
  stdout(): string;
  stderr(): string;
  /** Resolves with the exit code (or signal name) once the process ended and its output is read. */
  exited: Promise<number | string>;
  /** SIGTERM, then SIGKILL after `graceMs`; resolves once the process is gone. */
  stop(graceMs?: number): Promise<void>;
}

export interface SpawnOptions {
  env?: Record<string, string>;
  cwd?: string;
  /** Raise the open-files limit of the child (needs root; ignored otherwise). */
  nofile?: number;
  /** Open an IPC channel (process.send in the child). */
  ipc?: boolean;
  /** Keep at most this much of stdout/stderr in memory. */
  keepBytes?: number;
}

export interface FdLimit {
  soft: number;
  hard: number;
}

/** This process's open-files limit, from /proc/self/limits. */
export function ownFdLimit(): FdLimit {
  const match = /^Max open files\s+(\d+|unlimited)\s+(\d+|unlimited)/m.exec(
    readFileSync('/proc/self/limits', 'utf8'),
  );
  const parse = (value: string | undefined) =>
    value === undefined || value === 'unlimited' ? 1_048_576 : Number(value);
  return { soft: parse(match?.[1]), hard: parse(match?.[2]) };
}

const raisable = new Map<number, boolean>();

/**
 * The open-files limit a child can really get when `wanted` is asked for:
 * `wanted` where prlimit may raise it (root with CAP_SYS_RESOURCE), else this
 * process's hard limit (containers often drop that capability).
 */
export function effectiveNofile(wanted: number): number {
  if (!raisable.has(wanted)) {
    const probe = existsSync(prlimitPath)
      ? spawnSync(prlimitPath, [`--nofile=${wanted}:${wanted}`, '--', 'true'], { stdio: 'ignore' })
      : null;
    raisable.set(wanted, probe?.status === 0);
  }
  return raisable.get(wanted) ? wanted : Math.min(wanted, ownFdLimit().hard);
}

/**
 * Spawns `command args`, through prlimit when a higher fd limit is asked for
 * and allowed (prlimit execs the command, so the pid stays the command's).
 */
export function spawnChild(
  cleanup: Cleanup,
  name: string,
  command: string,
  args: readonly string[],
  options: SpawnOptions = {},
): BenchChild {
  const nofile = options.nofile === undefined ? undefined : effectiveNofile(options.nofile);
  const raise = nofile !== undefined && nofile > ownFdLimit().soft && existsSync(prlimitPath);
  const file = raise ? prlimitPath : command;
  const argv = raise ? [`--nofile=${nofile}:${nofile}`, '--', command, ...args] : [...args];
  const child = spawn(file, argv, {
    cwd: options.cwd,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', ...options.env },
    stdio: options.ipc ? ['ignore', 'pipe', 'pipe', 'ipc'] : ['ignore', 'pipe', 'pipe'],
  });
  const keep = options.keepBytes ?? 1_000_000;
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    stdout = (stdout + chunk.toString()).slice(-keep);
  });
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString()).slice(-keep);
  });
  const exited = once(child, 'close').then(([code, signal]) => (code ?? signal) as number | string);
  // A spawn failure (missing binary) surfaces through `exited` as well.
  child.on('error', () => undefined);
  const forgetExitHook = cleanup.onExit(() => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  });
  const stop = cleanup.defer(`stop ${name}`, async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      const killer = setTimeout(() => child.kill('SIGKILL'), 5_000);
      await exited.catch(() => undefined);
      clearTimeout(killer);
    }
    forgetExitHook();
  });
  return {
    name,
    process: child,
    pid: child.pid ?? -1,
    stdout: () => stdout,
    stderr: () => stderr,
    exited,
    stop: async (graceMs = 5_000) => {
      if (child.exitCode === null && child.signalCode === null) {
        const killer = setTimeout(() => child.kill('SIGKILL'), graceMs);
        child.kill('SIGTERM');
        await exited.catch(() => undefined);
        clearTimeout(killer);
      }
      await stop();
    },
  };
}

/** Spawns a TypeScript file of this folder with the running Node. */
export function spawnNodeScript(
  cleanup: Cleanup,
  name: string,
  script: URL,
  args: readonly string[],
  options: SpawnOptions = {},
): BenchChild {
  return spawnChild(cleanup, name, process.execPath, [script.pathname, ...args], options);
}

/**
 * CPU time a process has used so far (user + system, all threads), in
 * microseconds, from /proc/<pid>/stat; clock ticks are 1/100 s on Linux.
 */
export async function cpuMicros(pid: number): Promise<number> {
  const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
  // Fields after the command name (which may hold spaces) start at ") ".
  const fields = stat.slice(stat.lastIndexOf(') ') + 2).split(' ');
  const ticks = Number(fields[11]) + Number(fields[12]);
  return ticks * 10_000;
}

/** Resident set size of a process in KiB, from /proc/<pid>/status VmRSS. */
export async function residentKb(pid: number): Promise<number> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  const match = /^VmRSS:\s+(\d+)\s+kB/m.exec(status);
  if (!match?.[1]) throw new Error(`no VmRSS in /proc/${pid}/status`);
  return Number(match[1]);
}

/** Resolves with the first line of stdout that parses as JSON and satisfies `accept`. */
export async function waitForJsonLine<T>(
  child: BenchChild,
  accept: (line: Record<string, unknown>) => T | undefined,
  timeoutMs: number,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    for (const line of child.stdout().split('\n')) {
      if (!line.startsWith('{')) continue;
      try {
        const found = accept(JSON.parse(line) as Record<string, unknown>);
        if (found !== undefined) return found;
      } catch {
        // A line cut by the keep window or not ours.
      }
    }
    if (child.process.exitCode !== null || child.process.signalCode !== null) break;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(
    `${child.name} did not report in time\nstdout:\n${child.stdout().slice(-4000)}\nstderr:\n${child.stderr().slice(-4000)}`,
  );
}
