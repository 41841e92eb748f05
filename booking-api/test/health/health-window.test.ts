// The windowed health summary the admission controller reads: percentiles only from enough
// samples, and at low traffic a window stretched back to the latest 50 commits (bounded), so
// a quiet booking API is measured rather than reported unknown for ever.
import type pg from 'pg';
import { describe, expect, it } from 'vitest';
import { HealthWindow, minimumSamples } from '../../src/health/health-window.ts';

const pool = { totalCount: 4, idleCount: 1, waitingCount: 2 } as unknown as pg.Pool;

function windowAt(clock: { now: number }) {
  return new HealthWindow({ windowMs: 10_000, maxWindowMs: 60_000, now: () => clock.now });
}

describe('HealthWindow', () => {
  it('reports the last 10 s when it holds enough commits', () => {
    const clock = { now: 1_000_000 };
    const health = windowAt(clock);
    // 20 s of commits, 10 a second: 100 in the last 10 s, latency = its index (ms).
    for (let i = 0; i < 200; i++) {
      clock.now = 1_000_000 + i * 100;
      health.recordCommit(i);
      health.recordResponse(i % 50 === 0 ? 503 : 201);
    }
    clock.now = 1_000_000 + 200 * 100;
    const summary = health.summary(pool, 3);
    expect(summary.windowMs).toBe(10_000);
    expect(summary.commit.count).toBe(100);
    expect(summary.commit.p95Ms).toBe(194);
    expect(summary.requests).toBe(100);
    expect(summary.errors5xx).toBe(2);
    expect(summary.pool).toEqual({ total: 4, busy: 3, waiting: 2 });
    expect(summary.inFlight).toBe(3);
  });

  it('stretches the window back to the latest 50 commits when the last 10 s has fewer', () => {
    const clock = { now: 0 };
    const health = windowAt(clock);
    // One commit a second for 80 s.
    for (let i = 0; i < 80; i++) {
      clock.now = i * 1_000;
      health.recordCommit(i);
      health.recordResponse(201);
    }
    clock.now = 80_000;
    const summary = health.summary(pool, 0);
    // The 50th newest commit was at 30 s: the window is 50 s and holds exactly 50 commits.
    expect(summary.windowMs).toBe(50_000);
    expect(summary.commit.count).toBe(minimumSamples);
    expect(summary.requests).toBe(minimumSamples);
    expect(summary.commit.p95Ms).not.toBeNull();
  });

  it('never stretches past its maximum: too few commits stay unknown', () => {
    const clock = { now: 0 };
    const health = windowAt(clock);
    // One commit every 2 s for 200 s: 30 in the last 60 s.
    for (let i = 0; i < 100; i++) {
      clock.now = i * 2_000;
      health.recordCommit(5);
    }
    clock.now = 200_000;
    const summary = health.summary(pool, 0);
    expect(summary.windowMs).toBe(60_000);
    expect(summary.commit.count).toBe(30);
    expect(summary.commit.p95Ms).toBeNull();
    expect(summary.commit.p50Ms).toBeNull();
  });
});
