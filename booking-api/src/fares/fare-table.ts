// One train's fares and the Tatkal charge rules, loaded once so many quotes
// (and a property test) can be priced without a database round trip.
import { fares, tatkalChargeRules } from '@tatkal/drizzle';
import type { ClassCode } from '@tatkal/drizzle/schema';
import { eq } from 'drizzle-orm';
import type { Executor } from '../domain/index.ts';

export interface TatkalChargeRule {
  percentOfBaseFare: number;
  minChargePaise: number;
  maxChargePaise: number;
}

export interface FareTable {
  trainNumber: string;
  /** Base fare per passenger, by class. */
  baseFarePaise: Partial<Record<ClassCode, number>>;
  /** A class without a rule (First AC) sells no Tatkal or Premium Tatkal. */
  tatkalCharges: Partial<Record<ClassCode, TatkalChargeRule>>;
}

export async function loadFareTable(db: Executor, trainNumber: string): Promise<FareTable> {
  // Sequential: inside a transaction both queries share one connection.
  const baseRows = await db.select().from(fares).where(eq(fares.trainNumber, trainNumber));
  const ruleRows = await db.select().from(tatkalChargeRules);
  const table: FareTable = { trainNumber, baseFarePaise: {}, tatkalCharges: {} };
  for (const row of baseRows) table.baseFarePaise[row.classCode] = row.baseFarePaise;
  for (const row of ruleRows) {
    table.tatkalCharges[row.classCode] = {
      percentOfBaseFare: row.percentOfBaseFare,
      minChargePaise: row.minChargePaise,
      maxChargePaise: row.maxChargePaise,
    };
  }
  return table;
}

export function isFareTable(value: unknown): value is FareTable {
  return typeof value === 'object' && value !== null && 'tatkalCharges' in value;
}
