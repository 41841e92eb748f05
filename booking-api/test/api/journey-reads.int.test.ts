// The reads the booking page makes before it holds anything, over a real socket: the journey,
// the coach map of a class and quota (with seat states that follow holds and sales), and a
// booking's payment attempts. Each is behind the admission gate and refuses bad input with
// problem+json.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type BookingWorld, createBookingWorld } from '../support/booking-world.ts';

let world: BookingWorld;
beforeAll(async () => {
  world = await createBookingWorld({ paymentDelayMs: 20 });
});
afterAll(async () => {
  await world.close();
});

interface MapSeat {
  seatId: number;
  coach: string;
  berthNumber: number;
  berthType: string;
  state: string;
}

async function seatMap(token: string, classCode = '3A', quota = 'TQ') {
  const answer = await world.call(
    'GET',
    `/v1/journeys/${world.journeyId}/seats?classCode=${classCode}&quota=${quota}`,
    token,
  );
  expect(answer.status, JSON.stringify(answer.body)).toBe(200);
  return (answer.body.coaches as Array<{ coach: string; seats: MapSeat[] }>).flatMap(
    (coach) => coach.seats,
  );
}

describe('journey reads', () => {
  it('the journey: train, route, date and the coaches of each class', async () => {
    const token = await world.token('reader');
    const answer = await world.call('GET', `/v1/journeys/${world.journeyId}`, token);
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({
      journeyId: world.journeyId,
      train: { number: '12381', name: 'Poorva Express' },
      from: { code: 'HWH', name: 'Howrah Jn' },
      to: { code: 'NDLS', name: 'New Delhi' },
      classes: [
        { classCode: '1A', coaches: ['H1'] },
        { classCode: '2A', coaches: ['A1', 'A2'] },
        { classCode: '3A', coaches: ['B1', 'B2', 'B3', 'B4'] },
        { classCode: 'SL', coaches: ['S1', 'S2', 'S3', 'S4', 'S5', 'S6', 'S7', 'S8'] },
      ],
    });
    expect(answer.body.travelDate).toMatch(/^\d{4}-\d\d-\d\d$/);
  });

  it('the coach map: every seat of the pool in coach and berth order, states following holds and sales', async () => {
    const token = await world.token('mapper');
    const before = await seatMap(token);
    // 3A Tatkal: berths 17-32 of four coaches.
    expect(before).toHaveLength(64);
    expect(before.map((seat) => `${seat.coach}/${seat.berthNumber}`).slice(0, 3)).toEqual([
      'B1/17',
      'B1/18',
      'B1/19',
    ]);
    expect(new Set(before.map((seat) => seat.state))).toEqual(new Set(['free']));

    const [first, second] = before;
    if (!first || !second) throw new Error('empty map');
    const buyer = await world.token('buyer');
    const hold = await world.call(
      'POST',
      '/v1/holds',
      buyer,
      { journeyId: world.journeyId, classCode: '3A', quota: 'TQ', seatIds: [first.seatId] },
      { 'idempotency-key': 'map-hold-1' },
    );
    expect(hold.status).toBe(201);
    const holder = await world.token('holder');
    const held = await world.call(
      'POST',
      '/v1/holds',
      holder,
      { journeyId: world.journeyId, classCode: '3A', quota: 'TQ', seatIds: [second.seatId] },
      { 'idempotency-key': 'map-hold-2' },
    );
    expect(held.status).toBe(201);
    const booked = await world.call(
      'POST',
      '/v1/bookings',
      buyer,
      {
        holdId: hold.body.holdId,
        passengers: [{ name: 'Map Reader', age: 40, gender: 'F', berthPreference: null }],
      },
      { 'idempotency-key': 'map-book-1' },
    );
    expect(booked.status).toBe(201);

    const after = await seatMap(token);
    const stateOf = (seatId: number) => after.find((seat) => seat.seatId === seatId)?.state;
    expect(stateOf(first.seatId)).toBe('sold');
    expect(stateOf(second.seatId)).toBe('held');
    expect(after.filter((seat) => seat.state === 'free')).toHaveLength(62);

    // The booking shows its payment attempts once the provider has answered.
    const pnr = String(booked.body.pnr);
    const paid = await world.call('POST', `/v1/bookings/${pnr}/pay`, buyer, undefined, {
      'idempotency-key': 'map-pay-1',
    });
    expect(paid.status).toBe(202);
    await world.payments.whenIdle();
    const view = await world.call('GET', `/v1/bookings/${pnr}`, buyer);
    expect(view.body.status).toBe('CONFIRMED');
    expect(view.body.payments).toEqual([
      { paymentRef: paid.body.paymentRef, status: 'SUCCEEDED', updatedAt: expect.any(String) },
    ]);
  });

  it.each([
    ['no token', null, '', 401, 'token_missing'],
    ['class outside the token', 'scoped', '?classCode=2A&quota=TQ', 403, 'token_scope'],
    ['quota outside the token', 'scoped', '?classCode=3A&quota=GN', 403, 'token_scope'],
    ['unknown class', 'any', '?classCode=4A&quota=TQ', 422, 'invalid_input'],
    ['missing quota', 'any', '?classCode=3A', 422, 'invalid_input'],
    ['extra parameter', 'any', '?classCode=3A&quota=TQ&x=1', 422, 'invalid_input'],
  ])('the coach map refuses %s', async (_name, who, query, status, code) => {
    const token =
      who === null
        ? null
        : await world.token(
            `refused-${String(who)}`,
            who === 'scoped' ? { classes: ['3A'], quotas: ['TQ'] } : {},
          );
    const path = `/v1/journeys/${world.journeyId}/seats${query || '?classCode=3A&quota=TQ'}`;
    const answer = await world.call('GET', path, token);
    expect(answer.status).toBe(status);
    expect(answer.body.code).toBe(code);
  });

  it.each([
    ['a journey id that is not digits', '/v1/journeys/7x', 422, 'invalid_input'],
    ['a journey the token does not cover', '/v1/journeys/999999', 403, 'token_scope'],
  ])('the journey refuses %s', async (_name, path, status, code) => {
    const answer = await world.call('GET', path, await world.token('journey-reader'));
    expect(answer.status).toBe(status);
    expect(answer.body.code).toBe(code);
  });

  it('both reads are described in /openapi.json', async () => {
    const answer = await world.call('GET', '/openapi.json', null);
    const paths = Object.keys(answer.body.paths as Record<string, unknown>);
    expect(paths).toEqual(
      expect.arrayContaining(['/v1/journeys/{journeyId}', '/v1/journeys/{journeyId}/seats']),
    );
  });

  it('a journey that does not exist is 404 for a token that covers any journey', async () => {
    const token = await world.token('wanderer', { journeyId: null });
    const journey = await world.call('GET', '/v1/journeys/999999', token);
    expect(journey.status).toBe(404);
    expect(journey.body.code).toBe('journey_not_found');
    const map = await world.call('GET', '/v1/journeys/999999/seats?classCode=3A&quota=TQ', token);
    expect(map.status).toBe(404);
    expect(map.body.code).toBe('journey_not_found');
  });
});
