import { randomInt } from 'node:crypto';

/**
 * A PNR: ten digits, the first not zero, drawn uniformly from the 9·10⁹
 * possibilities with a CSPRNG so a PNR cannot be guessed from another one.
 * Uniqueness is the database's unique constraint; the caller retries on a clash.
 */
export function generatePnr(): string {
  return String(randomInt(1_000_000_000, 10_000_000_000));
}
