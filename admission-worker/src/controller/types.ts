// The admission controller's contract: what one tick knows, what it decides, and the state it
// carries to the next tick. The controller itself (controller.ts) is a pure function of these;
// production (ticks/) and the simulation (sim/) fill the inputs from their own sources.

/** A measured signal: its value, or null when unknown (too few samples, too old, unreadable). */
export type Signal = number | null;

/** The booking API's health, summed or taken worst-of over its instances, for the last window. */
export interface BookingHealth {
  /** Commit latency percentiles (ms) over the window; null with fewer than the minimum samples. */
  commitP50Ms: Signal;
  commitP95Ms: Signal;
  /** Commits in the window (0 is a real value: nothing was committed). */
  commitSamples: number;
  /** Connection pool: connections in use, callers waiting for one, and the pool's size. */
  poolBusy: Signal;
  poolWaiting: Signal;
  poolMax: Signal;
  /** Requests being served now. */
  inFlight: Signal;
  /** Requests answered in the window, and of them 5xx answers and timeouts (load shed included). */
  requests: Signal;
  errors5xx: Signal;
  timeouts: Signal;
  /** Age (ms) of the newest summary read; the controller treats an old one as blind. */
  ageMs: number | null;
}

export interface DatabaseHealth {
  /** Sessions waiting on a lock, and active sessions (pg_stat_activity). */
  lockWaits: Signal;
  activeSessions: Signal;
}

export interface QueueSignals {
  /** Visitors waiting behind the pointer. */
  waiting: number;
  /** Age (ms) of the visitor at the head of the queue; null when nobody waits. */
  headAgeMs: number | null;
}

export interface SessionSignals {
  /** Admitted sessions issued and not yet consumed or expired. */
  active: number;
  /** Mean measured session time (s), admission to booking or expiry; null until measured. */
  meanSessionSeconds: Signal;
  /** Live seat holds. */
  liveHolds: Signal;
}

/** The operator's bounds for the room; precedence pause > brake > max > min > controller. */
export interface OperatorBounds {
  paused: boolean;
  emergencyBrake: boolean;
  minPerSecond: number;
  maxPerSecond: number;
  maxActiveSessions: number;
  /** Booking commit p95 the controller aims below (ms). */
  latencyTargetMs: number;
}

export interface ControllerInputs {
  /** Epoch ms of this tick. */
  nowMs: number;
  /** Seconds since the previous tick (the admissions decided are for this long). */
  intervalSeconds: number;
  /** False when the queue's own store (Redis) could not be read: admit nobody. */
  queueReachable: boolean;
  booking: BookingHealth;
  database: DatabaseHealth;
  queue: QueueSignals;
  sessions: SessionSignals;
  bounds: OperatorBounds;
}

/** Which rule decided this tick; recorded with every decision. */
export type ControllerRule =
  | 'paused'
  | 'emergency_brake'
  | 'queue_unreachable'
  | 'operator_max'
  | 'operator_min'
  | 'session_cap'
  | 'blind_hold'
  | 'blind_decay'
  | 'overload_cut'
  | 'cut_hold'
  | 'headroom_increase'
  | 'steady'
  | 'no_demand';

export interface ControllerDecision {
  /** Visitors to admit this tick (a whole number, never negative). */
  admit: number;
  /** The admission rate (per second) the controller is running at after this tick. */
  ratePerSecond: number;
  /** Active admitted sessions allowed (Little's law from the measured session time). */
  activeSessionCap: number;
  rule: ControllerRule;
  /** A short human-readable reason, for the live view and the audit. */
  reason: string;
}

/**
 * Carried from tick to tick (stored as JSON in Redis between ticks of a room). The
 * controller owns its fields; callers pass back exactly what they were given, or null on
 * the first tick.
 */
export type ControllerState = Readonly<Record<string, unknown>>;

export interface ControllerResult {
  decision: ControllerDecision;
  state: ControllerState;
}
