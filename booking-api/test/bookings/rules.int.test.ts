// Every refused request is refused with its code and leaves the booking tables
// exactly as they were (compared by row count and a hash of every row).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CreateBookingInput, createBooking, expireBooking } from '../../src/bookings/index.ts';
import { bookingRequest, fingerprint, openSale, passengers, type Sale } from './support.ts';

let sale: Sale;
let tq: number[];
let gn: number[];
let pt: number[];
// The refused cases all ask for the first two TQ seats: nothing ever books them,
// so a wrongly accepted request shows up in the fingerprint. Accepted requests
// take fresh seats from the third on.
let next = 2;
const tqSeats = (n: number) => {
  const seats = tq.slice(next, next + n);
  next += n;
  return seats;
};

beforeAll(async () => {
  sale = await openSale();
  tq = await sale.seatIds('3A', 'TQ');
  gn = await sale.seatIds('3A', 'GN');
  pt = await sale.seatIds('3A', 'PT');
});
afterAll(() => sale.close());

type Mutation = (base: CreateBookingInput) => CreateBookingInput;
const name =
  (value: string): Mutation =>
  (b) => ({
    ...b,
    passengers: passengers(b.seatIds.length, { name: value }),
  });
const field =
  (key: string, value: unknown): Mutation =>
  (b) => ({
    ...b,
    passengers: b.passengers.map((p, i) => (i === 0 ? { ...p, [key]: value } : p)),
  });
const withPassengers =
  (n: number, seats: () => number[]): Mutation =>
  (b) => ({ ...b, seatIds: seats(), passengers: passengers(n) });

const refusals: Array<[string, Mutation, string, string?]> = [
  ['no passengers', (b) => ({ ...b, passengers: [], seatIds: [] }), 'invalid_input', 'passengers'],
  [
    'five passengers on Tatkal',
    withPassengers(5, () => tq.slice(0, 5)),
    'invalid_input',
    'passengers',
  ],
  [
    'five passengers on Premium Tatkal',
    (b) => ({ ...b, quota: 'PT', seatIds: pt.slice(0, 5), passengers: passengers(5) }),
    'invalid_input',
    'passengers',
  ],
  [
    'seven passengers on general quota',
    (b) => ({
      ...b,
      roomId: null,
      quota: 'GN',
      seatIds: gn.slice(0, 7),
      passengers: passengers(7),
    }),
    'invalid_input',
    'passengers',
  ],
  [
    'fewer seats than passengers',
    (b) => ({ ...b, seatIds: b.seatIds.slice(0, 1) }),
    'invalid_input',
    'seatIds',
  ],
  [
    'one seat twice',
    (b) => ({ ...b, seatIds: [b.seatIds[0] ?? 0, b.seatIds[0] ?? 0] }),
    'invalid_input',
    'seatIds',
  ],
  ['an empty name', name(''), 'invalid_input', 'passengers.0.name'],
  ['a blank name', name('   '), 'invalid_input', 'passengers.0.name'],
  ['a 65-character name', name('A'.repeat(65)), 'invalid_input', 'passengers.0.name'],
  ['a NUL in a name', name('Ravi\u0000Kumar'), 'invalid_input', 'passengers.0.name'],
  ['a newline in a name', name('Ravi\nKumar'), 'invalid_input', 'passengers.0.name'],
  [
    'a right-to-left override in a name',
    name('Ravi\u202eKumar'),
    'invalid_input',
    'passengers.0.name',
  ],
  ['a negative age', field('age', -1), 'invalid_input', 'passengers.0.age'],
  ['age 126', field('age', 126), 'invalid_input', 'passengers.0.age'],
  ['a fractional age', field('age', 30.5), 'invalid_input', 'passengers.0.age'],
  ['an age as text', field('age', '30'), 'invalid_input', 'passengers.0.age'],
  ['gender X', field('gender', 'X'), 'invalid_input', 'passengers.0.gender'],
  ['gender in lower case', field('gender', 'm'), 'invalid_input', 'passengers.0.gender'],
  [
    'an unknown berth preference',
    field('berthPreference', 'WINDOW'),
    'invalid_input',
    'passengers.0.berthPreference',
  ],
  ['a chair-car class', (b) => ({ ...b, classCode: 'CC' as never }), 'invalid_input', 'classCode'],
  ['an unknown quota', (b) => ({ ...b, quota: 'LD' as never }), 'invalid_input', 'quota'],
  ['an empty hold id', (b) => ({ ...b, holdId: '' }), 'invalid_input', 'holdId'],
  ['an empty subject', (b) => ({ ...b, subject: '' }), 'invalid_input', 'subject'],
  [
    'a zero payment window',
    (b) => ({ ...b, paymentWindowMs: 0 }),
    'invalid_input',
    'paymentWindowMs',
  ],
  [
    'a journey that does not exist',
    (b) => ({ ...b, journeyId: 999_999 }),
    'invalid_input',
    'journeyId',
  ],
  [
    'general-quota seats asked for as Tatkal',
    (b) => ({ ...b, seatIds: gn.slice(0, 2) }),
    'seat_unavailable',
  ],
  [
    'a seat that does not exist',
    (b) => ({ ...b, seatIds: [b.seatIds[0] ?? 0, 987_654_321] }),
    'seat_unavailable',
  ],
  ['Tatkal seats asked for as Premium Tatkal', (b) => ({ ...b, quota: 'PT' }), 'seat_unavailable'],
  ['before the room opens', (b) => ({ ...b, nowMs: b.nowMs - 120_000 }), 'sale_not_open'],
  ['after the room closes', (b) => ({ ...b, nowMs: b.nowMs + 4 * 3_600_000 }), 'sale_not_open'],
  ['a class the room does not sell', (b) => ({ ...b, classCode: '1A' }), 'sale_not_open'],
  [
    'general quota through a Tatkal room',
    (b) => ({ ...b, quota: 'GN', seatIds: gn.slice(2, 4) }),
    'sale_not_open',
  ],
  ['a room that does not exist', (b) => ({ ...b, roomId: 'no-such-room' }), 'sale_not_open'],
];

