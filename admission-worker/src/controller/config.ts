// Default tuning of the admission controller. Every value is argued in
// docs/adr/0010-admission-controller.md; the simulation (src/sim) is the evidence.
import type { ControllerConfig } from './types.ts';

export const defaultControllerConfig: Readonly<ControllerConfig> = Object.freeze({
  initialRatePerSecond: 10,
  minSamples: 50,
  staleAfterMs: 6_000,
  blindHoldSeconds: 10,
  blindDecayPerSecond: 0.02,
  fallbackDeadTimeSeconds: 20,
  cutHoldDeadTimes: 1,
  increaseHoldDeadTimes: 1,
  cutToGoodput: 0.85,
  deepestCut: 0.5,
  increasePerDeadTime: 0.8,
  smoothingSeconds: 8,
  floorSmoothingSeconds: 30,
  floorAfterTicks: 6,
  floorNoise: 2,
  floorWellSampled: 250,
  inflationFull: 1.04,
  inflationNone: 1.14,
  inflationKnee: 1.3,
  kneeGoodputShare: 0.9,
  kneeUtilisation: 0.92,
  headroomLatency: 0.6,
  goodputLead: 1.3,
  spellGapSeconds: 5,
  easeBelowStrength: 0.5,
  capacityCeiling: 0.9,
  liftStrength: 0.95,
  probeStrength: 0.5,
  probeFraction: 0.25,
  peakAdmittedShare: 0.96,
  errorTolerance: 0,
  poolWaitingTolerance: 0,
  lockWaitTolerance: 0.25,
  sessionCapMargin: 1.1,
  sessionCapGoodput: 0.92,
  sessionCapCapacityFloor: 0.8,
  uncapStrength: 0.5,
  limitedShare: 0.9,
  steadyBand: 0.05,
  minConversion: 0.2,
  stretchedWindowSeconds: 12,
  recoveryInflation: 1.3,
  recoveryTicks: 3,
});

export function resolveControllerConfig(config?: Partial<ControllerConfig>): ControllerConfig {
  return { ...defaultControllerConfig, ...config };
}
