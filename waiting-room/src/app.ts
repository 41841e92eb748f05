import type { DbClient } from '@tatkal/drizzle';
import type { Registry } from 'prom-client';
import type { WaitingRoomDeps } from './deps.ts';
import { eventRoutes } from './routes/events.ts';
import { pageRoutes } from './routes/page.ts';
import { visitorApi } from './routes/visitor-api.ts';
import { createServiceApp, type Logger, pingRedis } from './service/index.ts';
import type { LiveUpdates } from './visitors/live-updates.ts';

export interface AppDeps extends WaitingRoomDeps {
  logger: Logger;
  registry: Registry;
  db: DbClient;
  live: LiveUpdates;
  trustProxy: boolean;
}

export function createApp(deps: AppDeps) {
  const app = createServiceApp({
    service: 'waiting-room',
    logger: deps.logger,
    registry: deps.registry,
    readiness: {
      redis: () => pingRedis(deps.redis as Parameters<typeof pingRedis>[0]),
      postgres: () => deps.db.ping(),
    },
  });

  const api = visitorApi(deps, { trustProxy: deps.trustProxy });
  api.openAPIRegistry.registerPath({
    method: 'get',
    path: '/v1/rooms/{room}/events',
    summary: 'Server-Sent Events: the visitor status, pushed whenever the queue moves',
    responses: { 200: { description: 'text/event-stream of `status` events (JSON) and `ping`s' } },
  });
  api.doc31('/openapi.json', {
    openapi: '3.1.0',
    info: {
      title: 'Tatkal waiting room',
      version: '1',
      description: 'Join a fair FIFO queue, follow your place, receive an admission token.',
    },
  });
  app.route('/', api);
  app.route('/', eventRoutes(deps, deps.live));
  app.route('/', pageRoutes(deps));

  app.get('/.well-known/jwks.json', (c) => {
    c.header('cache-control', 'public, max-age=60');
    return c.json(deps.admissionKeys.current().jwks);
  });

  return app;
}
