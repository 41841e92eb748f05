// Every booking commit of a run, from the booking API's Prometheus histogram
// (tatkal_booking_commit_duration_seconds), summed over its instances at the end of the run:
// how many commits there were, the share within the target, and the p95 at bucket resolution.

export interface CommitHistogram {
  count: number;
  /** Cumulative counts by upper bound (seconds), ascending. */
  buckets: Array<[le: number, count: number]>;
}

const bucketLine =
  /^tatkal_booking_commit_duration_seconds_bucket\{(?:[^}]*,)?le="([^"]+)"[^}]*\}\s+(\S+)/;

export function parseCommitHistogram(text: string): CommitHistogram {
  const byBound = new Map<number, number>();
  for (const line of text.split('\n')) {
    const match = bucketLine.exec(line);
    if (!match) continue;
    const le = match[1] === '+Inf' ? Number.POSITIVE_INFINITY : Number(match[1]);
    byBound.set(le, (byBound.get(le) ?? 0) + Number(match[2]));
  }
  const buckets = [...byBound.entries()].sort((a, b) => a[0] - b[0]);
  return { count: buckets.at(-1)?.[1] ?? 0, buckets };
}

export function mergeHistograms(histograms: readonly CommitHistogram[]): CommitHistogram {
  return parseCommitHistogram(
    histograms
      .flatMap((h) =>
        h.buckets.map(
          ([le, n]) =>
            `tatkal_booking_commit_duration_seconds_bucket{le="${le === Number.POSITIVE_INFINITY ? '+Inf' : le}"} ${n}`,
        ),
      )
      .join('\n'),
  );
}

/** Share (0-1) of commits within `targetMs`, when the target is one of the bucket bounds. */
export function shareWithin(histogram: CommitHistogram, targetMs: number): number | null {
  if (histogram.count === 0) return null;
  const bucket = histogram.buckets.find(([le]) => Math.abs(le * 1000 - targetMs) < 1e-6);
  return bucket ? bucket[1] / histogram.count : null;
}

/** The smallest bucket bound (ms) at or under which 95 % of commits fell. */
export function p95UpperBoundMs(histogram: CommitHistogram): number | null {
  if (histogram.count === 0) return null;
  const bucket = histogram.buckets.find(([, n]) => n >= 0.95 * histogram.count);
  return bucket ? Math.round(bucket[0] * 1000) : null;
}

export async function scrapeCommitHistogram(
  bookingUrls: readonly string[],
): Promise<CommitHistogram> {
  const parts = await Promise.all(
    bookingUrls.map(async (url) => {
      const response = await fetch(`${url}/metrics`, { signal: AbortSignal.timeout(10_000) });
      return parseCommitHistogram(await response.text());
    }),
  );
  return mergeHistograms(parts);
}
