/** Seats per script call, so a long list never blocks Redis for long. */
export const seatsPerCall = 256;

export function chunks<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}
