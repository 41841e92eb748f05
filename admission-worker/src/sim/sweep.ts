// The open-loop sweep that finds the ideal rate r*: admit at a constant rate, with no
// controller, and keep the highest rate whose commit p95 stays within 150 ms and pool wait p95
// within 250 ms over the steady part of the run, on every sweep seed.
import { type AggregateLatency, Backend } from './backend.ts';

export const idealLimits = Object.freeze({ commitP95Ms: 150, waitP95Ms: 250 });

export interface SweepOptions {
  cores: number;
  seeds: readonly number[];
  thinkMin?: number;
  thinkMax?: number;
  warmupSeconds?: number;
  measureSeconds?: number;
}

/** One open-loop run at a constant rate (fractions carried from second to second). */
export function openLoop(
  rate: number,
  cores: number,
  seed: number,
  o: SweepOptions,
): AggregateLatency {
  const warmup = o.warmupSeconds ?? 60;
  const horizon = warmup + (o.measureSeconds ?? 180);
  const backend = new Backend({
    seed,
    horizonSeconds: horizon,
    thinkMin: o.thinkMin ?? 10,
    thinkMax: o.thinkMax ?? 30,
    coresAt: () => cores,
    aggregateFromSeconds: warmup,
  });
  let owed = 0;
  for (let t = 0; t < horizon; t++) {
    owed += rate;
    const whole = Math.floor(owed);
    owed -= whole;
    backend.admit(t, whole);
    backend.advanceTo(t + 1);
  }
  return backend.aggregate();
}

export function meetsIdeal(a: AggregateLatency): boolean {
  return (
    a.timeouts === 0 &&
    a.commitP95Ms <= idealLimits.commitP95Ms &&
    a.waitP95Ms <= idealLimits.waitP95Ms
  );
}

/** Bisect for the highest whole rate (per second) that meets the limits on every seed. */
export function findIdealRate(o: SweepOptions): number {
  const ok = (rate: number) =>
    o.seeds.every((seed) => meetsIdeal(openLoop(rate, o.cores, seed, o)));
  let low = 1;
  let high = Math.ceil(o.cores * 50 * 1.2);
  while (!ok(low)) low = Math.max(0, Math.floor(low / 2));
  while (high - low > 1) {
    const mid = Math.floor((low + high) / 2);
    if (ok(mid)) low = mid;
    else high = mid;
  }
  return low;
}
