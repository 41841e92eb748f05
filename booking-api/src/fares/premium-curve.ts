// Premium Tatkal's dynamic part: a surcharge on the base fare that rises in
// steps as the PT quota of a class fills, and stops at a cap. docs/fares.md
// shows the table; the property tests hold it to monotone and capped.

/** How full the PT quota of the class was before this booking: seats sold of seats set aside. */
export interface QuotaFill {
  sold: number;
  capacity: number;
}

/** Each tenth of the quota sold raises the surcharge by this many percent of the base fare. */
export const premiumStepPercent = 10;
/** The surcharge never exceeds this percent of the base fare. */
export const premiumCapPercent = 80;

/**
 * Surcharge in percent of the base fare for a quota that is `fill` full: band
 * b = floor(10 · sold / capacity) (0 for under 10 % sold), percent =
 * min(cap, step · (b + 1)). Integer arithmetic on sold/capacity keeps the band
 * edges exact (30 of 100 sold is band 3, never 2.999…).
 */
export function premiumPercent(fill: QuotaFill): number {
  const sold = Math.min(Math.max(fill.sold, 0), fill.capacity);
  const band = fill.capacity > 0 ? Math.min(9, Math.floor((10 * sold) / fill.capacity)) : 9;
  return Math.min(premiumCapPercent, premiumStepPercent * (band + 1));
}
