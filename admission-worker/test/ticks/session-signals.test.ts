// Session figures from real token lifetimes, queue signals, and the tick's interval and
// recovery arithmetic: pure functions, checked without Redis.

import type { QueueState } from '@tatkal/waiting-room/queue';
import { describe, expect, it } from 'vitest';
import { queueSignalsFrom } from '../../src/health/room-signals.ts';
import {
  endedSessions,
  liveHoldsFrom,
  meanSessionSeconds,
  minimumEndedSessions,
  sessionWindowMs,
} from '../../src/health/session-signals.ts';
import { type PendingTick, recoveredRecord } from '../../src/ticks/pending-tick.ts';
import { intervalSeconds } from '../../src/ticks/run-tick.ts';

const now = 1_800_000_000_000;

describe('endedSessions', () => {
  it('takes a consumed session up to now and an expired one for the whole session', () => {
    const ended = endedSessions(now, 600_000, [['a', now - 30_000]], [['b', now - 700_000]]);
    expect(ended).toEqual({ jtis: ['b', 'a'], count: 2, totalMs: 630_000 });
  });

  it('counts a token both consumed and expired once, as consumed', () => {
    const ended = endedSessions(now, 600_000, [['a', now - 601_000]], [['a', now - 601_000]]);
    expect(ended.count).toBe(1);
    expect(ended.totalMs).toBe(600_000);
  });
});

describe('meanSessionSeconds', () => {
  it('is the ended lifetimes over their number within the window', () => {
    const points = [{ atMs: now - 60_000, endedCount: 100, endedMs: 2_000_000 }];
    // 60 sessions ended since, 1,800 s of lifetimes: 30 s each.
    expect(meanSessionSeconds(now, { endedCount: 160, endedMs: 3_800_000 }, points)).toBe(30);
  });

  it(`is unknown with fewer than ${minimumEndedSessions} ended sessions in the window`, () => {
    const points = [{ atMs: now - 60_000, endedCount: 100, endedMs: 0 }];
    expect(
      meanSessionSeconds(now, { endedCount: 100 + minimumEndedSessions - 1, endedMs: 1e6 }, points),
    ).toBeNull();
  });

  it('ignores points outside the window, and is unknown without any', () => {
    const old = [{ atMs: now - sessionWindowMs - 1, endedCount: 0, endedMs: 0 }];
    expect(meanSessionSeconds(now, { endedCount: 500, endedMs: 1e7 }, old)).toBeNull();
    expect(meanSessionSeconds(now, { endedCount: 500, endedMs: 1e7 }, [])).toBeNull();
  });
});

describe('liveHoldsFrom', () => {
  it('sums held seats of the room scope only', () => {
    const counts = {
      '3A|TQ:held': '4',
      '3A|TQ:total': '64',
      'SL|TQ:held': '7',
      '3A|GN:held': '100',
    };
    expect(liveHoldsFrom(counts, { classes: ['3A', 'SL'], quotas: ['TQ'] })).toBe(11);
  });

  it('is unknown when the inventory is not built', () => {
    expect(liveHoldsFrom({}, { classes: ['3A'], quotas: ['TQ'] })).toBeNull();
  });
});

describe('queueSignalsFrom', () => {
  const state = (over: Partial<QueueState>): QueueState => ({
    servedUpTo: 0,
    lastNumber: 0,
    admittedTotal: 0,
    skippedTotal: 0,
    updatedMs: 0,
    recentBatches: [],
    sealed: false,
    prequeueCount: 0,
    shuffleApplied: 0,
    prequeueBase: 0,
    ...over,
  });

  it('counts those behind the pointer and the skipped who came back', () => {
    expect(
      queueSignalsFrom(state({ servedUpTo: 40, lastNumber: 100 }), 3, now - 9_000, now),
    ).toEqual({ waiting: 63, headAgeMs: 9_000 });
  });

  it('has no head age when nobody waits, and a lower bound of 0 for a head newer than any tick', () => {
    expect(queueSignalsFrom(state({ servedUpTo: 5, lastNumber: 5 }), 0, null, now)).toEqual({
      waiting: 0,
      headAgeMs: null,
    });
    expect(queueSignalsFrom(state({ lastNumber: 2 }), 0, null, now).headAgeMs).toBe(0);
  });
});

describe('intervalSeconds', () => {
  it('covers the time since the last tick, at most three intervals, one interval at first', () => {
    expect(intervalSeconds(now, now - 1_000, 1_000)).toBe(1);
    expect(intervalSeconds(now, now - 50, 1_000)).toBe(0.05);
    expect(intervalSeconds(now, now - 60_000, 1_000)).toBe(3);
    expect(intervalSeconds(now, 0, 500)).toBe(0.5);
    expect(intervalSeconds(now, now + 5_000, 1_000)).toBe(1);
  });
});

describe('recoveredRecord', () => {
  const pending = {
    fence: 7,
    workerId: 'w1',
    atMs: now - 2_000,
    inputs: {},
    decision: { admit: 20 },
    controllerState: {},
    servedBefore: 100,
    admittedBefore: 90,
    skippedBefore: 10,
  } as unknown as PendingTick;

  it('records the batch a dead tick made from what moved since it staged', () => {
    const record = recoveredRecord(
      'demo',
      pending,
      { served: 125, admittedTotal: 110, skippedTotal: 15 },
      'w2',
    );
    expect(record?.batch).toEqual({ firstNumber: 101, lastNumber: 125, admitted: 20, skipped: 5 });
    expect(record?.fence).toBe(7);
    expect(record?.workerId).toBe('w1 (recorded by w2 after it stopped)');
  });

  it('records nothing when the dead tick changed nothing', () => {
    expect(
      recoveredRecord('demo', pending, { served: 100, admittedTotal: 90, skippedTotal: 10 }, 'w2'),
    ).toBeNull();
  });
});
