// A plain in-memory model of one room's FIFO queue (no pre-queue), used as the oracle
// of the property tests: what admitNextBatch must return, call by call.
import type { AdmitResult } from '../../src/queue/index.ts';

export class QueueModel {
  served = 0;
  lastNumber = 0;
  readonly numberOf = new Map<string, number>();
  readonly #visitorOf = new Map<number, string>();
  /** number -> last seen (epoch seconds), waiting numbers ahead of the pointer only */
  readonly #seen = new Map<number, number>();
  readonly skipped = new Set<number>();
  readonly returned = new Set<number>();
  readonly admitted = new Set<number>();

  /** Records a join as Redis answered it; returns the status the model expects. */
  join(visitor: string, number: number, nowSec: number): 'waiting' | 'admitted' | 'skipped' {
    const known = this.numberOf.get(visitor);
    if (known === undefined) {
      this.numberOf.set(visitor, number);
      this.#visitorOf.set(number, visitor);
      this.lastNumber = Math.max(this.lastNumber, number);
      this.#seen.set(number, nowSec);
      return 'waiting';
    }
    if (this.admitted.has(known)) return 'admitted';
    if (this.skipped.has(known)) return 'skipped';
    if (known > this.served) this.#seen.set(known, Math.max(this.#seen.get(known) ?? 0, nowSec));
    return 'waiting';
  }

  heartbeat(number: number, atSec: number): void {
    if (number > this.served) {
      this.#seen.set(number, Math.max(this.#seen.get(number) ?? 0, atSec));
    } else if (this.skipped.delete(number)) {
      this.returned.add(number);
    }
  }

  admit(n: number, nowMs: number, abandonAfterMs: number): AdmitResult {
    const cutoffSec = Math.floor((nowMs - abandonAfterMs) / 1000);
    const admitted: AdmitResult['admitted'] = [];
    const push = (number: number) => {
      this.admitted.add(number);
      admitted.push({ number, visitor: this.#visitorOf.get(number) ?? '?' });
    };
    for (const number of [...this.returned].sort((a, b) => a - b).slice(0, n)) {
      this.returned.delete(number);
      push(number);
    }
    let skipped = 0;
    while (admitted.length < n && this.served < this.lastNumber) {
      const number = this.served + 1;
      const seen = this.#seen.get(number);
      this.#seen.delete(number);
      if (seen !== undefined && seen >= cutoffSec) {
        push(number);
      } else {
        this.skipped.add(number);
        skipped += 1;
      }
      this.served = number;
    }
    return { admitted, skipped, servedUpTo: this.served };
  }
}
