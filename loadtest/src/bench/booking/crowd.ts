// The contention crowd: every attempt wants two of the same few seats, chosen
// and ordered by a seeded PRNG, so both designs face the very same requests.

export interface Attempt {
  /** Positions among the contested seats (0-based), in the order the booker lists them. */
  positions: [number, number];
}

/** mulberry32: small and seeded, so a run can be replayed from its seed. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/** `count` attempts, each for two distinct seats of `seats`, in either order. */
export function contentionCrowd(count: number, seats: number, seed: number): Attempt[] {
  if (seats < 2) throw new RangeError('two seats per attempt need at least two seats');
  const random = seededRandom(seed);
  return Array.from({ length: count }, () => {
    const first = Math.floor(random() * seats);
    const other = (first + 1 + Math.floor(random() * (seats - 1))) % seats;
    return { positions: [first, other] };
  });
}
