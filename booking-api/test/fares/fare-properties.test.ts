import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type FareTable, percentOf, premiumCapPercent, priceFare } from '../../src/fares/index.ts';

const classes = ['2A', '3A', 'SL'] as const;

const fareTable = fc
  .record({
    base: fc.integer({ min: 100, max: 2_000_000 }),
    percent: fc.integer({ min: 1, max: 100 }),
    min: fc.integer({ min: 0, max: 100_000 }),
    spread: fc.integer({ min: 0, max: 100_000 }),
  })
  .map(
    ({ base, percent, min, spread }): FareTable => ({
      trainNumber: '12381',
      baseFarePaise: { '2A': base, '3A': base, SL: base },
      tatkalCharges: Object.fromEntries(
        classes.map((c) => [
          c,
          { percentOfBaseFare: percent, minChargePaise: min, maxChargePaise: min + spread },
        ]),
      ),
    }),
  );

// Two fills of one quota, a <= b, plus the passenger count.
const twoFills = fc
  .integer({ min: 1, max: 500 })
  .chain((capacity) =>
    fc.tuple(
      fc.constant(capacity),
      fc.integer({ min: 0, max: capacity }),
      fc.integer({ min: 0, max: capacity }),
      fc.integer({ min: 1, max: 4 }),
    ),
  )
  .map(([capacity, x, y, passengers]) => ({
    capacity,
    low: Math.min(x, y),
    high: Math.max(x, y),
    passengers,
  }));

const pt = (table: FareTable, sold: number, capacity: number, passengers: number) =>
  priceFare(table, {
    trainNumber: '12381',
    classCode: '3A',
    quota: 'PT',
    passengers,
    quotaFill: { sold, capacity },
  });

describe('fare properties', () => {
  it('PT fare never decreases as the quota fills', () => {
    fc.assert(
      fc.property(fareTable, twoFills, (table, { capacity, low, high, passengers }) => {
        expect(pt(table, low, capacity, passengers).totalPaise).toBeLessThanOrEqual(
          pt(table, high, capacity, passengers).totalPaise,
        );
      }),
    );
  });

  it('PT fare never decreases with the fill fraction, across quota sizes', () => {
    fc.assert(
      fc.property(
        fareTable,
        fc.integer({ min: 1, max: 300 }),
        fc.integer({ min: 1, max: 300 }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        (table, capA, capB, f, g) => {
          const a = { sold: Math.floor(Math.min(f, g) * capA), capacity: capA };
          const b = { sold: Math.ceil(Math.max(f, g) * capB), capacity: capB };
          // Only compare when a's fraction really is the smaller one.
          fc.pre(a.sold * b.capacity <= b.sold * a.capacity);
          expect(pt(table, a.sold, a.capacity, 1).totalPaise).toBeLessThanOrEqual(
            pt(table, b.sold, b.capacity, 1).totalPaise,
          );
        },
      ),
    );
  });

  it('the premium surcharge is capped at 80 % of the base fare', () => {
    fc.assert(
      fc.property(fareTable, twoFills, (table, { capacity, high, passengers }) => {
        const fare = pt(table, high, capacity, passengers);
        expect(fare.premiumSurchargePaise).toBeLessThanOrEqual(
          percentOf(fare.baseFarePaise / passengers, premiumCapPercent) * passengers,
        );
        expect(fare.premiumSurchargePaise).toBeGreaterThan(0);
      }),
    );
  });

  it('total is the sum of its parts and each quota adds only its own charges', () => {
    fc.assert(
      fc.property(
        fareTable,
        fc.constantFrom(...classes),
        fc.constantFrom('GN', 'TQ', 'PT'),
        fc.integer({ min: 1, max: 6 }),
        fc.integer({ min: 0, max: 16 }),
        (table, classCode, quota, passengers, sold) => {
          const fare = priceFare(table, {
            trainNumber: '12381',
            classCode,
            quota,
            passengers,
            quotaFill: { sold, capacity: 16 },
          });
          expect(fare.totalPaise).toBe(
            fare.baseFarePaise + fare.tatkalChargePaise + fare.premiumSurchargePaise,
          );
          expect(fare.baseFarePaise).toBe((table.baseFarePaise[classCode] ?? 0) * passengers);
          const rule = table.tatkalCharges[classCode];
          if (quota === 'GN') expect(fare.tatkalChargePaise).toBe(0);
          else if (rule) {
            expect(fare.tatkalChargePaise).toBeGreaterThanOrEqual(rule.minChargePaise * passengers);
            expect(fare.tatkalChargePaise).toBeLessThanOrEqual(rule.maxChargePaise * passengers);
          }
          if (quota !== 'PT') expect(fare.premiumSurchargePaise).toBe(0);
        },
      ),
    );
  });
});
