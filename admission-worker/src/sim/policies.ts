// What decides admissions in a simulated run: the real controller (imported, never copied) or
// one of the two baselines it is compared with.

import type { ControllerInputs, ControllerState } from '../controller/index.ts';
import { decide } from '../controller/index.ts';

export type PolicyName = 'controller' | 'static' | 'periodic_alarm';

export interface TickOutcome {
  admit: number;
  ratePerSecond: number;
  rule: string;
  reason: string;
}

export interface Policy {
  tick(inputs: ControllerInputs): TickOutcome;
}

export interface PolicyContext {
  /** The ideal rate r* at full capacity (the open-loop sweep's answer). */
  idealRate: number;
  /** The controller's prior, as a fraction of r*. */
  priorFraction: number;
}

export function createPolicy(name: PolicyName, ctx: PolicyContext): Policy {
  if (name === 'controller') return controllerPolicy(ctx.idealRate * ctx.priorFraction);
  if (name === 'static') return staticPolicy(0.9 * ctx.idealRate);
  return periodicAlarmPolicy(0.9 * ctx.idealRate);
}

function controllerPolicy(prior: number): Policy {
  let state: ControllerState | null = null;
  return {
    tick(inputs) {
      const result = decide(inputs, state, { initialRatePerSecond: prior });
      state = result.state;
      const { admit, ratePerSecond, rule, reason } = result.decision;
      return { admit, ratePerSecond, rule, reason };
    },
  };
}

/** A fixed rate, set once from the ideal rate: what a hand-tuned outflow does. */
function staticPolicy(rate: number): Policy {
  let owed = 0;
  return {
    tick(inputs) {
      owed += rate * inputs.intervalSeconds;
      const whole = Math.min(Math.floor(owed), inputs.queue.waiting);
      owed -= Math.floor(owed);
      return { admit: whole, ratePerSecond: rate, rule: 'static', reason: 'fixed rate' };
    },
  };
}

/**
 * AWS virtual-waiting-room style: once a minute the inlet moves the serving counter by a fixed
 * step (here a minute's worth of 0.9 r*), and skips the step while an alarm fires. The alarm is
 * a one-minute datapoint, as a CloudWatch alarm on the booking latency and error metrics would
 * see it: mean commit p95 over the minute above the target, or any error in it.
 */
function periodicAlarmPolicy(rate: number): Policy {
  const step = Math.round(rate * 60);
  let seconds = 0;
  let p95Sum = 0;
  let p95Count = 0;
  let errors = 0;
  return {
    tick(inputs) {
      const b = inputs.booking;
      if (b.commitP95Ms !== null && b.commitSamples > 0) {
        p95Sum += b.commitP95Ms;
        p95Count++;
      }
      errors += (b.errors5xx ?? 0) + (b.timeouts ?? 0);
      const due = seconds % 60 === 0;
      seconds++;
      if (!due)
        return { admit: 0, ratePerSecond: rate, rule: 'periodic_wait', reason: 'between steps' };
      const alarm =
        (p95Count > 0 && p95Sum / p95Count > inputs.bounds.latencyTargetMs) || errors > 0;
      p95Sum = 0;
      p95Count = 0;
      errors = 0;
      if (alarm) {
        return { admit: 0, ratePerSecond: rate, rule: 'periodic_alarm', reason: 'alarm firing' };
      }
      return {
        admit: Math.min(step, inputs.queue.waiting),
        ratePerSecond: rate,
        rule: 'periodic_step',
        reason: 'one minute step',
      };
    },
  };
}
