// Indian Standard Time is UTC+05:30 all year (no daylight saving), so a fixed
// offset is exact and needs no time-zone database.
const istOffsetMs = (5 * 60 + 30) * 60 * 1000;
const dayMs = 24 * 60 * 60 * 1000;

/** The calendar date in India at `instant`, as YYYY-MM-DD. */
export function istDate(instant: Date): string {
  return new Date(instant.getTime() + istOffsetMs).toISOString().slice(0, 10);
}

/** The date `days` after an YYYY-MM-DD date. */
export function addDays(date: string, days: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + days * dayMs).toISOString().slice(0, 10);
}

/** The instant when Indian clocks show `time` (HH:MM) on `date` (YYYY-MM-DD). */
export function istInstant(date: string, time: string): Date {
  return new Date(Date.parse(`${date}T${time}:00Z`) - istOffsetMs);
}
