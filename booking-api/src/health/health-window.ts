import { randomBytes } from 'node:crypto';
import type { Cluster, Redis } from 'ioredis';
import type pg from 'pg';

/** What one booking-api process tells the admission worker once a second. */
export interface HealthSummary {
  instance: string;
  atMs: number;
  windowMs: number;
  commit: { count: number; p50Ms: number | null; p95Ms: number | null };
  pool: { total: number; busy: number; waiting: number };
  inFlight: number;
  errors5xx: number;
  timeouts: number;
  requests: number;
}

/** Fewer samples than this make a percentile unknown, not healthy (CONTROLLER.md fact 5). */
export const minimumSamples = 50;

function percentile(sorted: readonly number[], p: number): number | null {
  if (sorted.length < minimumSamples) return null;
  const index = Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1);
  return sorted[index] ?? null;
}

/** The key the summaries live under: one hash, a field per process. */
export function healthKey(prefix: string): string {
  return `${prefix}:bk:v1:{health}:booking-api`;
}

/**
 * A sliding window of the figures the admission controller reads: commit
 * latency percentiles with their sample count, pool use, in-flight requests,
 * 5xx answers and timeouts. Published to Redis directly (not via a Prometheus
 * scrape, which is 15-60 s stale).
 */
export class HealthWindow {
  readonly instance = randomBytes(6).toString('hex');
  readonly #windowMs: number;
  readonly #maxWindowMs: number;
  readonly #now: () => number;
  #commits: Array<[atMs: number, ms: number]> = [];
  #events: Array<[atMs: number, kind: 'request' | '5xx' | 'timeout']> = [];

  /**
   * `windowMs` is the normal window. When it holds fewer than `minimumSamples` commits, the
   * window stretches back to take in the latest `minimumSamples` commits, up to `maxWindowMs`:
   * at low traffic the percentiles are then known (a little older) instead of unknown, which
   * would leave the controller blind and unable to raise admissions out of the low traffic.
   * The summary reports the window actually used, so counts stay per-window exact.
   */
  constructor(options: { windowMs?: number; maxWindowMs?: number; now?: () => number } = {}) {
    this.#windowMs = options.windowMs ?? 10_000;
    this.#maxWindowMs = Math.max(this.#windowMs, options.maxWindowMs ?? 60_000);
    this.#now = options.now ?? Date.now;
  }

  recordCommit(ms: number): void {
    this.#commits.push([this.#now(), ms]);
  }

  recordResponse(status: number, timedOut = false): void {
    const at = this.#now();
    this.#events.push([at, 'request']);
    if (status >= 500) this.#events.push([at, '5xx']);
    if (timedOut) this.#events.push([at, 'timeout']);
  }

  summary(pool: pg.Pool, inFlight: number): HealthSummary {
    const atMs = this.#now();
    const oldest = atMs - this.#maxWindowMs;
    this.#commits = this.#commits.filter(([at]) => at >= oldest);
    this.#events = this.#events.filter(([at]) => at >= oldest);
    let since = atMs - this.#windowMs;
    const recent = this.#commits.filter(([at]) => at >= since).length;
    if (recent < minimumSamples && this.#commits.length > recent) {
      const nth = this.#commits[Math.max(0, this.#commits.length - minimumSamples)];
      if (nth) since = Math.min(since, nth[0]);
    }
    const commits = this.#commits.filter(([at]) => at >= since);
    const events = this.#events.filter(([at]) => at >= since);
    const sorted = commits.map(([, ms]) => ms).sort((a, b) => a - b);
    const count = (kind: string) => events.filter(([, k]) => k === kind).length;
    return {
      instance: this.instance,
      atMs,
      windowMs: atMs - since,
      commit: {
        count: sorted.length,
        p50Ms: percentile(sorted, 50),
        p95Ms: percentile(sorted, 95),
      },
      pool: {
        total: pool.totalCount,
        busy: pool.totalCount - pool.idleCount,
        waiting: pool.waitingCount,
      },
      inFlight,
      errors5xx: count('5xx'),
      timeouts: count('timeout'),
      requests: count('request'),
    };
  }

  /** Publishes the summary every `intervalMs`; returns a stop function. */
  publishEvery(
    redis: Redis | Cluster,
    prefix: string,
    intervalMs: number,
    source: () => HealthSummary,
  ): () => Promise<void> {
    const key = healthKey(prefix);
    const publish = async () => {
      const summary = source();
      await redis.hset(key, this.instance, JSON.stringify(summary)).catch(() => undefined);
    };
    const timer = setInterval(() => void publish(), intervalMs);
    timer.unref();
    return async () => {
      clearInterval(timer);
      await redis.hdel(key, this.instance).catch(() => undefined);
    };
  }
}
