// The railway the demo sale sells: one long-distance train with every berth
// class, between two of the busiest Tatkal stations.
import type { NewFare, NewStation, NewTatkalChargeRule, NewTrain } from '../schema/index.ts';
import type { ClassCode } from '../schema/vocabulary.ts';

export const demoStations: NewStation[] = [
  { code: 'HWH', name: 'Howrah Jn' },
  { code: 'DHN', name: 'Dhanbad Jn' },
  { code: 'GAYA', name: 'Gaya Jn' },
  { code: 'PRYJ', name: 'Prayagraj Jn' },
  { code: 'CNB', name: 'Kanpur Central' },
  { code: 'NDLS', name: 'New Delhi' },
];

export const demoTrain = {
  number: '12381',
  name: 'Poorva Express',
  fromStationCode: 'HWH',
  toStationCode: 'NDLS',
} as const satisfies NewTrain;

/** Departure from the origin, Indian time. */
export const demoDepartureTime = '08:05';

/** The rake from the engine end: 1 first AC, 2 two-tier, 4 three-tier, 8 sleeper coaches. */
export const demoComposition: readonly { code: string; classCode: ClassCode }[] = [
  { code: 'H1', classCode: '1A' },
  { code: 'A1', classCode: '2A' },
  { code: 'A2', classCode: '2A' },
  ...['B1', 'B2', 'B3', 'B4'].map((code) => ({ code, classCode: '3A' as const })),
  ...['S1', 'S2', 'S3', 'S4', 'S5', 'S6', 'S7', 'S8'].map((code) => ({
    code,
    classCode: 'SL' as const,
  })),
];

/** Base fares Howrah to New Delhi (about 1,450 km), before Tatkal charges. */
export const demoFares: NewFare[] = [
  { trainNumber: demoTrain.number, classCode: '1A', baseFarePaise: 412_000 },
  { trainNumber: demoTrain.number, classCode: '2A', baseFarePaise: 243_000 },
  { trainNumber: demoTrain.number, classCode: '3A', baseFarePaise: 168_000 },
  { trainNumber: demoTrain.number, classCode: 'SL', baseFarePaise: 64_500 },
];

/** Railway Board's Tatkal charges: 30% of base fare within a per-class band. First AC has none. */
export const tatkalCharges: NewTatkalChargeRule[] = [
  { classCode: '2A', percentOfBaseFare: 30, minChargePaise: 40_000, maxChargePaise: 50_000 },
  { classCode: '3A', percentOfBaseFare: 30, minChargePaise: 30_000, maxChargePaise: 40_000 },
  { classCode: 'SL', percentOfBaseFare: 30, minChargePaise: 10_000, maxChargePaise: 20_000 },
];
