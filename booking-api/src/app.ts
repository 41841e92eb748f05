import { createServiceApp, type Logger, pingRedis } from '@tatkal/waiting-room/service';
import type { Registry } from 'prom-client';
import type { BookingApiDeps } from './deps.ts';
import { requireAdmission } from './gate/admission.ts';
import { shedLoad } from './gate/load-shedding.ts';
import { idempotency } from './idempotency/index.ts';
import { bookingPageRoutes } from './routes/booking-page.ts';
import { bookingRoutes } from './routes/booking-routes.ts';
import { journeyRoutes } from './routes/journey-routes.ts';

export interface AppDeps extends BookingApiDeps {
  logger: Logger;
  registry: Registry;
  maxInFlight: number;
  /** The waiting room as visitors reach it (the booking page links back to its queue). */
  waitingRoomUrl?: string;
}

/** Paths that need an admission token: every business endpoint. */
const gatedPaths = [
  '/v1/journeys/*',
  '/v1/holds',
  '/v1/holds/*',
  '/v1/bookings',
  '/v1/bookings/*',
  '/v1/waitlist',
];

/** POSTs that create a hold, a booking, a payment or a waitlist entry. */
const creatingPosts = ['/v1/holds', '/v1/bookings', '/v1/bookings/:pnr/pay', '/v1/waitlist'];

export function createApp(deps: AppDeps) {
  const app = createServiceApp({
    service: 'booking-api',
    logger: deps.logger,
    registry: deps.registry,
    readiness: {
      redis: () => pingRedis(deps.redis as Parameters<typeof pingRedis>[0]),
      postgres: () => deps.db.ping(),
    },
  });

  // Every answer feeds the windowed health summary the admission worker reads.
  app.use('/v1/*', async (c, next) => {
    await next();
    deps.health.recordResponse(c.res.status);
  });
  app.use('/v1/*', shedLoad(deps.maxInFlight, deps.metrics.inFlight));
  const gate = requireAdmission(deps.verifier);
  for (const path of gatedPaths) app.use(path, gate);
  // Every POST that creates something is idempotent per token subject.
  const once = idempotency({
    db: deps.db.db,
    subjectOf: (c) => c.get('admission')?.sub,
    nowMs: deps.now,
  });
  for (const path of creatingPosts) app.on('POST', path, once);

  const api = bookingRoutes(deps);
  api.route('/', journeyRoutes(deps));
  api.doc31('/openapi.json', {
    openapi: '3.1.0',
    info: {
      title: 'Tatkal booking API',
      version: '1',
      description: 'Token-gated Tatkal booking: holds in Redis, bookings committed in PostgreSQL.',
    },
  });
  app.route('/', api);
  // The booking page admitted visitors land on: static HTML and assets, no token needed to load
  // it (the token travels in the URL fragment and is sent only to the API above).
  app.route(
    '/',
    bookingPageRoutes({ waitingRoomUrl: deps.waitingRoomUrl ?? 'http://127.0.0.1:8080' }),
  );
  return app;
}
