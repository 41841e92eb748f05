import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import {
  type FareQuoteInput,
  type FareTable,
  premiumCapPercent,
  premiumPercent,
  priceFare,
  quoteFare,
} from '../../src/fares/index.ts';

// The demo catalogue's figures (drizzle/src/seed/demo-catalogue.ts), written out
// so a change to the seed does not silently change these expectations.
const demo: FareTable = {
  trainNumber: '12381',
  baseFarePaise: { '1A': 412_000, '2A': 243_000, '3A': 168_000, SL: 64_500 },
  tatkalCharges: {
    '2A': { percentOfBaseFare: 30, minChargePaise: 40_000, maxChargePaise: 50_000 },
    '3A': { percentOfBaseFare: 30, minChargePaise: 30_000, maxChargePaise: 40_000 },
    SL: { percentOfBaseFare: 30, minChargePaise: 10_000, maxChargePaise: 20_000 },
  },
};
// Bases that land under the minimum charge and on half paise.
const cheap: FareTable = {
  trainNumber: '00001',
  baseFarePaise: { SL: 20_000, '3A': 12_345 },
  tatkalCharges: {
    SL: { percentOfBaseFare: 30, minChargePaise: 10_000, maxChargePaise: 20_000 },
    '3A': { percentOfBaseFare: 30, minChargePaise: 0, maxChargePaise: 40_000 },
  },
};

type Case = [
  name: string,
  table: FareTable,
  input: Omit<FareQuoteInput, 'trainNumber'>,
  expected: [base: number, tatkal: number, premium: number, total: number],
];

const cases: Case[] = [
  [
    'GN 2A, one passenger',
    demo,
    { classCode: '2A', quota: 'GN', passengers: 1 },
    [243_000, 0, 0, 243_000],
  ],
  [
    'GN SL, six passengers',
    demo,
    { classCode: 'SL', quota: 'GN', passengers: 6 },
    [387_000, 0, 0, 387_000],
  ],
  [
    'GN 1A has a fare even without Tatkal',
    demo,
    { classCode: '1A', quota: 'GN', passengers: 2 },
    [824_000, 0, 0, 824_000],
  ],
  [
    'TQ 2A: 30 % is 72,900, clamped to the 50,000 maximum',
    demo,
    { classCode: '2A', quota: 'TQ', passengers: 1 },
    [243_000, 50_000, 0, 293_000],
  ],
  [
    'TQ 3A, two: 50,400 clamped to 40,000 each',
    demo,
    { classCode: '3A', quota: 'TQ', passengers: 2 },
    [336_000, 80_000, 0, 416_000],
  ],
  [
    'TQ SL, four: 19,350 each, inside the band',
    demo,
    { classCode: 'SL', quota: 'TQ', passengers: 4 },
    [258_000, 77_400, 0, 335_400],
  ],
  [
    'TQ SL cheap: 6,000 raised to the 10,000 minimum',
    cheap,
    { classCode: 'SL', quota: 'TQ', passengers: 1 },
    [20_000, 10_000, 0, 30_000],
  ],
  [
    'TQ half paisa rounds up: 30 % of 12,345 is 3,703.5',
    cheap,
    { classCode: '3A', quota: 'TQ', passengers: 1 },
    [12_345, 3_704, 0, 16_049],
  ],
  [
    'PT 3A empty quota: 10 % premium',
    demo,
    { classCode: '3A', quota: 'PT', passengers: 1, quotaFill: { sold: 0, capacity: 16 } },
    [168_000, 40_000, 16_800, 224_800],
  ],
  [
    'PT 3A, two, half full: 60 %',
    demo,
    { classCode: '3A', quota: 'PT', passengers: 2, quotaFill: { sold: 8, capacity: 16 } },
    [336_000, 80_000, 201_600, 617_600],
  ],
  [
    'PT 2A at 29 %: band 2, 30 %',
    demo,
    { classCode: '2A', quota: 'PT', passengers: 1, quotaFill: { sold: 29, capacity: 100 } },
    [243_000, 50_000, 72_900, 365_900],
  ],
  [
    'PT 2A at exactly 30 %: band 3, 40 %',
    demo,
    { classCode: '2A', quota: 'PT', passengers: 1, quotaFill: { sold: 30, capacity: 100 } },
    [243_000, 50_000, 97_200, 390_200],
  ],
  [
    'PT SL at 70 %: the 80 % cap',
    demo,
    { classCode: 'SL', quota: 'PT', passengers: 1, quotaFill: { sold: 7, capacity: 10 } },
    [64_500, 19_350, 51_600, 135_450],
  ],
  [
    'PT SL at 99 %: still capped',
    demo,
    { classCode: 'SL', quota: 'PT', passengers: 3, quotaFill: { sold: 99, capacity: 100 } },
    [193_500, 58_050, 154_800, 406_350],
  ],
  [
    'PT half paisa rounds up: 10 % of 12,345',
    cheap,
    { classCode: '3A', quota: 'PT', passengers: 1, quotaFill: { sold: 0, capacity: 4 } },
    [12_345, 3_704, 1_235, 17_284],
  ],
];

