// Hostile bodies for the endpoints that create something: holds and bookings.
import {
  auto,
  type BadCase,
  booking,
  books,
  holds,
  invalid,
  passenger,
  pool,
  two,
} from './case.ts';

export const holdCases: BadCase[] = [
  {
    ...holds('with a body that is not JSON', () => undefined, [400, 'malformed_request']),
    raw: () => '{"journeyId":',
  },
  {
    ...holds('with an empty body', () => undefined, [400, 'malformed_request']),
    raw: () => '',
  },
  holds('with null', () => null, invalid),
  holds('with an array', () => [1, 2], invalid),
  holds('with a number', () => 42, invalid),
  holds('with {}', () => ({}), invalid),
  holds('with an unknown member', (f) => ({ ...auto(f), admin: true }), invalid),
  holds(
    'with __proto__',
    (f) =>
      JSON.parse(
        `{"__proto__":{"admin":true},"journeyId":${f.journeyId},"classCode":"SL","quota":"TQ","berths":{"count":1,"preferences":[null]}}`,
      ),
    invalid,
  ),
  {
    ...holds(
      'with journeyId as a string',
      (f) => ({ ...auto(f), journeyId: String(f.journeyId) }),
      invalid,
    ),
  },
  {
    ...holds('with journeyId true', (f) => ({ ...auto(f), journeyId: true }), invalid),
  },
  {
    ...holds(
      'with journeyId as an array',
      (f) => ({ ...auto(f), journeyId: [f.journeyId] }),
      invalid,
    ),
  },
  holds('with journeyId 0', (f) => ({ ...auto(f), journeyId: 0 }), invalid),
  holds('with journeyId -1', (f) => ({ ...auto(f), journeyId: -1 }), invalid),
  holds('with journeyId 1.5', (f) => ({ ...auto(f), journeyId: 1.5 }), invalid),
  holds('with journeyId 2^31', (f) => ({ ...auto(f), journeyId: 2 ** 31 }), invalid),
  holds('with journeyId 1e308', (f) => ({ ...auto(f), journeyId: 1e308 }), invalid),
  holds('with an unknown class', (f) => ({ ...auto(f), classCode: 'XX' }), invalid),
  holds('with a lower-case class', (f) => ({ ...auto(f), classCode: 'sl' }), invalid),
  holds('with an unknown quota', (f) => ({ ...auto(f), quota: 'ZZ' }), invalid),
  holds('with no seatIds and no berths', (f) => pool(f), invalid),
  holds(
    'with both seatIds and berths',
    (f) => ({ ...auto(f), seatIds: [f.seats.sleeperTatkal] }),
    invalid,
  ),
  holds('with seatIds []', (f) => ({ ...pool(f), seatIds: [] }), invalid),
  holds(
    'with seven seatIds',
    (f) => ({ ...pool(f), seatIds: [1, 2, 3, 4, 5, 6, 7].map((i) => f.seats.sleeperTatkal + i) }),
    invalid,
  ),
  holds(
    'with a seat named twice',
    (f) => ({ ...pool(f), seatIds: [f.seats.sleeperTatkal, f.seats.sleeperTatkal] }),
    invalid,
  ),
  holds('with seat id 0', (f) => ({ ...pool(f), seatIds: [0] }), invalid),
  {
    ...holds(
      'with a seat id as a string',
      (f) => ({ ...pool(f), seatIds: [String(f.seats.sleeperTatkal)] }),
      invalid,
    ),
  },
  holds('with a seat id null', (f) => ({ ...pool(f), seatIds: [null] }), invalid),
  holds(
    'with berths.count 0',
    (f) => ({ ...pool(f), berths: { count: 0, preferences: [] } }),
    invalid,
  ),
  holds(
    'with berths.count 7',
    (f) => ({ ...pool(f), berths: { count: 7, preferences: Array(7).fill(null) } }),
    invalid,
  ),
  holds(
    'with fewer preferences than berths',
    (f) => ({ ...pool(f), berths: { count: 2, preferences: [null] } }),
    invalid,
  ),
  holds(
    'with an unknown berth type',
    (f) => ({ ...pool(f), berths: { count: 1, preferences: ['XB'] } }),
    invalid,
  ),
  holds(
    'with an extra member in berths',
    (f) => ({ ...pool(f), berths: { count: 1, preferences: [null], all: true } }),
    invalid,
  ),
  holds(
    'with 1,000 nested arrays',
    (f) => ({ ...auto(f), seatIds: JSON.parse(`${'['.repeat(1000)}${']'.repeat(1000)}`) }),
    invalid,
  ),
  holds('with a 9 KB body', (f) => ({ ...auto(f), pad: 'x'.repeat(9_000) }), [
    413,
    'body_too_large',
  ]),
  holds('with a 2 MB body', (f) => ({ ...auto(f), pad: 'x'.repeat(2_000_000) }), [
    413,
    'body_too_large',
  ]),
  holds('with a seat that does not exist', (f) => ({ ...pool(f), seatIds: [2_147_483_647] }), [
    422,
    'unknown_seat',
  ]),
  holds(
    'with seats of two classes',
    (f) => ({ ...pool(f), seatIds: [f.seats.sleeperTatkal, f.seats.acTatkal] }),
    [422, 'mixed_class_or_quota'],
  ),
  holds(
    'with a seat of another class than asked',
    (f) => ({ ...pool(f), seatIds: [f.seats.acTatkal] }),
    [422, 'seat_class_mismatch'],
  ),
  holds(
    'with a seat of another quota than asked',
    (f) => ({ ...pool(f), seatIds: [f.seats.sleeperPremium] }),
    [422, 'seat_class_mismatch'],
  ),
  holds('for a class the token does not cover', (f) => ({ ...auto(f), classCode: '1A' }), [
    403,
    'token_scope',
  ]),
  holds('for a quota the token does not cover', (f) => ({ ...auto(f), quota: 'GN' }), [
    403,
    'token_scope',
  ]),
  holds(
    'for a journey the token does not cover',
    (f) => ({ ...auto(f), journeyId: f.journeyId + 1 }),
    [403, 'token_scope'],
  ),
  {
    ...holds(
      'with a room-wide token, for a journey that does not exist',
      (f) => ({ ...auto(f), journeyId: 2_147_483_647 }),
      [404, 'journey_not_found'],
    ),
    token: (f) => f.tokens.roomWide,
  },
  {
    ...holds('with text/plain', (f) => auto(f), [415, 'unsupported_media_type']),
    headers: () => ({ 'content-type': 'text/plain' }),
  },
  { ...holds('without an Idempotency-Key', auto, [400, 'idempotency_key_required']), key: false },
  {
    ...holds('with an Idempotency-Key with a space', auto, [422, 'idempotency_key_invalid']),
    key: () => 'a key',
  },
  {
    ...holds('with a 256-character Idempotency-Key', auto, [422, 'idempotency_key_invalid']),
    key: () => 'k'.repeat(256),
  },
  {
    ...holds('reusing an Idempotency-Key for another request', auto, [
      422,
      'idempotency_key_reused',
    ]),
    token: (f) => f.tokens.owner,
    key: (f) => f.usedKey,
  },
];

