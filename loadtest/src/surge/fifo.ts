// Fairness as a count of inversions between the join log and the order visitors were served.
// A pair (a, b) is an inversion when a had finished joining before b started to join (so a
// was undeniably first in line) and yet b was served strictly before a: admitted in an earlier
// tick, or (contrast run, where nobody queues) given a seat while a got none. A visitor never
// served counts as served at infinity: anyone behind them who was served is an inversion.

export interface JoinedVisitor {
  /** When the visitor's join request left, and when its answer arrived (epoch ms). */
  joinSentMs: number;
  joinDoneMs: number;
  /** When the visitor was served; Infinity when never. */
  servedAtMs: number;
}

/** Counts inversions in O(n log n): a Fenwick tree over served-time ranks. */
export function countInversions(visitors: readonly JoinedVisitor[]): number {
  const n = visitors.length;
  if (n < 2) return 0;
  const served = Array.from(new Set(visitors.map((v) => v.servedAtMs))).sort((a, b) => a - b);
  const rank = new Map(served.map((value, i) => [value, i + 1]));
  const tree = new Int32Array(served.length + 1);
  const add = (i: number) => {
    for (let k = i; k <= served.length; k += k & -k) tree[k] = (tree[k] ?? 0) + 1;
  };
  /** How many inserted visitors were served at rank <= i. */
  const upTo = (i: number) => {
    let total = 0;
    for (let k = i; k > 0; k -= k & -k) total += tree[k] ?? 0;
    return total;
  };
  const byDone = [...visitors].sort((a, b) => a.joinDoneMs - b.joinDoneMs);
  const bySent = [...visitors].sort((a, b) => a.joinSentMs - b.joinSentMs);
  let inserted = 0;
  let inversions = 0;
  for (const b of bySent) {
    // Everyone whose join had finished before b's began is ahead of b.
    while (inserted < n && (byDone[inserted]?.joinDoneMs ?? 0) < b.joinSentMs) {
      add(rank.get(byDone[inserted]?.servedAtMs ?? 0) ?? 0);
      inserted++;
    }
    // ... and must not have been served after b.
    inversions += inserted - upTo(rank.get(b.servedAtMs) ?? 0);
  }
  return inversions;
}

/** The same count by brute force, for tests of the fast one. */
export function countInversionsSlowly(visitors: readonly JoinedVisitor[]): number {
  let inversions = 0;
  for (const a of visitors) {
    for (const b of visitors) {
      if (a.joinDoneMs < b.joinSentMs && b.servedAtMs < a.servedAtMs) inversions++;
    }
  }
  return inversions;
}