describe('createBooking refuses bad input without changing state', () => {
  it.each(refusals)('refuses %s with %s', async (_case, mutate, code, path) => {
    const request = mutate(bookingRequest(sale, tq.slice(0, 2)));
    const before = await fingerprint(sale);
    const refusal = await createBooking(sale.deps, request).then(
      () => undefined,
      (error: unknown) => error,
    );
    expect(refusal).toMatchObject({ code });
    if (path !== undefined) {
      expect((refusal as { errors: Array<{ path: string }> }).errors.map((e) => e.path)).toContain(
        path,
      );
    }
    expect(await fingerprint(sale)).toEqual(before);
  });

  // Positive controls: the edges of each rule are accepted, and an accepted
  // request does change the fingerprint, so the comparison above can fail.
  it.each<[string, Mutation]>([
    ['a Hindi name', name('राम कुमार')],
    ['a name with a zero-width joiner', name('क्\u200dष')],
    ['an apostrophe and a hyphen', name("D'Souza-Iyer")],
    ['a 64-character name', name('A'.repeat(64))],
    ['age 0 and gender T', (b) => ({ ...b, passengers: passengers(2, { age: 0, gender: 'T' }) })],
    ['age 125', field('age', 125)],
    ['four passengers on Tatkal', withPassengers(4, () => tqSeats(4))],
    [
      'six passengers on general quota',
      (b) => ({
        ...b,
        roomId: null,
        quota: 'GN',
        seatIds: gn.slice(10, 16),
        passengers: passengers(6),
      }),
    ],
  ])('accepts %s', async (_case, mutate) => {
    const before = await fingerprint(sale);
    const booking = await createBooking(sale.deps, mutate(bookingRequest(sale, tqSeats(2))));
    expect(booking.status).toBe('PENDING_PAYMENT');
    expect(await fingerprint(sale)).not.toEqual(before);
  });

  it('trims names before storing them', async () => {
    const booking = await createBooking(
      sale.deps,
      name('  Asha Rao  ')(bookingRequest(sale, tqSeats(1))),
    );
    const rows = await sale.client.pool.query('select name from passengers where booking_id = $1', [
      booking.bookingId,
    ]);
    expect(rows.rows).toEqual([{ name: 'Asha Rao' }]);
  });
});

describe('the Tatkal limit', () => {
  it('refuses a third live Tatkal PNR of one subject in one sale window', async () => {
    const subject = 'limit-subject';
    const first = await createBooking(sale.deps, bookingRequest(sale, tqSeats(1), { subject }));
    // Premium Tatkal counts too.
    await createBooking(
      sale.deps,
      bookingRequest(sale, pt.slice(10, 11), { subject, quota: 'PT' }),
    );
    const before = await fingerprint(sale);
    await expect(
      createBooking(sale.deps, bookingRequest(sale, tqSeats(1), { subject })),
    ).rejects.toMatchObject({ code: 'tatkal_limit', status: 409 });
    expect(await fingerprint(sale)).toEqual(before);

    // General quota is not limited.
    await createBooking(
      sale.deps,
      bookingRequest(sale, gn.slice(20, 21), { subject, quota: 'GN', roomId: null }),
    );
    // An expired booking no longer counts.
    const later = sale.nowMs + 300_001;
    expect(await expireBooking(sale.deps, first.bookingId, later)).toMatchObject({ expired: true });
    await expect(
      createBooking(sale.deps, bookingRequest(sale, tqSeats(1), { subject, nowMs: later })),
    ).resolves.toMatchObject({ status: 'PENDING_PAYMENT' });
  });

  it('holds when one subject commits many holds at once', async () => {
    const subject = 'racing-subject';
    const results = await Promise.allSettled(
      Array.from({ length: 8 }, () =>
        createBooking(sale.deps, bookingRequest(sale, tqSeats(1), { subject })),
      ),
    );
    const codes = results.map((r) => (r.status === 'fulfilled' ? 'ok' : r.reason.code));
    expect(codes.filter((c) => c === 'ok')).toHaveLength(2);
    expect(codes.filter((c) => c === 'tatkal_limit')).toHaveLength(6);
  });
});
