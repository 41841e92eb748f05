import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import type { Hono } from 'hono';
import type { Logger } from './logger.ts';

type Server = ReturnType<typeof serve>;

export interface HttpServer {
  server: Server;
  port: number;
  /**
   * Stops accepting connections, lets in-flight requests finish, and after
   * `timeoutMs` cuts whatever is still open. Resolves true when nothing had to be cut.
   */
  close(timeoutMs: number): Promise<boolean>;
}

export function startHttpServer(app: Hono, host: string, port: number): Promise<HttpServer> {
  return new Promise((resolve, reject) => {
    const server = serve({ fetch: app.fetch, hostname: host, port }, (info: AddressInfo) => {
      resolve({ server, port: info.port, close: (timeoutMs) => closeServer(server, timeoutMs) });
    });
    server.once('error', reject);
  });
}

function closeServer(server: Server, timeoutMs: number): Promise<boolean> {
  return new Promise((resolve) => {
    let graceful = true;
    const timer = setTimeout(() => {
      graceful = false;
      if ('closeAllConnections' in server) server.closeAllConnections();
    }, timeoutMs);
    server.close(() => {
      clearTimeout(timer);
      resolve(graceful);
    });
    // Keep-alive sockets with no request in flight would hold close() open.
    if ('closeIdleConnections' in server) server.closeIdleConnections();
  });
}

export interface ShutdownOptions {
  logger: Logger;
  timeoutMs: number;
  /** Run in order: first stop taking work, then release connections. */
  steps: ReadonlyArray<readonly [name: string, run: (timeoutMs: number) => Promise<unknown>]>;
}

/**
 * On SIGTERM or SIGINT runs the shutdown steps once, then exits: 0 when every
 * step finished in time, 1 otherwise. A second signal exits at once.
 */
export function exitOnSignals(options: ShutdownOptions): void {
  let shuttingDown = false;
  const onSignal = async (signal: NodeJS.Signals) => {
    if (shuttingDown) {
      options.logger.warn({ signal }, 'second signal, exiting now');
      process.exit(1);
    }
    shuttingDown = true;
    options.logger.info({ signal }, 'shutting down');
    let clean = true;
    for (const [name, run] of options.steps) {
      try {
        // A step that hangs (a dependency that is down) must not keep the process alive.
        let timer: NodeJS.Timeout | undefined;
        const timedOut = new Promise<'timed out'>((resolve) => {
          timer = setTimeout(() => resolve('timed out'), options.timeoutMs);
        });
        const result = await Promise.race([run(options.timeoutMs), timedOut]);
        clearTimeout(timer);
        if (result === 'timed out') options.logger.warn({ step: name }, 'shutdown step timed out');
        if (result === false || result === 'timed out') clean = false;
      } catch (error) {
        clean = false;
        options.logger.error({ err: error, step: name }, 'shutdown step failed');
      }
    }
    options.logger.info({ clean }, 'shutdown complete');
    process.exit(clean ? 0 : 1);
  };
  process.once('SIGTERM', onSignal);
  process.once('SIGINT', onSignal);
}
