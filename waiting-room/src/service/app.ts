import { randomUUID } from 'node:crypto';
import { Hono } from 'hono';
import { HTTPException } from 'hono/http-exception';
import { routePath } from 'hono/route';
import type { Registry } from 'prom-client';
import type { Logger } from './logger.ts';
import { createHttpMetrics } from './metrics.ts';
import { internalError, notFound, Problem, problemResponse, requestRefused } from './problem.ts';
import { checkReadiness, type ReadinessCheck } from './readiness.ts';

declare module 'hono' {
  interface ContextVariableMap {
    requestId: string;
    log: Logger;
  }
}

export interface ServiceAppDeps {
  service: string;
  logger: Logger;
  registry: Registry;
  /** Dependencies /readyz reports on, by name (for example `redis`, `postgres`). */
  readiness: Record<string, ReadinessCheck>;
  readinessTimeoutMs?: number;
}

const incomingRequestId = /^[A-Za-z0-9._:-]{1,128}$/;

/**
 * The hono app every Tatkal service starts from: request ids, one JSON log
 * line per request, latency histograms, problem+json errors, and the
 * /healthz, /readyz and /metrics endpoints. Services add their routes to it.
 */
export function createServiceApp(deps: ServiceAppDeps): Hono {
  const app = new Hono();
  const http = createHttpMetrics(deps.registry);

  // Request lines are info: at warn and above the per-request logger work is skipped.
  const logsRequests = deps.logger.isLevelEnabled('info');
  app.use(async (c, next) => {
    const given = c.req.header('x-request-id');
    const requestId = given && incomingRequestId.test(given) ? given : randomUUID();
    c.set('requestId', requestId);
    c.set('log', logsRequests ? deps.logger.child({ requestId }) : deps.logger);
    // Set before the handler runs: a header added to a finished response makes
    // hono rebuild it as a stream, which costs more than the whole request.
    c.header('x-request-id', requestId);
    const started = performance.now();
    await next();
    const seconds = (performance.now() - started) / 1000;
    const route =
      c.res.status === 404 && routePath(c, -1) === '/*' ? '(unmatched)' : routePath(c, -1);
    http.requestDuration.observe(
      { method: c.req.method, route, status: String(c.res.status) },
      seconds,
    );
    if (logsRequests) {
      c.get('log').info(
        {
          method: c.req.method,
          path: c.req.path,
          route,
          status: c.res.status,
          durationMs: Math.round(seconds * 10_000) / 10,
        },
        'request',
      );
    }
  });

  app.get('/healthz', (c) => c.json({ status: 'ok', service: deps.service }));

  app.get('/readyz', async (c) => {
    const report = await checkReadiness(deps.readiness, deps.readinessTimeoutMs ?? 2_000);
    if (report.ready) return c.json({ status: 'ready', ...report });
    const failing = Object.entries(report.checks)
      .filter(([, state]) => state === 'failing')
      .map(([name]) => name);
    return problemResponse(
      c,
      new Problem({
        status: 503,
        code: 'not_ready',
        title: 'Service not ready',
        detail: `Unreachable: ${failing.join(', ')}`,
        extensions: { checks: report.checks },
        headers: { 'retry-after': '1' },
      }),
    );
  });

  app.get('/metrics', async (c) => {
    return c.body(await deps.registry.metrics(), 200, {
      'content-type': deps.registry.contentType,
    });
  });

  app.notFound((c) => problemResponse(c, notFound(c.req.path)));

  app.onError((error, c) => {
    if (error instanceof Problem) return problemResponse(c, error);
    if (error instanceof HTTPException && error.status < 500) {
      // Thrown by hono itself: malformed JSON, unsupported media type, body too large.
      return problemResponse(c, requestRefused(error.status, error.message));
    }
    (c.get('log') ?? deps.logger).error(
      { err: error, requestId: c.get('requestId') },
      'unhandled error',
    );
    return problemResponse(c, internalError());
  });

  return app;
}
