// fast-check generators for controller inputs and states, shared by the controller tests.
import fc from 'fast-check';
import type {
  ControllerInputs,
  ControllerState,
  OperatorBounds,
} from '../../src/controller/index.ts';

export const healthyInputs = (over: Partial<ControllerInputs> = {}): ControllerInputs => ({
  nowMs: 1_000_000,
  intervalSeconds: 1,
  queueReachable: true,
  booking: {
    commitP50Ms: 20,
    commitP95Ms: 60,
    commitSamples: 500,
    poolBusy: 10,
    poolWaiting: 0,
    poolMax: 64,
    inFlight: 10,
    requests: 500,
    errors5xx: 0,
    timeouts: 0,
    ageMs: 200,
    windowSeconds: 1,
  },
  database: { lockWaits: 0, activeSessions: 10 },
  queue: { waiting: 100_000, headAgeMs: 60_000 },
  sessions: { active: 0, meanSessionSeconds: 25, liveHolds: 100 },
  bounds: {
    paused: false,
    emergencyBrake: false,
    minPerSecond: 0,
    maxPerSecond: 10_000,
    maxActiveSessions: 1_000_000,
    latencyTargetMs: 150,
  },
  ...over,
});

const signal = (arb: fc.Arbitrary<number>) => fc.option(arb, { nil: null, freq: 5 });

export const boundsArb: fc.Arbitrary<OperatorBounds> = fc.record({
  paused: fc.boolean(),
  emergencyBrake: fc.boolean(),
  minPerSecond: fc.oneof(fc.constant(0), fc.double({ min: 0, max: 200, noNaN: true })),
  maxPerSecond: fc.oneof(fc.constant(10_000), fc.double({ min: 0, max: 2_000, noNaN: true })),
  maxActiveSessions: fc.oneof(fc.constant(1_000_000), fc.integer({ min: 0, max: 50_000 })),
  latencyTargetMs: fc.double({ min: 50, max: 1_000, noNaN: true }),
});

export const inputsArb: fc.Arbitrary<ControllerInputs> = fc.record({
  nowMs: fc.integer({ min: 1_000_000, max: 1_030_000 }),
  intervalSeconds: fc.double({ min: 0.2, max: 3, noNaN: true }),
  queueReachable: fc.oneof(
    { arbitrary: fc.constant(true), weight: 9 },
    { arbitrary: fc.constant(false), weight: 1 },
  ),
  booking: fc.record({
    commitP50Ms: signal(fc.double({ min: 1, max: 500, noNaN: true })),
    commitP95Ms: signal(fc.double({ min: 5, max: 3_000, noNaN: true })),
    commitSamples: fc.integer({ min: 0, max: 2_000 }),
    poolBusy: signal(fc.integer({ min: 0, max: 64 })),
    poolWaiting: signal(fc.integer({ min: 0, max: 500 })),
    poolMax: signal(fc.constant(64)),
    inFlight: signal(fc.integer({ min: 0, max: 600 })),
    requests: signal(fc.integer({ min: 0, max: 2_000 })),
    errors5xx: signal(fc.integer({ min: 0, max: 50 })),
    timeouts: signal(fc.integer({ min: 0, max: 50 })),
    ageMs: fc.option(fc.integer({ min: 0, max: 20_000 }), { nil: null, freq: 8 }),
    windowSeconds: signal(fc.constant(1)),
  }),
  database: fc.record({
    lockWaits: signal(fc.integer({ min: 0, max: 40 })),
    activeSessions: signal(fc.integer({ min: 0, max: 100 })),
  }),
  queue: fc.record({
    waiting: fc.oneof(fc.integer({ min: 0, max: 50 }), fc.integer({ min: 0, max: 1_000_000 })),
    headAgeMs: fc.option(fc.integer({ min: 0, max: 600_000 }), { nil: null }),
  }),
  sessions: fc.record({
    active: fc.integer({ min: 0, max: 60_000 }),
    meanSessionSeconds: signal(fc.double({ min: 1, max: 120, noNaN: true })),
    liveHolds: signal(fc.integer({ min: 0, max: 10_000 })),
  }),
  bounds: boundsArb,
});

const latency = fc.option(fc.double({ min: 1, max: 500, noNaN: true }), { nil: null });

export const stateArb = (nowMs = 1_000_000): fc.Arbitrary<ControllerState | null> =>
  fc.option(
    fc.record({
      version: fc.constant(1 as const),
      ratePerSecond: fc.double({ min: 0, max: 2_000, noNaN: true }),
      remainder: fc.double({ min: 0, max: 0.999, noNaN: true }),
      lastCutAtMs: fc.option(fc.integer({ min: nowMs - 60_000, max: nowMs }), { nil: null }),
      blindSinceMs: fc.option(fc.integer({ min: nowMs - 60_000, max: nowMs }), { nil: null }),
      capacityEstimate: fc.option(fc.double({ min: 0, max: 2_000, noNaN: true }), { nil: null }),
      peakGoodput: fc.option(fc.double({ min: 0, max: 2_000, noNaN: true }), { nil: null }),
      smoothedP50Ms: latency,
      smoothedP95Ms: latency,
      slowP50Ms: latency,
      slowP95Ms: latency,
      latencyTicks: fc.integer({ min: 0, max: 1_000 }),
      baseP50Ms: latency,
      baseP95Ms: latency,
      smoothedGoodput: fc.option(fc.double({ min: 0, max: 2_000, noNaN: true }), { nil: null }),
      saturatedAtMs: fc.option(fc.integer({ min: nowMs - 60_000, max: nowMs }), { nil: null }),
      sessionsMeasuredSinceMs: fc.option(fc.integer({ min: nowMs - 600_000, max: nowMs }), {
        nil: null,
      }),
    }),
    { nil: null, freq: 6 },
  );

/** Inputs that look healthy (headroom) apart from what a property varies. */
export const healthyInputsArb: fc.Arbitrary<ControllerInputs> = fc
  .record({
    p50: fc.double({ min: 10, max: 20, noNaN: true }),
    p95: fc.double({ min: 40, max: 80, noNaN: true }),
    samples: fc.integer({ min: 100, max: 2_000 }),
    nowMs: fc.integer({ min: 1_000_000, max: 1_030_000 }),
  })
  .map(({ p50, p95, samples, nowMs }) => {
    const base = healthyInputs({ nowMs });
    return {
      ...base,
      booking: {
        ...base.booking,
        commitP50Ms: p50,
        commitP95Ms: p95,
        commitSamples: samples,
        requests: samples,
      },
    };
  });

/** A state from a controller that has run a while: floors known, no recent cut. */
export const matureStateArb: fc.Arbitrary<ControllerState> = fc
  .record({
    rate: fc.double({ min: 1, max: 1_000, noNaN: true }),
    p50: fc.double({ min: 10, max: 20, noNaN: true }),
    p95: fc.double({ min: 40, max: 80, noNaN: true }),
  })
  .map(({ rate, p50, p95 }) => ({
    version: 1 as const,
    ratePerSecond: rate,
    remainder: 0,
    lastCutAtMs: null,
    blindSinceMs: null,
    capacityEstimate: null,
    peakGoodput: null,
    saturatedAtMs: null,
    smoothedP50Ms: p50,
    smoothedP95Ms: p95,
    slowP50Ms: p50,
    slowP95Ms: p95,
    latencyTicks: 100,
    baseP50Ms: p50,
    baseP95Ms: p95,
    smoothedGoodput: rate,
    sessionsMeasuredSinceMs: null,
  }));
