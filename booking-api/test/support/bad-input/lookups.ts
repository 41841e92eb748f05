// Hostile path parameters (PNRs, hold ids, journey ids) and waitlist bodies.
import {
  type BadCase,
  type Fixtures,
  type Fx,
  invalid,
  passenger,
  pool,
  waitlist,
} from './case.ts';

const pnrs = [
  ['a short PNR', '123'],
  ['a PNR with a leading zero', '0123456789'],
  ['a PNR of letters', 'abcdefghij'],
  ['an 11-digit PNR', '12345678901'],
  ['a PNR with a path traversal', '..%2F..%2Fadmin'],
] as const;

function byPnr(method: 'GET' | 'POST', suffix: string, label: string): BadCase[] {
  return [
    ...pnrs.map(([name, pnr]) => ({
      name: `${label} with ${name}`,
      method,
      path: () => `/v1/bookings/${pnr}${suffix}`,
      status: 422,
      code: 'invalid_input',
    })),
    {
      name: `${label} for a PNR that does not exist`,
      method,
      path: () => `/v1/bookings/1000000000${suffix}`,
      status: 404,
      code: 'booking_not_found',
    },
    {
      name: `${label} for someone else's booking`,
      method,
      path: (f) => `/v1/bookings/${f.pendingPnr}${suffix}`,
      status: 403,
      code: 'not_your_booking',
    },
  ];
}

export const pnrCases: BadCase[] = [
  ...byPnr('GET', '', 'GET /v1/bookings/:pnr'),
  ...byPnr('POST', '/cancel', 'POST /v1/bookings/:pnr/cancel'),
  ...byPnr('POST', '/pay', 'POST /v1/bookings/:pnr/pay'),
  {
    name: 'POST /v1/bookings/:pnr/pay for a confirmed booking',
    method: 'POST',
    path: (f) => `/v1/bookings/${f.confirmedPnr}/pay`,
    token: (f) => f.tokens.confirmedFresh,
    status: 409,
    code: 'booking_not_payable',
  },
  {
    name: 'POST /v1/bookings/:pnr/pay without an Idempotency-Key',
    method: 'POST',
    path: (f) => `/v1/bookings/${f.pendingPnr}/pay`,
    token: (f) => f.tokens.owner,
    key: false,
    status: 400,
    code: 'idempotency_key_required',
  },
];

const holdIds = [
  ['a hold id without its journey', 'abcdef'],
  ['a hold id with an empty part', '12.'],
  ['journey 0', '0.abcdef'],
  ['a 65-character hold id', `1.${'a'.repeat(65)}`],
  ['a hold id with a dollar sign', '1.ab%24c'],
  ['a hold id with a newline', '1.ab%0Ac'],
] as const;

export const releaseCases: BadCase[] = [
  ...holdIds.map(([name, id]) => ({
    name: `DELETE /v1/holds/:holdId with ${name}`,
    method: 'DELETE' as const,
    path: () => `/v1/holds/${id}`,
    status: 422,
    code: 'invalid_input',
  })),
  {
    name: 'DELETE /v1/holds/:holdId on a journey the token does not cover',
    method: 'DELETE',
    path: () => '/v1/holds/2147483647.abcdef',
    status: 403,
    code: 'token_scope',
  },
  {
    name: 'DELETE /v1/holds/:holdId for a hold that does not exist',
    method: 'DELETE',
    path: (f) => `/v1/holds/${f.journeyId}.no-such-hold`,
    status: 404,
    code: 'hold_not_found',
  },
  {
    name: "DELETE /v1/holds/:holdId for someone else's hold",
    method: 'DELETE',
    path: (f) => `/v1/holds/${f.liveHoldId}`,
    status: 403,
    code: 'not_your_hold',
  },
  {
    name: 'DELETE /v1/holds/:holdId for a hold that became a booking',
    method: 'DELETE',
    path: (f) => `/v1/holds/${f.bookedHoldId}`,
    token: (f) => f.tokens.owner,
    status: 409,
    code: 'hold_booked',
  },
];

const journeyIds = [
  ['a word', 'abc'],
  ['0', '0'],
  ['-1', '-1'],
  ['1.5', '1.5'],
  ['11 digits', '99999999999'],
  ['300 digits', '9'.repeat(300)],
  ['a blank', '%20'],
] as const;

/** The token's journey, spelled in ways a path id should not accept. */
const journeySpellings: Array<[string, (journeyId: number) => string]> = [
  ['the journey in hex', (j) => `0x${j.toString(16)}`],
  ['the journey with an exponent', (j) => `${j}e0`],
  ['the journey with a decimal point', (j) => `${j}.0`],
  ['the journey with a plus sign', (j) => `%2B${j}`],
];

export const availabilityCases: BadCase[] = [
  ...journeyIds.map(([name, id]) => ({
    name: `GET /v1/journeys/:journeyId/availability with ${name}`,
    method: 'GET' as const,
    path: () => `/v1/journeys/${id}/availability`,
    status: 422,
    code: 'invalid_input',
  })),
  ...journeySpellings.map(([name, spell]) => ({
    name: `GET /v1/journeys/:journeyId/availability with ${name}`,
    method: 'GET' as const,
    path: (f: Fixtures) => `/v1/journeys/${spell(f.journeyId)}/availability`,
    status: 422,
    code: 'invalid_input',
  })),
  {
    name: 'GET /v1/journeys/:journeyId/availability with a room-wide token, for a journey that does not exist',
    method: 'GET',
    path: () => '/v1/journeys/2147483647/availability',
    token: (f) => f.tokens.roomWide,
    status: 404,
    code: 'journey_not_found',
  },
  {
    name: 'GET /v1/journeys/:journeyId/availability for a journey the token does not cover',
    method: 'GET',
    path: (f) => `/v1/journeys/${f.journeyId + 1}/availability`,
    status: 403,
    code: 'token_scope',
  },
];

const waitlistRefusals: Array<[string, Fx<unknown>, readonly [number, string]]> = [
  ['with {}', () => ({}), invalid],
  ['with no passengers', (f) => ({ ...pool(f), passengers: [] }), invalid],
  [
    'with a bad passenger',
    (f) => ({ ...pool(f), passengers: [{ ...passenger, age: -5 }] }),
    invalid,
  ],
  [
    'with five passengers on Tatkal',
    (f) => ({ ...pool(f), passengers: Array(5).fill(passenger) }),
    invalid,
  ],
  ['with an unknown member', (f) => ({ ...waitlist(f), priority: 1 }), invalid],
  ['for Premium Tatkal', (f) => ({ ...waitlist(f), quota: 'PT' }), [422, 'waitlist_not_offered']],
  [
    'for a class the token does not cover',
    (f) => ({ ...waitlist(f), classCode: '1A' }),
    [403, 'token_scope'],
  ],
  [
    'with a 9 KB body',
    (f) => ({ ...waitlist(f), pad: 'x'.repeat(9_000) }),
    [413, 'body_too_large'],
  ],
];

export const waitlistCases: BadCase[] = waitlistRefusals.map(([name, json, [status, code]]) => ({
  name: `POST /v1/waitlist ${name}`,
  method: 'POST',
  path: () => '/v1/waitlist',
  json,
  status,
  code,
}));
