// The simulated booking backend's constants and the scenarios of CONTROLLER.md. Everything the
// simulation assumes is here, so docs/simulation.md and the code cannot drift apart silently.

export const backendModel = Object.freeze({
  /** Connections in booking-api's pool; requests beyond it queue in front of it. */
  poolSize: 64,
  /** A request still unanswered this long (s) after it was sent is dropped as an error. */
  clientTimeoutSeconds: 15,
  /** After an error, the visitor retries once with this probability, this long (s) later. */
  retryProbability: 0.5,
  retryDelaySeconds: 5,
  /** A visitor keeps the session this long (s) after a successful booking. */
  sessionAfterBookingSeconds: 5,
  /** USL: X(n) = perCoreRate × min(n, cores) / (1 + kappa × n × (n − 1)); 50/s per core is 20 ms. */
  perCoreRate: 50,
  kappa: 3e-5,
  fullCores: 16,
  reducedCores: 8,
});

export const timeline = Object.freeze({
  horizonSeconds: 900,
  dropAtSeconds: 300,
  restoreAtSeconds: 600,
});

export interface Scenario {
  name: string;
  /** Think time (s) from admission to the booking request, uniform. */
  thinkMin: number;
  thinkMax: number;
  /** The controller's first rate as a fraction of the ideal rate r*. */
  priorFraction: number;
  /** Health unavailable to the controller for [startSeconds, startSeconds + seconds). */
  blackout: { startSeconds: number; seconds: number } | null;
  /** Health reaches the controller this many seconds late (0: fresh). */
  staleSeconds: number;
}

const base: Scenario = {
  name: 'base',
  thinkMin: 10,
  thinkMax: 30,
  priorFraction: 0.4,
  blackout: null,
  staleSeconds: 0,
};

export const scenarios: readonly Scenario[] = Object.freeze([
  base,
  { ...base, name: 'blackout_30s', blackout: { startSeconds: 200, seconds: 30 } },
  { ...base, name: 'stale_5s', staleSeconds: 5 },
  { ...base, name: 'think_5_15', thinkMin: 5, thinkMax: 15 },
  { ...base, name: 'think_20_60', thinkMin: 20, thinkMax: 60 },
  { ...base, name: 'prior_15', priorFraction: 0.15 },
  { ...base, name: 'prior_75', priorFraction: 0.75 },
]);

/** Mean think time θ of a scenario: the dead time every target is measured in. */
export function deadTime(s: Scenario): number {
  return (s.thinkMin + s.thinkMax) / 2;
}

/** Database cores at a moment of the timeline. */
export function coresAt(seconds: number): number {
  return seconds >= timeline.dropAtSeconds && seconds < timeline.restoreAtSeconds
    ? backendModel.reducedCores
    : backendModel.fullCores;
}

export function throughput(n: number, cores: number): number {
  if (n <= 0) return 0;
  const { perCoreRate, kappa } = backendModel;
  return (perCoreRate * Math.min(n, cores)) / (1 + kappa * n * (n - 1));
}
