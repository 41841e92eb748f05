// N callers in one process, each running one operation after another until
// the deadline or until the work runs out: the shape of a service's request
// handlers sharing one Redis connection or one PostgreSQL pool.

export interface LoopResult {
  /** Operations that resolved. */
  ops: number;
  /** Operations that threw. */
  failures: number;
  /** A few failure messages, for the report. */
  failureSamples: string[];
  /** From the first call to the last completion, ms. */
  elapsedMs: number;
  /** Per resolved operation, ms. */
  latenciesMs: number[];
  /** True when `next` ran out before the deadline. */
  exhausted: boolean;
}

export interface LoopPlan<T> {
  callers: number;
  durationMs: number;
  /** The next piece of work, or undefined when there is none left. */
  next: () => T | undefined;
  run: (item: T) => Promise<unknown>;
}

export async function closedLoop<T>(plan: LoopPlan<T>): Promise<LoopResult> {
  const latenciesMs: number[] = [];
  const failureSamples: string[] = [];
  let failures = 0;
  let exhausted = false;
  const startedAt = performance.now();
  const deadline = startedAt + plan.durationMs;
  const caller = async () => {
    while (performance.now() < deadline) {
      const item = plan.next();
      if (item === undefined) {
        exhausted = true;
        return;
      }
      const t0 = performance.now();
      try {
        await plan.run(item);
        latenciesMs.push(performance.now() - t0);
      } catch (error) {
        failures += 1;
        if (failureSamples.length < 5) {
          failureSamples.push(error instanceof Error ? error.message : String(error));
        }
      }
    }
  };
  await Promise.all(Array.from({ length: plan.callers }, caller));
  return {
    ops: latenciesMs.length,
    failures,
    failureSamples,
    elapsedMs: performance.now() - startedAt,
    latenciesMs,
    exhausted,
  };
}

/** A cursor over a fixed list of work, for `next`. */
export function cursor<T>(items: readonly T[]): () => T | undefined {
  let index = 0;
  return () => items[index++];
}
