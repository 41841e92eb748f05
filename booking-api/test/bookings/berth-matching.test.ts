import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { PassengerPreference, SeatBerth } from '../../src/bookings/berth-matching.ts';
import { generatePnr, matchBerths } from '../../src/bookings/index.ts';

const seat = (seatId: number, berthType: SeatBerth['berthType']): SeatBerth => ({
  seatId,
  berthType,
});
const who = (ordinal: number, berthPreference: PassengerPreference['berthPreference']) => ({
  ordinal,
  berthPreference,
});

describe('matchBerths', () => {
  it.each<[string, PassengerPreference[], SeatBerth[], Array<[number, number]>]>([
    [
      'no preferences: passengers in order on seats in id order',
      [who(1, null), who(2, null)],
      [seat(20, 'UB'), seat(10, 'LB')],
      [
        [1, 10],
        [2, 20],
      ],
    ],
    [
      'each preference granted',
      [who(1, 'UB'), who(2, 'LB')],
      [seat(10, 'LB'), seat(20, 'UB')],
      [
        [1, 20],
        [2, 10],
      ],
    ],
    [
      'preferences first, then the others in seat order',
      [who(1, null), who(2, 'LB'), who(3, 'SL')],
      [seat(10, 'LB'), seat(11, 'SL'), seat(12, 'LB')],
      [
        [1, 12],
        [2, 10],
        [3, 11],
      ],
    ],
    [
      'an impossible preference falls back to the lowest free seat',
      [who(1, 'SU'), who(2, 'UB')],
      [seat(10, 'LB'), seat(11, 'UB')],
      [
        [1, 10],
        [2, 11],
      ],
    ],
    [
      'two wanting one lower berth: the lower ordinal gets it',
      [who(1, 'LB'), who(2, 'LB')],
      [seat(10, 'UB'), seat(11, 'LB')],
      [
        [1, 11],
        [2, 10],
      ],
    ],
  ])('%s', (_case, people, seats, expected) => {
    expect(matchBerths(people, seats).map((p) => [p.ordinal, p.seatId])).toEqual(expected);
  });

  it('seats everyone once and grants as many preferences as possible', () => {
    const berth = fc.constantFrom('LB', 'MB', 'UB', 'SL', 'SU' as const);
    fc.assert(
      fc.property(
        fc.array(fc.tuple(berth, fc.option(berth, { nil: null })), { minLength: 1, maxLength: 6 }),
        (pairs) => {
          const seats = pairs.map(([type], i) => seat(100 + i, type));
          const people = pairs.map(([, pref], i) => who(i + 1, pref));
          const placed = matchBerths(people, seats);
          expect(new Set(placed.map((p) => p.seatId)).size).toBe(seats.length);
          expect(placed.map((p) => p.ordinal)).toEqual(people.map((p) => p.ordinal));
          // No other assignment grants more preferences (brute force over permutations).
          const granted = (order: number[]) =>
            order.filter((s, p) => seats[s]?.berthType === people[p]?.berthPreference).length;
          const best = Math.max(...permutations(seats.map((_, i) => i)).map(granted));
          const got = placed.map((p) => seats.findIndex((s) => s.seatId === p.seatId));
          expect(granted(got)).toBe(best);
        },
      ),
    );
  });
});

function permutations(items: number[]): number[][] {
  if (items.length <= 1) return [items];
  return items.flatMap((item, i) =>
    permutations([...items.slice(0, i), ...items.slice(i + 1)]).map((rest) => [item, ...rest]),
  );
}

describe('generatePnr', () => {
  it('is ten digits with a non-zero first digit, and does not repeat in 10,000 draws', () => {
    const pnrs = Array.from({ length: 10_000 }, generatePnr);
    for (const pnr of pnrs) expect(pnr).toMatch(/^[1-9][0-9]{9}$/);
    expect(new Set(pnrs).size).toBe(pnrs.length);
    // Not sequential: consecutive draws are far apart on average.
    const gaps = pnrs.slice(1).map((pnr, i) => Math.abs(Number(pnr) - Number(pnrs[i])));
    expect(gaps.reduce((a, b) => a + b, 0) / gaps.length).toBeGreaterThan(1e9);
    // Every leading digit 1-9 shows up.
    expect(new Set(pnrs.map((pnr) => pnr[0])).size).toBe(9);
  });
});
