// The price of a booking: base fare per passenger, the Tatkal charge for TQ
// and PT, and Premium Tatkal's fill-dependent surcharge. All integer paise.
import type { ClassCode, Quota } from '@tatkal/drizzle/schema';
import type { Executor } from '../domain/index.ts';
import { FareNotFound, InvalidInput } from '../domain/index.ts';
import { type FareTable, isFareTable, loadFareTable } from './fare-table.ts';
import { premiumPercent, type QuotaFill } from './premium-curve.ts';

export interface FareQuoteInput {
  trainNumber: string;
  classCode: ClassCode;
  quota: Quota;
  /** Number of passengers; every passenger pays full fare (Tatkal has no concessions). */
  passengers: number;
  /** Required for PT: how full its quota was before this booking. */
  quotaFill?: QuotaFill;
}

export interface FareBreakdown {
  baseFarePaise: number;
  tatkalChargePaise: number;
  premiumSurchargePaise: number;
  totalPaise: number;
}

/** `percent` % of `paise`, rounded half up to a whole paisa. */
export function percentOf(paise: number, percent: number): number {
  return Math.floor((paise * percent + 50) / 100);
}

/** Prices a booking from a loaded fare table; pure, so it can be tested exhaustively. */
export function priceFare(table: FareTable, input: FareQuoteInput): FareBreakdown {
  const { classCode, quota, passengers } = input;
  if (!Number.isInteger(passengers) || passengers < 1) {
    throw new InvalidInput([{ path: 'passengers', message: 'must be a whole number from 1' }]);
  }
  const base = input.trainNumber === table.trainNumber ? table.baseFarePaise[classCode] : undefined;
  if (base === undefined) {
    throw new FareNotFound(`Train ${input.trainNumber} has no ${classCode} fare.`);
  }
  let tatkalCharge = 0;
  let premium = 0;
  if (quota === 'TQ' || quota === 'PT') {
    const rule = table.tatkalCharges[classCode];
    if (rule === undefined) throw new FareNotFound(`Class ${classCode} has no Tatkal quota.`);
    const charge = percentOf(base, rule.percentOfBaseFare);
    tatkalCharge = Math.min(rule.maxChargePaise, Math.max(rule.minChargePaise, charge));
  }
  if (quota === 'PT') {
    const fill = input.quotaFill;
    if (
      fill === undefined ||
      !Number.isInteger(fill.sold) ||
      !Number.isInteger(fill.capacity) ||
      fill.capacity < 1 ||
      fill.sold < 0 ||
      fill.sold > fill.capacity
    ) {
      throw new InvalidInput([
        { path: 'quotaFill', message: 'PT needs sold and capacity with 0 <= sold <= capacity' },
      ]);
    }
    premium = percentOf(base, premiumPercent(fill));
  }
  const breakdown = {
    baseFarePaise: base * passengers,
    tatkalChargePaise: tatkalCharge * passengers,
    premiumSurchargePaise: premium * passengers,
  };
  return {
    ...breakdown,
    totalPaise:
      breakdown.baseFarePaise + breakdown.tatkalChargePaise + breakdown.premiumSurchargePaise,
  };
}

/** Prices a booking from a loaded table, or loads the train's fares first. */
export async function quoteFare(
  source: Executor | FareTable,
  input: FareQuoteInput,
): Promise<FareBreakdown> {
  const table = isFareTable(source) ? source : await loadFareTable(source, input.trainNumber);
  return priceFare(table, input);
}
