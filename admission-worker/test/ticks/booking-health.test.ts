// Combining the booking API's published health: stale or malformed summaries are dropped,
// and a percentile the window cannot support is unknown (null), never healthy.
import { describe, expect, it } from 'vitest';
import { blindBookingHealth, combineBookingHealth } from '../../src/health/booking-health.ts';

const now = 1_800_000_000_000;
const stale = 5_000;

function summary(instance: string, over: Record<string, unknown> = {}) {
  return JSON.stringify({
    instance,
    atMs: now - 500,
    windowMs: 10_000,
    commit: { count: 200, p50Ms: 10, p95Ms: 40 },
    pool: { total: 10, busy: 4, waiting: 1 },
    inFlight: 5,
    errors5xx: 2,
    timeouts: 1,
    requests: 300,
    ...over,
  });
}

describe('combineBookingHealth', () => {
  it('sums counts and pool figures and takes the worst percentile over fresh instances', () => {
    const health = combineBookingHealth(
      {
        a: summary('a'),
        b: summary('b', { atMs: now - 1_000, commit: { count: 100, p50Ms: 15, p95Ms: 90 } }),
      },
      now,
      stale,
    );
    expect(health).toEqual({
      commitP50Ms: 15,
      commitP95Ms: 90,
      commitSamples: 300,
      poolBusy: 8,
      poolWaiting: 2,
      poolMax: 20,
      inFlight: 10,
      requests: 600,
      errors5xx: 4,
      timeouts: 2,
      ageMs: 500,
      windowSeconds: 10,
    });
  });

  it('drops a stale instance entirely: its figures count for nothing', () => {
    const health = combineBookingHealth(
      {
        a: summary('a'),
        dead: summary('dead', { atMs: now - 60_000, commit: { count: 900, p50Ms: 5, p95Ms: 900 } }),
      },
      now,
      stale,
    );
    expect(health.commitSamples).toBe(200);
    expect(health.commitP95Ms).toBe(40);
    expect(health.poolBusy).toBe(4);
  });

  it('is blind when every summary is stale, and says how old the newest is', () => {
    const health = combineBookingHealth(
      { a: summary('a', { atMs: now - 30_000 }), b: summary('b', { atMs: now - 20_000 }) },
      now,
      stale,
    );
    expect(health).toEqual(blindBookingHealth(20_000));
  });

  it('is blind with no summary at all, or only malformed ones', () => {
    expect(combineBookingHealth({}, now, stale)).toEqual(blindBookingHealth(null));
    const health = combineBookingHealth(
      { a: 'not json', b: JSON.stringify({ instance: 'b' }), c: summary('c', { inFlight: -1 }) },
      now,
      stale,
    );
    expect(health).toEqual(blindBookingHealth(null));
  });

  it('treats a summary from far in the future (a skewed clock) as stale', () => {
    const health = combineBookingHealth({ a: summary('a', { atMs: now + 60_000 }) }, now, stale);
    expect(health.commitP95Ms).toBeNull();
    expect(health.poolBusy).toBeNull();
  });

  it.each([
    [
      'one instance under 50 commits',
      { a: summary('a', { commit: { count: 49, p50Ms: null, p95Ms: null } }) },
    ],
    [
      'three instances under 50 each, 120 in all',
      Object.fromEntries(
        ['a', 'b', 'c'].map((id) => [
          id,
          summary(id, { commit: { count: 40, p50Ms: null, p95Ms: null } }),
        ]),
      ),
    ],
    [
      'a measured instance holding under half of the commits',
      {
        a: summary('a', { commit: { count: 50, p50Ms: 5, p95Ms: 10 } }),
        b: summary('b', { commit: { count: 45, p50Ms: null, p95Ms: null } }),
        c: summary('c', { commit: { count: 45, p50Ms: null, p95Ms: null } }),
      },
    ],
    ['no commits at all', { a: summary('a', { commit: { count: 0, p50Ms: null, p95Ms: null } }) }],
  ])('leaves the latency unknown with too few samples: %s', (_case, raw) => {
    const health = combineBookingHealth(raw, now, stale);
    expect(health.commitP95Ms).toBeNull();
    expect(health.commitP50Ms).toBeNull();
    // The other signals are real measurements and stay known.
    expect(health.poolBusy).not.toBeNull();
  });

  it('does not let an instance with a percentile from too few samples set the figure', () => {
    const health = combineBookingHealth(
      {
        a: summary('a', { commit: { count: 300, p50Ms: 5, p95Ms: 30 } }),
        // A percentile that should not exist: 10 samples.
        b: summary('b', { commit: { count: 10, p50Ms: 500, p95Ms: 900 } }),
      },
      now,
      stale,
    );
    expect(health.commitP95Ms).toBe(30);
    expect(health.commitSamples).toBe(310);
  });
});
