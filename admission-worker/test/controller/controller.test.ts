import { describe, expect, it } from 'vitest';
import type { ControllerInputs, ControllerState } from '../../src/controller/index.ts';
import { decide, defaultControllerConfig } from '../../src/controller/index.ts';
import { healthyInputs } from './arbitraries.ts';

type Tweak = (i: ControllerInputs) => ControllerInputs;

/** Run ticks one second apart from the given state, feeding each tick's inputs through tweak. */
function run(ticks: number, tweak: Tweak, state: ControllerState | null = null, rate = 100) {
  const out = [];
  let s = state;
  for (let t = 0; t < ticks; t++) {
    const inputs = tweak(healthyInputs({ nowMs: 1_000_000 + t * 1_000 }));
    const r = decide(inputs, s, { initialRatePerSecond: rate });
    s = r.state;
    out.push(r);
  }
  return out;
}

const overloaded: Tweak = (i) => ({ ...i, booking: { ...i.booking, poolWaiting: 40 } });

describe('decide', () => {
  it('carries fractional rates: 2.5/s admits 5 over 2 ticks', () => {
    const r = run(2, (i) => ({ ...i, bounds: { ...i.bounds, maxPerSecond: 2.5 } }));
    expect(r.map((x) => x.decision.admit)).toEqual([2, 3]);
  });

  it('fails closed when the queue store is unreachable', () => {
    const [r] = run(1, (i) => ({ ...i, queueReachable: false }));
    expect(r?.decision).toMatchObject({ admit: 0, rule: 'queue_unreachable' });
  });

  it('ranks pause over brake over the queue over max over min', () => {
    const both = (i: ControllerInputs) => ({
      ...i,
      queueReachable: false,
      bounds: { ...i.bounds, paused: true, emergencyBrake: true },
    });
    expect(run(1, both)[0]?.decision.rule).toBe('paused');
    const brake: Tweak = (i) => ({ ...both(i), bounds: { ...both(i).bounds, paused: false } });
    expect(run(1, brake)[0]?.decision.rule).toBe('emergency_brake');
    const crossed: Tweak = (i) => ({
      ...i,
      bounds: { ...i.bounds, minPerSecond: 50, maxPerSecond: 20 },
    });
    expect(run(1, crossed)[0]?.decision).toMatchObject({ ratePerSecond: 20, rule: 'operator_max' });
  });

  it('cuts at most once per hold period under sustained overload', () => {
    // Goodput 500/s under overload, rate 2,000: every tick is evidence enough to cut.
    const r = run(25, overloaded, null, 2_000);
    const cuts = r.filter((x) => x.decision.rule === 'overload_cut').length;
    // The hold is half the measured dead time (session time 25 s in these inputs).
    const hold = defaultControllerConfig.cutHoldDeadTimes * 25;
    expect(cuts).toBe(Math.ceil(25 / hold));
    expect(r.at(-1)?.decision.ratePerSecond).toBeLessThan(2_000);
  });

  it('does not cut again when the rate already sits below the goodput under overload', () => {
    // Goodput 500/s under overload: a rate of 300 is already below 0.85 × 500.
    const r = run(12, overloaded, null, 300);
    expect(r.every((x) => x.decision.ratePerSecond === 300)).toBe(true);
  });

  it('treats a percentile from too few commits as unknown, not healthy', () => {
    const few: Tweak = (i) => ({ ...i, booking: { ...i.booking, commitSamples: 49 } });
    const r = run(30, few);
    expect(r.every((x) => x.decision.ratePerSecond === 100)).toBe(true);
  });

  it('grows on headroom, no faster than the goodput lead allows', () => {
    const r = run(60, (i) => i);
    const rates = r.map((x) => x.decision.ratePerSecond);
    expect(rates.at(-1)).toBeGreaterThan(100);
    // goodput 500/s in these inputs: the rate stops at 1.3 × 500.
    expect(Math.max(...rates)).toBeLessThanOrEqual(
      500 * defaultControllerConfig.goodputLead + 1e-9,
    );
  });

  it('holds on blind inputs, then decays slowly toward the minimum, never up', () => {
    const blind: Tweak = (i) => ({
      ...i,
      booking: { ...i.booking, ageMs: null },
      bounds: { ...i.bounds, minPerSecond: 10 },
    });
    const r = run(60, blind, null, 200);
    const rates = r.map((x) => x.decision.ratePerSecond);
    const holdTicks = defaultControllerConfig.blindHoldSeconds;
    expect(rates.slice(0, holdTicks).every((x) => x === 200)).toBe(true);
    expect(r[holdTicks]?.decision.rule).toBe('blind_decay');
    for (let t = 1; t < rates.length; t++) expect(rates[t]).toBeLessThanOrEqual(rates[t - 1] ?? 0);
    expect(rates.at(-1)).toBeGreaterThan(10);
    expect(rates.at(-1)).toBeLessThan(200);
  });

  it('caps active sessions by rate × measured session time × 1.1', () => {
    const steady: Tweak = (i) => ({
      ...i,
      booking: { ...i.booking, commitP95Ms: 120 },
      sessions: { ...i.sessions, active: 2_700 },
    });
    const r = run(40, steady);
    // Before one session time (25 s) of measurements only the operator's cap applies.
    expect(r[0]?.decision.activeSessionCap).toBe(1_000_000);
    // 100/s × 25 s × 1.1 = 2,750: 50 of headroom.
    expect(r.at(-1)?.decision).toMatchObject({
      activeSessionCap: 2_750,
      admit: 50,
      rule: 'session_cap',
    });
  });

  it('is deterministic and its state survives a JSON round trip', () => {
    const tweak: Tweak = (i) => ({ ...i, booking: { ...i.booking, commitP95Ms: 70 } });
    const direct = run(40, tweak);
    let s: ControllerState | null = null;
    const viaJson = [];
    for (let t = 0; t < 40; t++) {
      const r = decide(tweak(healthyInputs({ nowMs: 1_000_000 + t * 1_000 })), s, {
        initialRatePerSecond: 100,
      });
      s = JSON.parse(JSON.stringify(r.state)) as ControllerState;
      viaJson.push(r);
    }
    expect(viaJson).toEqual(direct);
  });
});
