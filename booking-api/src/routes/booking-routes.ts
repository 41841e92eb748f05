import { createRoute, OpenAPIHono } from '@hono/zod-openapi';
import {
  limitBody as limitRequestBody,
  Problem,
  validationHook,
} from '@tatkal/waiting-room/service';
import { cancelBooking, getBooking, joinWaitlist } from '../bookings/index.ts';
import type { BookingApiDeps } from '../deps.ts';
import { bookHold } from '../flows/book-hold.ts';
import { readBookingPayments } from '../flows/booking-payments.ts';
import { parsePublicHoldId, withInventory } from '../flows/journeys.ts';
import { receivePaymentWebhook, startPayment } from '../flows/payments.ts';
import { placeHold } from '../flows/place-hold.ts';
import { returnSeatsAndPromote } from '../flows/return-seats.ts';
import { assertCovers, assertJourney } from '../gate/admission.ts';
import { readAvailability, releaseHold } from '../inventory/index.ts';
import {
  AnyJson,
  AvailabilitySchema,
  BookingBody,
  BookingCommitSchema,
  HoldBody,
  HoldParams,
  HoldSchema,
  JourneyParams,
  json,
  PnrParams,
  problems,
  security,
  WaitlistBody,
} from './schemas.ts';

const limitBody = limitRequestBody(8 * 1024);

const availabilityRoute = createRoute({
  method: 'get',
  path: '/v1/journeys/{journeyId}/availability',
  summary: 'Free, held and sold berths per class and quota (from the Redis inventory)',
  security,
  request: { params: JourneyParams },
  responses: { 200: json(AvailabilitySchema, 'Availability'), ...problems(401, 403, 422, 503) },
});

const holdRoute = createRoute({
  method: 'post',
  path: '/v1/holds',
  summary: 'Hold named seats or N berths, all or nothing',
  security,
  middleware: [limitBody] as const,
  request: { body: { content: { 'application/json': { schema: HoldBody } }, required: true } },
  responses: { 201: json(HoldSchema, 'Held'), ...problems(401, 403, 409, 413, 422, 428, 503) },
});

const releaseRoute = createRoute({
  method: 'delete',
  path: '/v1/holds/{holdId}',
  summary: 'Release a hold early',
  security,
  request: { params: HoldParams },
  responses: { 204: { description: 'Released' }, ...problems(401, 403, 404, 409, 422) },
});

const bookRoute = createRoute({
  method: 'post',
  path: '/v1/bookings',
  summary:
    'Book a hold: one PostgreSQL transaction under FOR UPDATE; PENDING_PAYMENT with the amount',
  security,
  middleware: [limitBody] as const,
  request: { body: { content: { 'application/json': { schema: BookingBody } }, required: true } },
  responses: {
    201: json(BookingCommitSchema, 'Booked, awaiting payment'),
    ...problems(401, 403, 409, 413, 422, 428, 503),
  },
});

const getBookingRoute = createRoute({
  method: 'get',
  path: '/v1/bookings/{pnr}',
  summary: 'A booking with passengers, seats, fare and its payment attempts',
  security,
  request: { params: PnrParams },
  responses: { 200: json(AnyJson, 'The booking'), ...problems(401, 403, 404, 422) },
});

const cancelRoute = createRoute({
  method: 'post',
  path: '/v1/bookings/{pnr}/cancel',
  summary: 'Cancel: seats go back to inventory; confirmed TQ/PT are not refundable',
  security,
  request: { params: PnrParams },
  responses: { 200: json(AnyJson, 'Cancelled'), ...problems(401, 403, 404, 409, 422) },
});

const waitlistRoute = createRoute({
  method: 'post',
  path: '/v1/waitlist',
  summary: 'Join the waitlist of a full quota (TQ, GN); promoted in order when seats come back',
  security,
  middleware: [limitBody] as const,
  request: { body: { content: { 'application/json': { schema: WaitlistBody } }, required: true } },
  responses: { 201: json(AnyJson, 'Waitlisted'), ...problems(401, 403, 409, 413, 422, 428) },
});

const payRoute = createRoute({
  method: 'post',
  path: '/v1/bookings/{pnr}/pay',
  summary: 'Start paying a PENDING_PAYMENT booking; the result arrives through the webhook',
  security,
  request: { params: PnrParams },
  responses: { 202: json(AnyJson, 'Payment started'), ...problems(401, 403, 404, 409, 422, 428) },
});

const webhookRoute = createRoute({
  method: 'post',
  path: '/v1/payments/webhook',
  summary:
    'Payment provider callback, signed: Tatkal-Signature: t=<unix s>,v1=<HMAC-SHA256 of "<t>.<body>">',
  middleware: [limitBody] as const,
  responses: { 200: json(AnyJson, 'Processed (idempotent)'), ...problems(400, 401, 409, 413, 422) },
});

const isoOrNull = (date: Date | null) => (date ? date.toISOString() : null);