describe('priceFare', () => {
  it.each(cases)('%s', (_name, table, input, [base, tatkal, premium, total]) => {
    expect(priceFare(table, { trainNumber: table.trainNumber, ...input })).toEqual({
      baseFarePaise: base,
      tatkalChargePaise: tatkal,
      premiumSurchargePaise: premium,
      totalPaise: total,
    });
  });

  it.each<[string, Omit<FareQuoteInput, 'trainNumber'> & { trainNumber?: string }, string]>([
    [
      'TQ in First AC, which has no Tatkal rule',
      { classCode: '1A', quota: 'TQ', passengers: 1 },
      'fare_not_found',
    ],
    [
      'PT in First AC',
      { classCode: '1A', quota: 'PT', passengers: 1, quotaFill: { sold: 0, capacity: 1 } },
      'fare_not_found',
    ],
    [
      'another train',
      { trainNumber: '99999', classCode: '2A', quota: 'GN', passengers: 1 },
      'fare_not_found',
    ],
    ['PT without a fill', { classCode: '2A', quota: 'PT', passengers: 1 }, 'invalid_input'],
    [
      'PT with more sold than capacity',
      { classCode: '2A', quota: 'PT', passengers: 1, quotaFill: { sold: 5, capacity: 4 } },
      'invalid_input',
    ],
    [
      'PT with no capacity',
      { classCode: '2A', quota: 'PT', passengers: 1, quotaFill: { sold: 0, capacity: 0 } },
      'invalid_input',
    ],
    ['no passengers', { classCode: '2A', quota: 'GN', passengers: 0 }, 'invalid_input'],
    ['half a passenger', { classCode: '2A', quota: 'GN', passengers: 1.5 }, 'invalid_input'],
  ])('refuses %s', (_name, input, code) => {
    expect(() => priceFare(demo, { trainNumber: demo.trainNumber, ...input })).toThrow(
      expect.objectContaining({ code }),
    );
  });

  it('quoteFare prices from a loaded table without a database', async () => {
    await expect(
      quoteFare(demo, { trainNumber: '12381', classCode: 'SL', quota: 'TQ', passengers: 1 }),
    ).resolves.toMatchObject({ totalPaise: 83_850 });
  });
});

describe('the premium curve', () => {
  it('matches the table in docs/fares.md, band by band', async () => {
    const doc = await readFile(new URL('../../../docs/fares.md', import.meta.url), 'utf8');
    const rows = [...doc.matchAll(/^\| (\d+) % to (?:under )?(\d+) % +\| (\d+) +\|$/gm)];
    expect(rows).toHaveLength(10);
    for (const [, from, to, percent] of rows) {
      const low = Number(from);
      const high = Number(to);
      // The first and the last sold count of the band, out of 1,000 seats.
      const edges = [low * 10, high === 100 ? 1_000 : high * 10 - 1];
      for (const sold of edges) {
        expect(premiumPercent({ sold, capacity: 1_000 }), `${sold}/1000`).toBe(Number(percent));
      }
    }
  });

  it('never passes the cap', () => {
    expect(premiumPercent({ sold: 1, capacity: 1 })).toBe(premiumCapPercent);
  });
});
