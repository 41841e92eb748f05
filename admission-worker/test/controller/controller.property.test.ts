import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { ControllerInputs, ControllerState } from '../../src/controller/index.ts';
import { decide, defaultControllerConfig } from '../../src/controller/index.ts';
import { blindProperty, boundsProperty, type DecideFn, monotoneProperty } from './properties.ts';

const real: DecideFn = (inputs, state) => decide(inputs, state);
const runs = { numRuns: 3_000, seed: 20_261_121 };

describe('controller invariants (fast-check)', () => {
  it('respects pause, brake, fail-closed, operator bounds, waiting count and cap headroom', () => {
    fc.assert(boundsProperty(real), runs);
  });

  it('never admits more, nor runs faster, when health is worse and all else is equal', () => {
    fc.assert(monotoneProperty(real), runs);
  });

  it('never raises the rate on blind or stale inputs', () => {
    fc.assert(blindProperty(real, defaultControllerConfig.staleAfterMs), runs);
  });

  it('keeps admissions over many ticks within max × elapsed time (remainders never add up)', () => {
    fc.assert(
      fc.property(
        fc.double({ min: 0.1, max: 50, noNaN: true }),
        fc.integer({ min: 1, max: 60 }),
        (max, ticks) => {
          let state: ControllerState | null = null;
          let admitted = 0;
          for (let t = 0; t < ticks; t++) {
            const inputs = healthy(t, { minPerSecond: 0, maxPerSecond: max });
            const result = decide(inputs, state, { initialRatePerSecond: 1_000 });
            admitted += result.decision.admit;
            state = JSON.parse(JSON.stringify(result.state)) as ControllerState;
          }
          return admitted <= Math.floor(max * ticks + 1e-9);
        },
      ),
      { numRuns: 300, seed: 7 },
    );
  });
});

describe('negative controls: the same properties catch broken controllers', () => {
  const caught = (property: fc.IProperty<never> | fc.IProperty<unknown[]>) =>
    fc.check(property as fc.IProperty<unknown[]>, runs).failed;

  it('catches a controller that ignores pause', () => {
    const ignoresPause: DecideFn = (i, s) =>
      decide({ ...i, bounds: { ...i.bounds, paused: false } }, s);
    expect(caught(boundsProperty(ignoresPause))).toBe(true);
  });

  it('catches a controller that ignores the session cap headroom', () => {
    const ignoresCap: DecideFn = (i, s) => {
      const r = decide({ ...i, sessions: { ...i.sessions, active: 0 } }, s);
      return { ...r, decision: { ...r.decision, activeSessionCap: i.bounds.maxActiveSessions } };
    };
    expect(caught(boundsProperty(ignoresCap))).toBe(true);
  });

  it('catches a controller that reads pool waiting as spare capacity', () => {
    const inverted: DecideFn = (i, s) => {
      const waiting = i.booking.poolWaiting;
      const r = decide(i, s);
      if (waiting === null || waiting === 0) return r;
      const admit = Math.min(r.decision.admit + waiting, i.queue.waiting);
      return { ...r, decision: { ...r.decision, admit } };
    };
    expect(caught(monotoneProperty(inverted))).toBe(true);
  });

  it('catches a controller that ignores how old the health is', () => {
    const ageless: DecideFn = (i, s) => decide({ ...i, booking: { ...i.booking, ageMs: 0 } }, s);
    expect(caught(blindProperty(ageless, defaultControllerConfig.staleAfterMs))).toBe(true);
  });
});

function healthy(tick: number, bounds: Partial<ControllerInputs['bounds']> = {}): ControllerInputs {
  return {
    nowMs: 1_000_000 + tick * 1_000,
    intervalSeconds: 1,
    queueReachable: true,
    booking: {
      commitP50Ms: 20,
      commitP95Ms: 40,
      commitSamples: 2_000,
      poolBusy: 5,
      poolWaiting: 0,
      poolMax: 64,
      inFlight: 5,
      requests: 2_000,
      errors5xx: 0,
      timeouts: 0,
      ageMs: 100,
      windowSeconds: 1,
    },
    database: { lockWaits: 0, activeSessions: 5 },
    queue: { waiting: 1_000_000, headAgeMs: 1_000 },
    sessions: { active: 0, meanSessionSeconds: 25, liveHolds: 0 },
    bounds: {
      paused: false,
      emergencyBrake: false,
      minPerSecond: 0,
      maxPerSecond: 10_000,
      maxActiveSessions: 1_000_000,
      latencyTargetMs: 150,
      ...bounds,
    },
  };
}
