import type { Hono } from 'hono';
import { ConfigError } from './config.ts';
import type { Logger } from './logger.ts';
import { exitOnSignals, type HttpServer, startHttpServer } from './server.ts';

/** Exit status for a configuration error (sysexits EX_CONFIG). */
export const exitConfigError = 78;

/**
 * Parses configuration with `load`; on a ConfigError prints which variables
 * are wrong and exits, so the service never starts half-configured.
 */
export function loadConfigOrExit<T>(load: () => T): T {
  try {
    return load();
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\nSee .env.example for every variable.\n`);
      process.exit(exitConfigError);
    }
    throw error;
  }
}

export interface ServiceParts {
  app: Hono;
  host: string;
  port: number;
  logger: Logger;
  shutdownTimeoutMs: number;
  /** Work to stop after the server stops accepting and before in-flight requests are awaited (streams, workers), in order. */
  drain?: ReadonlyArray<readonly [string, (timeoutMs: number) => Promise<unknown>]>;
  /** Connections to release last (pools, Redis), in order. */
  release: ReadonlyArray<readonly [string, () => Promise<unknown>]>;
}

/** Listens, logs where, and wires SIGTERM/SIGINT to a clean shutdown. */
export async function runService(parts: ServiceParts): Promise<HttpServer> {
  const http = await startHttpServer(parts.app, parts.host, parts.port);
  parts.logger.info({ url: `http://${parts.host}:${http.port}` }, 'listening');
  let closing: Promise<boolean> | undefined;
  exitOnSignals({
    logger: parts.logger,
    timeoutMs: parts.shutdownTimeoutMs,
    steps: [
      // Stop accepting at once; in-flight requests go on while work drains.
      [
        'http: stop accepting',
        async (timeoutMs) => {
          closing = http.close(timeoutMs);
        },
      ],
      ...(parts.drain ?? []),
      ['http: in-flight requests', async () => closing],
      ...parts.release.map(([name, release]) => [name, () => release()] as const),
    ],
  });
  return http;
}
