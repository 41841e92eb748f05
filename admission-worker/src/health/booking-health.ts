// The booking API's health as the controller sees it: every booking-api process publishes a
// windowed summary once a second to one Redis hash (a field per process). A tick reads the
// hash once, drops summaries that are malformed or too old (a dead or stuck process), and
// combines the rest: counts and pool figures summed, latency percentiles worst-of.
import { type HealthSummary, healthKey, minimumSamples } from '@tatkal/booking-api/health';
import { z } from 'zod';
import type { BookingHealth } from '../controller/types.ts';
import type { RedisLike } from '../ticks/scripts.ts';

const count = z.number().int().nonnegative();
const millis = z.number().nonnegative();

/** A summary as booking-api writes it (src/health/health-window.ts); anything else is ignored. */
export const healthSummarySchema = z.object({
  instance: z.string().min(1),
  atMs: count,
  windowMs: count,
  commit: z.object({ count, p50Ms: millis.nullable(), p95Ms: millis.nullable() }),
  pool: z.object({ total: count, busy: count, waiting: count }),
  inFlight: count,
  errors5xx: count,
  timeouts: count,
  requests: count,
}) satisfies z.ZodType<HealthSummary>;

/** Nothing is known: what a tick sees with no fresh summary at all. */
export function blindBookingHealth(ageMs: number | null): BookingHealth {
  return {
    commitP50Ms: null,
    commitP95Ms: null,
    commitSamples: 0,
    poolBusy: null,
    poolWaiting: null,
    poolMax: null,
    inFlight: null,
    requests: null,
    errors5xx: null,
    timeouts: null,
    ageMs,
    windowSeconds: null,
  };
}

const sum = (values: number[]) => values.reduce((total, value) => total + value, 0);

/**
 * Combines the published summaries (raw hash values) into one BookingHealth.
 * - A summary older than `staleMs`, or from further than `staleMs` in the future (a skewed
 *   clock), is dropped; with none left every signal is unknown and `ageMs` is the age of the
 *   newest summary seen (null when there is none), so the controller knows it is blind.
 * - Percentiles cannot be merged without the samples, so the combined p50/p95 is the worst
 *   of the processes that have one (each needs `minimumSamples` commits of its own), and it
 *   is unknown unless those processes hold at least half of the fleet's commits and the
 *   fleet has at least `minimumSamples`: a percentile the window cannot support is never
 *   reported as healthy.
 */
export function combineBookingHealth(
  raw: Readonly<Record<string, string>>,
  nowMs: number,
  staleMs: number,
): BookingHealth {
  const summaries: HealthSummary[] = [];
  for (const value of Object.values(raw)) {
    let json: unknown;
    try {
      json = JSON.parse(value);
    } catch {
      continue;
    }
    const parsed = healthSummarySchema.safeParse(json);
    if (parsed.success) summaries.push(parsed.data);
  }
  const fresh = summaries.filter((s) => Math.abs(nowMs - s.atMs) <= staleMs);
  if (fresh.length === 0) {
    const newest = Math.max(...summaries.map((s) => s.atMs));
    return blindBookingHealth(summaries.length > 0 ? Math.max(0, nowMs - newest) : null);
  }
  const commitSamples = sum(fresh.map((s) => s.commit.count));
  const measured = fresh.filter((s) => s.commit.p95Ms !== null && s.commit.count >= minimumSamples);
  const measuredSamples = sum(measured.map((s) => s.commit.count));
  const percentilesKnown =
    commitSamples >= minimumSamples && measured.length > 0 && measuredSamples * 2 >= commitSamples;
  const worst = (pick: (s: HealthSummary) => number | null) =>
    percentilesKnown ? Math.max(...measured.map((s) => pick(s) ?? 0)) : null;
  return {
    commitP50Ms: worst((s) => s.commit.p50Ms),
    commitP95Ms: worst((s) => s.commit.p95Ms),
    commitSamples,
    poolBusy: sum(fresh.map((s) => s.pool.busy)),
    poolWaiting: sum(fresh.map((s) => s.pool.waiting)),
    poolMax: sum(fresh.map((s) => s.pool.total)),
    inFlight: sum(fresh.map((s) => s.inFlight)),
    requests: sum(fresh.map((s) => s.requests)),
    errors5xx: sum(fresh.map((s) => s.errors5xx)),
    timeouts: sum(fresh.map((s) => s.timeouts)),
    ageMs: Math.max(0, nowMs - Math.max(...fresh.map((s) => s.atMs))),
    // The processes share one window length; where they differ the longest is taken, which
    // understates the goodput rather than overstating it.
    windowSeconds: Math.max(...fresh.map((s) => s.windowMs)) / 1000 || null,
  };
}

/** Reads and combines the booking API's summaries; unreadable Redis means blind. */
export async function readBookingHealth(
  redis: RedisLike,
  prefix: string,
  nowMs: number,
  staleMs: number,
): Promise<BookingHealth> {
  try {
    return combineBookingHealth(await redis.hgetall(healthKey(prefix)), nowMs, staleMs);
  } catch {
    return blindBookingHealth(null);
  }
}
