// The pre-queue shuffle, as specified in docs/shuffle.md so that anyone can re-derive
// it in another language: a Fisher–Yates shuffle of the arrival indexes, driven by
// HMAC-SHA256 blocks keyed with the seed, with rejection sampling (no modulo bias).
import { createHmac } from 'node:crypto';

const wordRange = 2 ** 32;
const wordsPerBlock = 8;

/** Largest pre-queue one shuffle may order (each draw is below 2^32). */
export const maxShuffleCount = wordRange;

/**
 * The seed's endless stream of 32-bit words: block c (c = 0, 1, 2, ...) is
 * HMAC-SHA256(key = the seed's UTF-8 bytes, message = c as 8-byte big-endian);
 * each block yields 8 words, read as big-endian unsigned 32-bit integers in order.
 */
export function seedWords(seed: string): () => number {
  const key = Buffer.from(seed, 'utf8');
  const message = Buffer.alloc(8);
  let counter = 0n;
  let block = Buffer.alloc(0);
  let next = wordsPerBlock;
  return () => {
    if (next === wordsPerBlock) {
      message.writeBigUInt64BE(counter);
      counter += 1n;
      block = createHmac('sha256', key).update(message).digest();
      next = 0;
    }
    const word = block.readUInt32BE(next * 4);
    next += 1;
    return word;
  };
}

/**
 * A uniform integer in [0, bound) from 32-bit words: words at or above the largest
 * multiple of `bound` that fits in 2^32 are discarded and the next word is drawn.
 */
export function uniformBelow(nextWord: () => number, bound: number): number {
  if (!Number.isSafeInteger(bound) || bound < 1 || bound > wordRange) {
    throw new RangeError(`bound must be an integer in [1, 2^32], got ${bound}`);
  }
  const limit = wordRange - (wordRange % bound);
  for (;;) {
    const word = nextWord();
    if (word < limit) return word % bound;
  }
}

/**
 * Fisher–Yates (Durstenfeld): start from [0, 1, ..., count-1]; for i from count-1
 * down to 1, draw j = randomBelow(i + 1) and swap the items at i and j.
 */
export function shuffleIndices(count: number, randomBelow: (bound: number) => number): number[] {
  if (!Number.isSafeInteger(count) || count < 0 || count > maxShuffleCount) {
    throw new RangeError(`count must be an integer in [0, 2^32], got ${count}`);
  }
  const order = Array.from({ length: count }, (_, index) => index);
  for (let i = count - 1; i >= 1; i -= 1) {
    const j = randomBelow(i + 1);
    const swapped = order[j] as number;
    order[j] = order[i] as number;
    order[i] = swapped;
  }
  return order;
}

/**
 * The shuffled pre-queue's order: element k-1 is the arrival index (0-based, into the
 * published join log) of the visitor who gets queue position k. Pure and deterministic.
 */
export function derivePrequeueOrder(seed: string, count: number): number[] {
  const nextWord = seedWords(seed);
  return shuffleIndices(count, (bound) => uniformBelow(nextWord, bound));
}
