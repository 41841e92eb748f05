// Latency summaries: nearest-rank percentiles over every recorded value (no sampling, no
// histogram buckets), rounded for the report.

export interface LatencySummary {
  count: number;
  p50_ms: number | null;
  p90_ms: number | null;
  p95_ms: number | null;
  p99_ms: number | null;
  max_ms: number | null;
}

/** Nearest-rank percentile of ascending values; null when there are none. */
export function percentile(sorted: ArrayLike<number>, p: number): number | null {
  if (sorted.length === 0) return null;
  const rank = Math.min(sorted.length, Math.max(1, Math.ceil((p / 100) * sorted.length)));
  return sorted[rank - 1] ?? null;
}

const round1 = (value: number | null) => (value === null ? null : Math.round(value * 10) / 10);

export function summarise(values: readonly number[]): LatencySummary {
  const sorted = Float64Array.from(values).sort();
  return {
    count: sorted.length,
    p50_ms: round1(percentile(sorted, 50)),
    p90_ms: round1(percentile(sorted, 90)),
    p95_ms: round1(percentile(sorted, 95)),
    p99_ms: round1(percentile(sorted, 99)),
    max_ms: round1(sorted.length ? (sorted[sorted.length - 1] ?? null) : null),
  };
}
