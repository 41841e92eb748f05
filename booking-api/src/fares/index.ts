// Fares: what a booking costs, including Premium Tatkal's fill-dependent surcharge.
export {
  type FareTable,
  isFareTable,
  loadFareTable,
  type TatkalChargeRule,
} from './fare-table.ts';
export {
  premiumCapPercent,
  premiumPercent,
  premiumStepPercent,
  type QuotaFill,
} from './premium-curve.ts';
export { readQuotaFill } from './quota-fill.ts';
export {
  type FareBreakdown,
  type FareQuoteInput,
  percentOf,
  priceFare,
  quoteFare,
} from './quote-fare.ts';
