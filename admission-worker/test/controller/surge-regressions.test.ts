// Regressions found by the end-to-end surge (test/e2e/surge.int.test.ts), replayed against the
// real controller with the inputs that run recorded (surge-replay.ts closes the loop the same
// way: admissions become commits 2 s later, 20 % of sessions last until token expiry, room
// bounds 10–80/s). Each test failed on the controller before the fix it names.
import { describe, expect, it } from 'vitest';
import { replaySurge } from './surge-replay.ts';

describe('surge regressions (CONTROLLER.md fact 4: low throughput is not low capacity)', () => {
  it('1. a pool blip with latency on its floor and cap-limited goodput does not pin the rate to the minimum', () => {
    // Recorded: goodput low because the session cap held admissions back; one tick with three
    // callers waiting for a connection (latency 1.00× unloaded) was read as saturation, the
    // goodput of that tick became the capacity, and every later tick said "latency 1.00×
    // unloaded; easing to 6/s" while the rate sat at the operator minimum.
    const ticks = replaySurge({ ticks: 100, prior: 20, poolBlips: [20] });
    const after = ticks.filter((x) => x.t > 22 && x.t < 100);
    const eased = after.filter((x) => x.decision.reason.includes('easing'));
    expect(eased.map((x) => `${x.t}: ${x.decision.reason}`)).toEqual([]);
    // Latency stays on its floor, nobody waits for a connection: that is headroom.
    expect(ticks.at(-1)?.decision.ratePerSecond).toBeGreaterThan(30);
  });

  it('2. the session cap does not bind below the rate while the backend shows headroom', () => {
    // Recorded: the mean session time came from sessions that ended (the short ones end
    // first), 3 s against a true mean near 7.6 s, so the cap (rate × 3 s × 1.1) held 42 active
    // sessions at a rate of 12/s and admissions stopped for 20 s with latency at its floor.
    const ticks = replaySurge({ ticks: 100, prior: 10 });
    // The operator's own cap (600) may bind; the controller's Little's-law cap must not.
    const capped = ticks.filter(
      (x) =>
        x.decision.rule === 'session_cap' &&
        x.decision.activeSessionCap < x.inputs.bounds.maxActiveSessions,
    );
    expect(capped.map((x) => `${x.t}: ${x.decision.reason}`)).toEqual([]);
    const owed = ticks.slice(0, 60).reduce((a, x) => a + x.decision.ratePerSecond, 0);
    const admitted = ticks.slice(0, 60).reduce((a, x) => a + x.decision.admit, 0);
    expect(admitted).toBeGreaterThanOrEqual(0.95 * owed - 1);
  });

  it('2b. the session cap still binds while the backend is overloaded (fact 3)', () => {
    const ticks = replaySurge({ ticks: 100, prior: 20, slow: [40, 70] });
    const overloaded = ticks.filter(
      (x) => x.t >= 42 && x.t < 70 && (x.inputs.booking.poolWaiting ?? 0) > 0,
    );
    expect(overloaded.length).toBeGreaterThan(0);
    for (const x of overloaded) {
      expect(x.decision.activeSessionCap).toBeLessThan(600);
      expect(x.decision.admit).toBeLessThanOrEqual(
        Math.max(0, x.decision.activeSessionCap - x.inputs.sessions.active),
      );
    }
  });

  it('3. once commits are fast again the rate leaves the minimum (within 20 ticks, not never)', () => {
    // Recorded: commits serialised at 150 ms, then fast; p95 back to ~12 ms, yet the smoothed
    // latency ("14.9× unloaded: near the knee; easing to 3/s") and the capacity learned in the
    // slow spell kept the rate at the operator minimum for over 45 s.
    const ticks = replaySurge({ ticks: 140, prior: 20, slow: [40, 70] });
    const back = ticks.find((x) => x.t > 70 && (x.inputs.booking.commitP95Ms ?? 1e9) <= 15);
    expect(back).toBeDefined();
    const from = back?.t ?? 0;
    // Three clean ticks reset the smoothed latency to the knee's onset (1.3×); it then reads
    // full headroom (≤ 1.045×) after about 15 more, when the capacity estimate rises again.
    const raised = ticks.find((x) => x.t >= from && x.decision.ratePerSecond > 10.5);
    expect(raised?.t ?? Number.POSITIVE_INFINITY).toBeLessThanOrEqual(from + 20);
    // And it keeps climbing on headroom (30 s later well above the minimum).
    const later = ticks.find((x) => x.t === from + 30);
    expect(later?.decision.ratePerSecond).toBeGreaterThan(15);
  });
});
