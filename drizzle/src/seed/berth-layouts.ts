// Berth layouts of ICF coaches as Indian Railways numbers them, and which
// berths of each coach are set aside for Tatkal and Premium Tatkal.
import type { BerthType, ClassCode, Quota } from '../schema/vocabulary.ts';

export interface BerthLayout {
  berths: number;
  /** Berth types of one bay, repeated along the coach: berth n is bay[(n - 1) % bay.length]. */
  bay: readonly BerthType[];
  /** Inclusive berth ranges per quota; berths outside them are general quota. */
  tatkal?: readonly [number, number];
  premiumTatkal?: readonly [number, number];
}

export const berthLayouts: Record<ClassCode, BerthLayout> = {
  // First AC: cabins and coupes of lower and upper berths. No Tatkal quota in 1A.
  '1A': { berths: 24, bay: ['LB', 'UB'] },
  '2A': {
    berths: 48,
    bay: ['LB', 'UB', 'LB', 'UB', 'SL', 'SU'],
    tatkal: [13, 24],
    premiumTatkal: [25, 28],
  },
  '3A': {
    berths: 64,
    bay: ['LB', 'MB', 'UB', 'LB', 'MB', 'UB', 'SL', 'SU'],
    tatkal: [17, 32],
    premiumTatkal: [33, 36],
  },
  SL: {
    berths: 72,
    bay: ['LB', 'MB', 'UB', 'LB', 'MB', 'UB', 'SL', 'SU'],
    tatkal: [17, 36],
    premiumTatkal: [37, 40],
  },
};

export interface Berth {
  berthNumber: number;
  berthType: BerthType;
  quota: Quota;
}

function within(n: number, range: readonly [number, number] | undefined): boolean {
  return range !== undefined && range[0] <= n && n <= range[1];
}

/** Every berth of a coach of `classCode`, numbered from 1. */
export function coachBerths(classCode: ClassCode): Berth[] {
  const layout = berthLayouts[classCode];
  const berths: Berth[] = [];
  for (let berthNumber = 1; berthNumber <= layout.berths; berthNumber++) {
    const berthType = layout.bay[(berthNumber - 1) % layout.bay.length];
    if (berthType === undefined) throw new Error(`empty bay layout for ${classCode}`);
    const quota: Quota = within(berthNumber, layout.tatkal)
      ? 'TQ'
      : within(berthNumber, layout.premiumTatkal)
        ? 'PT'
        : 'GN';
    berths.push({ berthNumber, berthType, quota });
  }
  return berths;
}
