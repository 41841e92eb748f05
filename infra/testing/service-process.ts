// Starts a service's real entry point (src/main.ts) as a child process, the
// way an operator would, and reads its JSON log lines.
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';

export type ServiceName = 'waiting-room' | 'booking-api' | 'admission-worker';

const repoRoot = fileURLToPath(new URL('../../', import.meta.url));

export interface ServiceProcess {
  child: ChildProcess;
  stdout: () => string;
  stderr: () => string;
  /** Parsed JSON log lines written so far. */
  logLines: () => Array<Record<string, unknown>>;
  /** Resolves with the exit code (or signal name) once the process ends. */
  exited: Promise<number | string>;
}

export function spawnService(name: ServiceName, env: Record<string, string>): ServiceProcess {
  const child = spawn(process.execPath, [`${repoRoot}${name}/src/main.ts`], {
    cwd: `${repoRoot}${name}`,
    env: { PATH: process.env.PATH ?? '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    stdout += chunk.toString();
  });
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  // 'close', not 'exit': it fires only after stdout and stderr are fully read.
  const exited = once(child, 'close').then(([code, signal]) => (code ?? signal) as number | string);
  return {
    child,
    stdout: () => stdout,
    stderr: () => stderr,
    logLines: () =>
      stdout
        .split('\n')
        .filter((line) => line.startsWith('{'))
        .map((line) => JSON.parse(line) as Record<string, unknown>),
    exited,
  };
}

/** Waits for the service's "listening" log line and returns its base URL. */
export async function waitForListening(
  service: ServiceProcess,
  timeoutMs = 15_000,
): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const line = service.logLines().find((entry) => entry.msg === 'listening');
    if (line) return String(line.url);
    if (service.child.exitCode !== null) break;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(
    `service did not start listening\nstdout:\n${service.stdout()}\nstderr:\n${service.stderr()}`,
  );
}

/** The variables a service needs, taken from this test file's isolated environment. */
export function isolatedServiceEnv(): Record<string, string> {
  const { DATABASE_URL, REDIS_URL, REDIS_KEY_PREFIX } = process.env;
  if (!DATABASE_URL || !REDIS_URL || !REDIS_KEY_PREFIX) {
    throw new Error(
      'integration file setup did not provide DATABASE_URL, REDIS_URL and REDIS_KEY_PREFIX',
    );
  }
  return { DATABASE_URL, REDIS_URL, REDIS_KEY_PREFIX, HOST: '127.0.0.1', PORT: '0' };
}