export function bookingRoutes(deps: BookingApiDeps) {
  const app = new OpenAPIHono({ defaultHook: validationHook });
  app.openAPIRegistry.registerComponent('securitySchemes', 'admissionToken', {
    type: 'http',
    scheme: 'bearer',
    bearerFormat: 'JWT',
    description: 'The admission token from the waiting room',
  });

  app.openapi(availabilityRoute, async (c) => {
    const { journeyId } = c.req.valid('param');
    assertJourney(c.get('admission'), journeyId);
    await withInventory(deps, journeyId);
    const pools = await readAvailability(deps.redis, deps.prefix, journeyId, deps.now());
    c.header('cache-control', 'no-store');
    return c.json({ journeyId, pools }, 200);
  });

  app.openapi(holdRoute, async (c) => {
    const hold = await placeHold(deps, c.get('admission'), c.req.valid('json'));
    return c.json(hold, 201);
  });

  app.openapi(releaseRoute, async (c) => {
    const parsed = parsePublicHoldId(c.req.valid('param').holdId);
    if (!parsed) throw new Problem({ status: 404, code: 'hold_not_found', title: 'No such hold' });
    assertJourney(c.get('admission'), parsed.journeyId);
    const outcome = await releaseHold(deps.redis, deps.prefix, parsed.journeyId, parsed.holdId, {
      subject: c.get('admission').sub,
      nowMs: deps.now(),
    });
    if (outcome === 'released') return c.body(null, 204);
    if (outcome === 'booked') {
      throw new Problem({
        status: 409,
        code: 'hold_booked',
        title: 'Hold already booked',
        detail: 'This hold became a booking; cancel the booking instead.',
      });
    }
    if (outcome === 'not_yours')
      throw new Problem({ status: 403, code: 'not_your_hold', title: 'Not your hold' });
    throw new Problem({
      status: 404,
      code: 'hold_not_found',
      title: 'No such hold',
      detail: 'It expired or never existed.',
    });
  });

  app.openapi(bookRoute, async (c) => {
    const commit = await bookHold(deps, c.get('admission'), c.req.valid('json'));
    return c.json(
      {
        pnr: commit.pnr,
        status: commit.status,
        amount: commit.amount,
        expiresAt: isoOrNull(commit.expiresAt),
        seats: commit.seats,
      },
      201,
    );
  });

  app.openapi(getBookingRoute, async (c) => {
    const booking = await getBooking(
      { db: deps.db.db },
      { pnr: c.req.valid('param').pnr, subject: c.get('admission').sub },
    );
    const attempts = await readBookingPayments(deps.db.db, booking.bookingId);
    c.header('cache-control', 'no-store');
    return c.json(
      {
        ...booking,
        payments: attempts,
        expiresAt: isoOrNull(booking.expiresAt),
        createdAt: booking.createdAt.toISOString(),
        confirmedAt: isoOrNull(booking.confirmedAt),
        cancelledAt: isoOrNull(booking.cancelledAt),
      },
      200,
    );
  });

  app.openapi(cancelRoute, async (c) => {
    const { pnr } = c.req.valid('param');
    const subject = c.get('admission').sub;
    const booking = await getBooking({ db: deps.db.db }, { pnr, subject });
    const outcome = await cancelBooking({ db: deps.db.db }, { pnr, subject, nowMs: deps.now() });
    if (!outcome.alreadyCancelled) deps.metrics.bookings.inc({ status: 'CANCELLED' });
    const promoted = await returnSeatsAndPromote(deps, {
      journeyId: booking.journeyId,
      classCode: booking.classCode,
      quota: booking.quota,
      seatIds: outcome.seatIds,
    });
    return c.json({ ...outcome, waitlistPromoted: promoted }, 200);
  });

  app.openapi(waitlistRoute, async (c) => {
    const body = c.req.valid('json');
    const claims = c.get('admission');
    assertCovers(claims, body);
    const entry = await joinWaitlist(
      { db: deps.db.db },
      {
        journeyId: body.journeyId,
        roomId: claims.room,
        subject: claims.sub,
        tokenJti: claims.jti,
        classCode: body.classCode,
        quota: body.quota,
        passengers: body.passengers,
        nowMs: deps.now(),
      },
    );
    deps.metrics.bookings.inc({ status: 'WAITLISTED' });
    return c.json({ ...entry }, 201);
  });

  app.openapi(payRoute, async (c) => {
    const started = await startPayment(deps, {
      pnr: c.req.valid('param').pnr,
      subject: c.get('admission').sub,
    });
    return c.json(started, 202);
  });

  app.openapi(webhookRoute, async (c) => {
    const result = await receivePaymentWebhook(deps, {
      rawBody: await c.req.arrayBuffer(),
      headers: c.req.raw.headers,
    });
    return c.json({ outcome: result.outcome, eventId: result.eventId, pnr: result.pnr }, 200);
  });

  return app;
}
