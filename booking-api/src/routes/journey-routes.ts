// What the booking page reads before it holds anything: the journey itself and the coach map of
// a class and quota. Both sit behind the admission gate like every business endpoint.
import { createRoute, OpenAPIHono } from '@hono/zod-openapi';
import { validationHook } from '@tatkal/waiting-room/service';
import type { BookingApiDeps } from '../deps.ts';
import { readJourneyDetails } from '../flows/journey-details.ts';
import { readSeatMap } from '../flows/seat-map.ts';
import { assertCovers, assertJourney } from '../gate/admission.ts';
import {
  JourneyParams,
  JourneySchema,
  json,
  problems,
  SeatMapQuery,
  SeatMapSchema,
  security,
} from './schemas.ts';

const journeyRoute = createRoute({
  method: 'get',
  path: '/v1/journeys/{journeyId}',
  summary: 'The journey: train, route, date, departure and the coaches of each class',
  security,
  request: { params: JourneyParams },
  responses: { 200: json(JourneySchema, 'Journey'), ...problems(401, 403, 404, 422) },
});

const seatMapRoute = createRoute({
  method: 'get',
  path: '/v1/journeys/{journeyId}/seats',
  summary: 'Coach map of one class and quota: every seat and whether it is free, held or sold',
  security,
  request: { params: JourneyParams, query: SeatMapQuery },
  responses: { 200: json(SeatMapSchema, 'Seat map'), ...problems(401, 403, 404, 422, 503) },
});

export function journeyRoutes(deps: BookingApiDeps) {
  const app = new OpenAPIHono({ defaultHook: validationHook });

  app.openapi(journeyRoute, async (c) => {
    const { journeyId } = c.req.valid('param');
    assertJourney(c.get('admission'), journeyId);
    const details = await readJourneyDetails(deps.db.db, journeyId);
    c.header('cache-control', 'private, max-age=60');
    return c.json(details, 200);
  });

  app.openapi(seatMapRoute, async (c) => {
    const { journeyId } = c.req.valid('param');
    const { classCode, quota } = c.req.valid('query');
    assertCovers(c.get('admission'), { journeyId, classCode, quota });
    const map = await readSeatMap(deps, { journeyId, classCode, quota });
    c.header('cache-control', 'no-store');
    return c.json(map, 200);
  });

  return app;
}
