// The controller's invariants as fast-check properties over any `decide`-shaped function, so
// the same property runs against the real controller (must hold) and against deliberately
// broken variants built inside the tests (must be caught).
import fc from 'fast-check';
import type {
  ControllerInputs,
  ControllerResult,
  ControllerState,
} from '../../src/controller/index.ts';
import { healthyInputsArb, inputsArb, matureStateArb, stateArb } from './arbitraries.ts';

export type DecideFn = (
  inputs: ControllerInputs,
  state: ControllerState | null,
) => ControllerResult;

const stopped = (i: ControllerInputs) =>
  i.bounds.paused || i.bounds.emergencyBrake || !i.queueReachable;

/** Bounds, stops, waiting count and cap headroom are respected on every tick. */
export function boundsProperty(decide: DecideFn) {
  return fc.property(inputsArb, stateArb(), (inputs, state) => {
    const { decision } = decide(inputs, state);
    const { bounds, queue, sessions, intervalSeconds } = inputs;
    const owedBefore = state?.remainder ?? 0;
    if (!Number.isInteger(decision.admit) || decision.admit < 0) return false;
    if (stopped(inputs)) return decision.admit === 0;
    const floorRate = Math.min(bounds.minPerSecond, bounds.maxPerSecond);
    if (decision.ratePerSecond > bounds.maxPerSecond + 1e-9) return false;
    if (decision.ratePerSecond < floorRate - 1e-9) return false;
    // What a tick admits is the rate's share plus the remainder carried (below one visitor).
    if (decision.admit > bounds.maxPerSecond * intervalSeconds + owedBefore + 1e-9) return false;
    if (decision.admit > queue.waiting) return false;
    if (decision.activeSessionCap > bounds.maxActiveSessions) return false;
    if (decision.admit > Math.max(0, decision.activeSessionCap - sessions.active)) return false;
    const minOwed = Math.floor(floorRate * intervalSeconds);
    const room = Math.min(queue.waiting, decision.activeSessionCap - sessions.active);
    if (room >= minOwed && decision.admit < minOwed) return false;
    return true;
  });
}

export interface Worsening {
  p95: number;
  poolWaiting: number;
  errors: number;
  timeouts: number;
  lockWaits: number;
}

const worseningArb: fc.Arbitrary<Worsening> = fc.record({
  p95: fc.oneof(fc.constant(0), fc.double({ min: 0, max: 2_000, noNaN: true })),
  poolWaiting: fc.oneof(fc.constant(0), fc.integer({ min: 0, max: 300 })),
  errors: fc.oneof(fc.constant(0), fc.integer({ min: 0, max: 30 })),
  timeouts: fc.oneof(fc.constant(0), fc.integer({ min: 0, max: 30 })),
  lockWaits: fc.oneof(fc.constant(0), fc.integer({ min: 0, max: 30 })),
});

/** Apply a worsening to every known health signal, leaving everything else equal. */
export function worsen(inputs: ControllerInputs, w: Worsening): ControllerInputs {
  const b = inputs.booking;
  const add = (v: number | null, d: number) => (v === null ? null : v + d);
  return {
    ...inputs,
    booking: {
      ...b,
      commitP95Ms: add(b.commitP95Ms, w.p95),
      poolWaiting: add(b.poolWaiting, w.poolWaiting),
      errors5xx: add(b.errors5xx, w.errors),
      timeouts: add(b.timeouts, w.timeouts),
    },
    database: { ...inputs.database, lockWaits: add(inputs.database.lockWaits, w.lockWaits) },
  };
}

/** With all else equal, worse health never yields more admissions nor a higher rate. */
export function monotoneProperty(decide: DecideFn) {
  const anyInputs = fc.oneof(inputsArb, healthyInputsArb);
  const anyState = fc.oneof(stateArb(), matureStateArb);
  return fc.property(anyInputs, anyState, worseningArb, (inputs, state, w) => {
    const better = decide(inputs, state).decision;
    const worse = decide(worsen(inputs, w), state).decision;
    return worse.admit <= better.admit && worse.ratePerSecond <= better.ratePerSecond + 1e-9;
  });
}

/** Blind or stale health never raises the rate nor admits more than the carried rate owes. */
export function blindProperty(decide: DecideFn, staleAfterMs: number) {
  const blindAge = fc.option(fc.integer({ min: staleAfterMs + 1, max: 120_000 }), {
    nil: null,
  });
  const anyInputs = fc.oneof(inputsArb, healthyInputsArb);
  const anyState = fc.oneof(stateArb(), matureStateArb);
  return fc.property(anyInputs, anyState, blindAge, (raw, rawState, age) => {
    const inputs = { ...raw, booking: { ...raw.booking, ageMs: age } };
    if (rawState === null) return true;
    const { minPerSecond, maxPerSecond } = inputs.bounds;
    const within = Math.min(Math.max(rawState.ratePerSecond, minPerSecond), maxPerSecond);
    const state = { ...rawState, ratePerSecond: within };
    const { decision } = decide(inputs, state);
    if (decision.ratePerSecond > within + 1e-9) return false;
    return decision.admit <= Math.floor(within * inputs.intervalSeconds + state.remainder + 1e-9);
  });
}
