// derivePrequeueOrder: a permutation, deterministic per seed, matching the test vectors of
// docs/shuffle.md (computed by an independent re-implementation), and uniform; the
// uniformity check is shown to reject biased shuffles (negative controls).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  derivePrequeueOrder,
  seedWords,
  shuffleIndices,
  uniformBelow,
} from '../../src/queue/shuffle-order.ts';

type Shuffle = (seed: string, count: number) => number[];

describe('derivePrequeueOrder', () => {
  it('is a permutation of 0..count-1', () => {
    fc.assert(
      fc.property(fc.string(), fc.nat(300), (seed, count) => {
        const order = derivePrequeueOrder(seed, count);
        expect([...order].sort((a, b) => a - b)).toEqual(
          Array.from({ length: count }, (_, i) => i),
        );
      }),
      { numRuns: 200 },
    );
  });

  it('is deterministic for a seed and differs for another seed', () => {
    fc.assert(
      fc.property(fc.string(), fc.string(), (seed, other) => {
        fc.pre(seed !== other);
        expect(derivePrequeueOrder(seed, 40)).toEqual(derivePrequeueOrder(seed, 40));
        // 40! orders: two seeds giving the same one would be a defect, not bad luck.
        expect(derivePrequeueOrder(other, 40)).not.toEqual(derivePrequeueOrder(seed, 40));
      }),
      { numRuns: 200 },
    );
  });

  // The vectors published in docs/shuffle.md, computed by a separate Python implementation
  // written from that document alone.
  it.each([
    ['tatkal', 10, [1, 7, 5, 2, 0, 8, 9, 4, 3, 6]],
    ['2026-06-01 AC Tatkal 12951', 16, [8, 11, 4, 15, 7, 14, 9, 5, 2, 3, 0, 1, 10, 12, 6, 13]],
    ['नमस्ते', 7, [2, 0, 3, 6, 1, 5, 4]],
  ])('matches the documented test vector for seed %j, count %i', (seed, count, expected) => {
    expect(derivePrequeueOrder(seed, count)).toEqual(expected);
  });

  it('draws words from HMAC-SHA256 blocks keyed by the seed, big-endian, 8 per block', () => {
    const next = seedWords('tatkal');
    const words = Array.from({ length: 9 }, () => next());
    // The first word of block 0 and of block 1 (HMAC-SHA256("tatkal", counter)).
    expect(words[0]).toBe(0x06a2788a);
    expect(words[8]).toBe(0xccd727e8);
  });

  it('rejects words at or above the largest multiple of the bound (no modulo bias)', () => {
    const words = [2 ** 32 - 1, 2 ** 32 - 2, 7];
    // 2^32 mod 3 = 1, so only 2^32 - 1 is rejected.
    expect(uniformBelow(() => words.shift() ?? 0, 3)).toBe((2 ** 32 - 2) % 3);
    expect(() => uniformBelow(() => 0, 0)).toThrow(RangeError);
  });
});

// --- uniformity -------------------------------------------------------------------

/** Pearson's chi-square statistic of counts against a uniform expectation. */
function chiSquare(counts: number[]): number {
  const total = counts.reduce((sum, count) => sum + count, 0);
  const expected = total / counts.length;
  return counts.reduce((sum, count) => sum + (count - expected) ** 2 / expected, 0);
}

/** How often each of the n! orders of n items comes out, over `samples` seeds. */
function orderCounts(shuffle: Shuffle, n: number, samples: number): number[] {
  const seen = new Map<string, number>();
  for (let i = 0; i < samples; i += 1) {
    const key = shuffle(`uniformity-${i}`, n).join(',');
    seen.set(key, (seen.get(key) ?? 0) + 1);
  }
  let orders = 1;
  for (let k = 2; k <= n; k += 1) orders *= k;
  return [...seen.values(), ...Array<number>(orders - seen.size).fill(0)];
}

/** How often arrival index a lands at position p, for every (a, p): n*n cells. */
function positionCounts(shuffle: Shuffle, n: number, samples: number): number[] {
  const counts = Array<number>(n * n).fill(0);
  for (let i = 0; i < samples; i += 1) {
    shuffle(`positions-${i}`, n).forEach((arrival, position) => {
      counts[arrival * n + position] = (counts[arrival * n + position] ?? 0) + 1;
    });
  }
  return counts;
}

// Critical values at p = 0.001: the real shuffle fails with probability 1/1000 per check
// at most, and as the seeds are fixed the outcome is the same on every run.
const critical = { orders4: 49.73 /* df 23 */, positions8: 85.35 /* df 49 */ };

function isUniform(shuffle: Shuffle): boolean {
  return (
    chiSquare(orderCounts(shuffle, 4, 24_000)) < critical.orders4 &&
    chiSquare(positionCounts(shuffle, 8, 8_000)) < critical.positions8
  );
}

/** The right algorithm fed 3-bit words reduced modulo the bound (modulo bias). */
const tinyWordsModulo: Shuffle = (seed, count) => {
  const next = seedWords(seed);
  return shuffleIndices(count, (bound) => (next() >>> 29) % bound);
};

/** The classic naive shuffle: swap each item with any position, not only those not yet fixed. */
const naiveSwapAny: Shuffle = (seed, count) => {
  const next = seedWords(seed);
  const order = Array.from({ length: count }, (_, i) => i);
  for (let i = 0; i < count; i += 1) {
    const j = uniformBelow(next, count);
    [order[i], order[j]] = [order[j] as number, order[i] as number];
  }
  return order;
};

/** Not a shuffle at all: arrival order. */
const arrivalOrder: Shuffle = (_seed, count) => Array.from({ length: count }, (_, i) => i);

// Tens of thousands of HMACs per check: well under a second alone, but give it room when
// the whole suite (browsers included) shares the machine.
describe('uniformity of the shuffle', { timeout: 60_000 }, () => {
  it('gives every order of 4 visitors, and every position to every visitor of 8, equally often', () => {
    expect(chiSquare(orderCounts(derivePrequeueOrder, 4, 24_000))).toBeLessThan(critical.orders4);
    expect(chiSquare(positionCounts(derivePrequeueOrder, 8, 8_000))).toBeLessThan(
      critical.positions8,
    );
  });

  it.each([
    ['modulo bias on tiny words', tinyWordsModulo],
    ['the naive swap-with-any shuffle', naiveSwapAny],
    ['no shuffle', arrivalOrder],
  ])('rejects %s (negative control)', (_name, shuffle) => {
    expect(isUniform(shuffle)).toBe(false);
  });
});
