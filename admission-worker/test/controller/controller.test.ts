import { describe, expect, it } from 'vitest';
import type {
  ControllerInputs,
  ControllerResult,
  ControllerState,
} from '../../src/controller/index.ts';
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

  it('does not cut again on the tail of the saturated spell it already cut in', () => {
    // A capacity drop: the spell began 31 s ago, the cut came with it 30 s ago (more than one
    // session time, 25 s), and the backlog admitted before it is still draining. This window
    // serves 250/s for want of arrivals, against the spell's 400/s: cutting to it compounds.
    const nowMs = 2_000_000;
    const state = (spellStartMs: number): ControllerState => ({
      ...decide(healthyInputs({ nowMs: nowMs - 1_000 }), null).state,
      ratePerSecond: 300,
      lastCutAtMs: nowMs - 30_000,
      capacityEstimate: 400,
      saturatedAtMs: nowMs - 1_000,
      spellStartMs,
      poolQueuedAtMs: nowMs - 1_000,
      smoothedGoodput: 260,
      baseP50Ms: 20,
      baseP95Ms: 60,
    });
    const tail = healthyInputs({ nowMs });
    const inputs: ControllerInputs = {
      ...tail,
      booking: { ...tail.booking, poolWaiting: 40, commitSamples: 250, commitP95Ms: 400 },
    };
    const sameSpell = decide(inputs, state(nowMs - 31_000));
    expect(sameSpell.decision.rule).toBe('cut_hold');
    // No new hold period starts: growth may resume once the backlog has gone.
    expect(sameSpell.state.lastCutAtMs).toBe(nowMs - 30_000);
    // Negative control: a spell that began after the last cut is new overload, and is cut.
    const newSpell = decide(inputs, state(nowMs - 10_000));
    expect(newSpell.decision.rule).toBe('overload_cut');
    expect(newSpell.state.lastCutAtMs).toBe(nowMs);
    expect(newSpell.decision.ratePerSecond).toBeLessThan(sameSpell.decision.ratePerSecond);
  });

  it('lowers the unloaded floor from a poorly sampled second only beyond its noise', () => {
    // Floor 60 ms p95 and 20 ms p50, mature; the slow averages sit 2 % under it, as the lowest
    // of noisy averages at a light load does. A tick of 100 commits (tolerance about 2.6 %)
    // leaves the floor where it is.
    const nowMs = 3_000_000;
    const state = (slow: number): ControllerState => ({
      ...decide(healthyInputs({ nowMs: nowMs - 1_000 }), null).state,
      latencyTicks: 100,
      baseP50Ms: 20,
      baseP95Ms: 60,
      slowP50Ms: 20 * slow,
      slowP95Ms: 60 * slow,
      smoothedP50Ms: 20 * slow,
      smoothedP95Ms: 60 * slow,
    });
    const tick = (commits: number, slow: number) => {
      const inputs = healthyInputs({ nowMs });
      return decide(
        {
          ...inputs,
          booking: {
            ...inputs.booking,
            commitSamples: commits,
            requests: commits,
            commitP50Ms: 20 * slow,
            commitP95Ms: 60 * slow,
          },
        },
        state(slow),
      ).state;
    };
    const light = tick(100, 0.98);
    expect(light.baseP95Ms).toBe(60);
    expect(light.baseP50Ms).toBe(20);
    // Negative controls: a well-sampled second (300 commits) at the same latency lowers it…
    const sampled = tick(300, 0.98);
    expect(sampled.baseP95Ms).toBeCloseTo(58.8, 6);
    expect(sampled.baseP50Ms).toBeCloseTo(19.6, 6);
    // …and so does a poorly sampled one whose average is lower by more than its noise.
    const lower = tick(100, 0.94);
    expect(lower.baseP95Ms).toBeLessThan(60 * 0.97);
    expect(lower.baseP95Ms).toBeGreaterThan(60 * 0.94);
  });

  it('remembers as the healthy peak most of the admission level, not only the goodput level', () => {
    // The goodput level (400/s) still trails the 600/s admitted: a capacity drop came before
    // the pipeline delivered. Latency sits on its floor, so this tick reads full headroom.
    const nowMs = 4_000_000;
    const state = (slowAdmitted: number | null): ControllerState => ({
      ...decide(healthyInputs({ nowMs: nowMs - 1_000 }), null).state,
      latencyTicks: 100,
      baseP50Ms: 20,
      baseP95Ms: 60,
      slowP50Ms: 20,
      slowP95Ms: 60,
      smoothedP50Ms: 20,
      smoothedP95Ms: 60,
      slowGoodput: 400,
      peakGoodput: 350,
      slowAdmitted,
    });
    const inputs = healthyInputs({ nowMs });
    const share = defaultControllerConfig.peakAdmittedShare;
    const peak = (s: ControllerState) => decide(inputs, s).state.peakGoodput ?? 0;
    // slowGoodput moves toward this tick's 500/s by one 30 s step: just above 400.
    expect(peak(state(600))).toBeCloseTo(share * 600, 6);
    // Negative controls: without an admission level, or with one below the goodput level, the
    // peak is the goodput level…
    expect(peak(state(null))).toBeLessThan(410);
    expect(peak(state(300))).toBeLessThan(410);
    // …and a tick with no headroom (commit p95 near the target) does not move the peak at all.
    const slow: ControllerInputs = {
      ...inputs,
      booking: { ...inputs.booking, commitP95Ms: 120, commitP50Ms: 40 },
    };
    expect(decide(slow, state(600)).state.peakGoodput).toBe(350);
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

  it('at the knee caps active sessions on the goodput served, never below 0.8 of the capacity', () => {
    // Latency 1.12× its floor (the knee: no clear headroom), no pool queue, no errors. Rate
    // 700/s, 18,000 sessions active, session time 25 s: a cap on the rate (19,250) would still
    // admit; the backend serves only 500/s, and the cap on what it serves stops admissions.
    const nowMs = 3_000_000;
    const knee = (goodput: number, capacity: number, p50 = 22.4, p95 = 67): ControllerResult => {
      const base = healthyInputs({ nowMs });
      const state: ControllerState = {
        ...decide(healthyInputs({ nowMs: nowMs - 1_000 }), null).state,
        ratePerSecond: 700,
        capacityEstimate: capacity,
        peakGoodput: 700,
        smoothedP50Ms: p50,
        smoothedP95Ms: p95,
        slowP50Ms: 20,
        slowP95Ms: 60,
        baseP50Ms: 20,
        baseP95Ms: 60,
        latencyTicks: 100,
        smoothedGoodput: goodput,
        sessionsMeasuredSinceMs: nowMs - 100_000,
      };
      return decide(
        {
          ...base,
          booking: {
            ...base.booking,
            commitP50Ms: p50,
            commitP95Ms: p95,
            commitSamples: goodput,
            requests: goodput,
          },
          sessions: { ...base.sessions, active: 18_000 },
        },
        state,
      );
    };
    // 0.92 × 500 = 460/s is below the floor 0.8 × 800 = 640/s: cap 640 × 25 × 1.1 = 17,600.
    expect(knee(500, 800).decision).toMatchObject({
      admit: 0,
      activeSessionCap: 17_600,
      rule: 'session_cap',
    });
    // A goodput held down to almost nothing does not drag the cap below the floor.
    expect(knee(100, 800).decision.activeSessionCap).toBe(17_600);
    // With the goodput above the rate, the cap is the rate's (rate × 25 s × 1.1), and admits.
    const served = knee(800, 1_000).decision;
    expect(served.activeSessionCap).toBe(Math.ceil(served.ratePerSecond * 25 * 1.1));
    expect(served.admit).toBeGreaterThanOrEqual(700);
    // Negative control: latency on its floor is clear headroom, and only the operator's cap binds.
    expect(knee(500, 800, 20, 60).decision).toMatchObject({ activeSessionCap: 1_000_000 });
  });

  it('grows past the operator minimum when only some of the admitted book, latency on its floor', () => {
    // The surge end-to-end run: 60 % of the admitted book, 5 s after admission, commits at their
    // unloaded latency, an operator minimum of 10/s. The goodput in commits is 0.6 of the rate
    // and a first approach may lead it by only 30 %; in admissions it is the whole rate.
    const book = (config: Partial<typeof defaultControllerConfig>) => {
      const admitted: number[] = [];
      let state: ControllerState | null = null;
      let last: ControllerResult | undefined;
      for (let t = 0; t < 150; t++) {
        // The booking API's 10 s window: commits from visitors admitted 5 s before each second.
        let commits = 0;
        for (let back = 5; back < 15; back++) commits += 0.6 * (admitted[t - back] ?? 0);
        const inputs = healthyInputs({ nowMs: 1_000_000 + t * 1_000 });
        last = decide(
          {
            ...inputs,
            booking: { ...inputs.booking, commitSamples: Math.round(commits), windowSeconds: 10 },
            sessions: { ...inputs.sessions, meanSessionSeconds: 5 },
            bounds: { ...inputs.bounds, minPerSecond: 10 },
          },
          state,
          { initialRatePerSecond: 10, ...config },
        );
        state = last.state;
        admitted.push(last.decision.admit);
      }
      return { rate: last?.decision.ratePerSecond ?? 0, conversion: state?.conversion };
    };
    const measured = book({});
    expect(measured.conversion).toBeCloseTo(0.6, 1);
    expect(measured.rate).toBeGreaterThan(20);
    // Negative control: with the conversion taken as one whatever is measured, the rate stays
    // pinned at the minimum, 1.3 × 0.6 of itself being less than itself.
    const pinned = book({ minConversion: 1 });
    expect(pinned.conversion).toBe(1);
    expect(pinned.rate).toBeLessThan(11);
  });

  it('does not take the lag of a ramp for a low conversion', () => {
    // Everyone books, 60 s after admission, while the rate ramps: commits trail admissions by
    // more than the slow average of admissions does.
    const ramp = (config: Partial<typeof defaultControllerConfig>) => {
      const admitted: number[] = [];
      let state: ControllerState | null = null;
      for (let t = 0; t < 300; t++) {
        const inputs = healthyInputs({ nowMs: 1_000_000 + t * 1_000 });
        const r = decide(
          {
            ...inputs,
            booking: { ...inputs.booking, commitSamples: admitted[t - 60] ?? 0 },
            sessions: { ...inputs.sessions, meanSessionSeconds: 60 },
          },
          state,
          { initialRatePerSecond: 100, ...config },
        );
        state = r.state;
        admitted.push(r.decision.admit);
      }
      return { last: admitted.at(-1) ?? 0, conversion: state?.conversion ?? 1 };
    };
    const steadyOnly = ramp({});
    expect(steadyOnly.last).toBeGreaterThan(200);
    expect(steadyOnly.conversion).toBe(1);
    // Negative control: measured on the ramp (every rate counts as steady), the lag reads as
    // visitors who do not book (0.69 here).
    expect(ramp({ steadyBand: Number.POSITIVE_INFINITY }).conversion).toBeLessThan(0.8);
  });

  it('does not stall on old slow commits while the booking backend sits idle', () => {
    // Recorded in the end-to-end surge: commits were slowed and then fast again, but the cap
    // had stopped admissions, so no commit came and the booking API's window stretched back
    // to the slow ones (p95 1,880 ms over 10.5 → 22 s); 24 sessions of people who found their
    // class sold out held the cap (18) until their tokens expired.
    const stall = (windowGrows: boolean) => {
      let state: ControllerState | null = null;
      const admitted: number[] = [];
      for (let t = 0; t < 34; t++) {
        const base = healthyInputs({ nowMs: 1_000_000 + t * 1_000 });
        const phase = t < 15 ? 'fast' : t < 19 ? 'slow' : 'idle';
        const booking = {
          ...base.booking,
          windowSeconds: phase === 'idle' && windowGrows ? 10 + (t - 18) : 10,
          commitSamples: phase === 'idle' ? 50 : 70,
          commitP95Ms: phase === 'fast' ? 60 : phase === 'slow' ? 1_000 + 200 * (t - 15) : 1_880,
          poolBusy: phase === 'slow' ? 10 : phase === 'fast' ? 2 : 0,
          poolWaiting: phase === 'slow' ? 8 : 0,
          poolMax: 10,
          inFlight: phase === 'slow' ? 18 : phase === 'fast' ? 2 : 0,
          requests: 250,
        };
        const r = decide(
          {
            ...base,
            booking,
            sessions: {
              ...base.sessions,
              active: phase === 'idle' ? 24 : 20,
              meanSessionSeconds: 2.5,
            },
            bounds: {
              ...base.bounds,
              minPerSecond: 10,
              maxActiveSessions: 600,
              latencyTargetMs: 500,
            },
          },
          state,
          { initialRatePerSecond: 10 },
        );
        state = r.state;
        if (phase === 'idle') admitted.push(r.decision.admit);
      }
      return admitted;
    };
    // Once the window reads longer than 12 s with nothing at the backend, the cap lets the
    // operator's minimum through, and new commits can refresh the window.
    expect(
      stall(true)
        .slice(-10)
        .every((admit) => admit >= 9),
    ).toBe(true);
    // Negative control: the same idle backend with a normal 10 s window keeps the cap, which
    // admits nobody (the rule is only for the stretched window, see idleOnOldCommits).
    expect(stall(false).every((admit) => admit === 0)).toBe(true);
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