export const bookingCases: BadCase[] = [
  books(
    'with a malformed holdId',
    () => ({ holdId: 'not a hold', passengers: [passenger] }),
    invalid,
  ),
  books('with no passengers', (f) => booking(f, []), invalid),
  books('with seven passengers', (f) => booking(f, Array(7).fill(passenger)), invalid),
  books('with an empty name', (f) => booking(f, [{ ...passenger, name: '' }, passenger]), invalid),
  books(
    'with a blank name',
    (f) => booking(f, [{ ...passenger, name: '   ' }, passenger]),
    invalid,
    (f) => f.tokens.owner,
  ),
  books(
    'with a 65-character name',
    (f) => booking(f, [{ ...passenger, name: 'n'.repeat(65) }, passenger]),
    invalid,
  ),
  books(
    'with a NUL in a name',
    (f) => booking(f, [{ ...passenger, name: 'Asha\u0000' }, passenger]),
    invalid,
    (f) => f.tokens.owner,
  ),
  books(
    'with a right-to-left override in a name',
    (f) => booking(f, [{ ...passenger, name: 'Asha\u202e' }, passenger]),
    invalid,
    (f) => f.tokens.owner,
  ),
  books('with age -1', (f) => booking(f, [{ ...passenger, age: -1 }, passenger]), invalid),
  books('with age 126', (f) => booking(f, [{ ...passenger, age: 126 }, passenger]), invalid),
  books('with age 1.5', (f) => booking(f, [{ ...passenger, age: 1.5 }, passenger]), invalid),
  books('with age "30"', (f) => booking(f, [{ ...passenger, age: '30' }, passenger]), invalid),
  books(
    'with an unknown gender',
    (f) => booking(f, [{ ...passenger, gender: 'X' }, passenger]),
    invalid,
  ),
  books(
    'with an unknown berth preference',
    (f) => booking(f, [{ ...passenger, berthPreference: 'ZZ' }, passenger]),
    invalid,
  ),
  books(
    'without berthPreference',
    (f) => booking(f, [{ name: 'A', age: 3, gender: 'F' }, passenger]),
    invalid,
  ),
  books('with an unknown member', (f) => ({ ...booking(f, two), paid: true }), invalid),
  books(
    'with fewer passengers than held seats',
    (f) => booking(f, [passenger]),
    invalid,
    (f) => f.tokens.owner,
  ),
  books(
    'with five passengers on a Tatkal PNR',
    (f) => booking(f, Array(5).fill(passenger), f.bigHoldId),
    invalid,
    (f) => f.tokens.big,
  ),
  books('for a hold that does not exist', (f) => booking(f, two, `${f.journeyId}.no-such-hold`), [
    409,
    'hold_expired',
  ]),
  {
    ...books(
      'for a hold on a journey the token does not cover',
      () => ({ holdId: '2147483647.no-such-hold', passengers: two }),
      [403, 'token_scope'],
    ),
  },
  {
    ...books(
      'with a room-wide token, for a hold on a journey that does not exist',
      () => ({ holdId: '2147483647.no-such-hold', passengers: two }),
      [409, 'hold_expired'],
    ),
    token: (f) => f.tokens.roomWide,
  },
  books("for someone else's hold", (f) => booking(f, two), [403, 'not_your_hold']),
  books('with a 9 KB body', (f) => ({ ...booking(f, two), pad: 'x'.repeat(9_000) }), [
    413,
    'body_too_large',
  ]),
];
