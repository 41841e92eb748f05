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
  /**
   * Length (s) of the window the counts above cover. With it the controller turns
   * commitSamples into a measured goodput (commits/s), which bounds how far it raises the rate
   * above what the backend has shown it can serve; without it that bound is skipped.
   */
  windowSeconds?: Signal;
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
  /** Why the room admits nobody when `paused`; by default, an operator's pause. */
  pausedReason?: string;
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
 * the first tick. Every field is a plain number or null, so JSON round trips are exact.
 */
export interface ControllerState {
  readonly version: 1;
  /** The admission rate (per second) after the last tick, operator bounds applied. */
  readonly ratePerSecond: number;
  /** Fraction of a visitor owed from earlier ticks, in [0, 1), so 2.5/s admits 5 per 2 s. */
  readonly remainder: number;
  /** Tick time (epoch ms) of the last multiplicative cut; null before the first. */
  readonly lastCutAtMs: number | null;
  /** Tick time the inputs went blind (missing or stale); null while they are fresh. */
  readonly blindSinceMs: number | null;
  /**
   * The backend's capacity (commits/s) as last measured under overload, then raised only while
   * the rate presses against it with latency on its floor. Null until the first overload.
   */
  readonly capacityEstimate: number | null;
  /** Tick time the pool was last seen saturated (callers queueing for a connection). */
  readonly saturatedAtMs: number | null;
  /**
   * The highest goodput level ever served while healthy, from the slowly smoothed goodput (a
   * maximum of the fast one ratchets up on noise): a recovery ramp is quick up to it.
   */
  readonly peakGoodput: number | null;
  /** Commit p50 and p95 (ms), smoothed over a few seconds of ticks with enough samples. */
  readonly smoothedP50Ms: number | null;
  readonly smoothedP95Ms: number | null;
  /** The same, smoothed much more slowly: the estimate the unloaded floor is taken from. */
  readonly slowP50Ms: number | null;
  readonly slowP95Ms: number | null;
  /** Ticks whose percentiles were known: the floor is only trusted once there are enough. */
  readonly latencyTicks: number;
  /** The lowest slowly smoothed p50 and p95 seen: the backend's unloaded latency. */
  readonly baseP50Ms: number | null;
  readonly baseP95Ms: number | null;
  /** Goodput (commits/s), smoothed over a few seconds. */
  readonly smoothedGoodput: number | null;
  /** Goodput smoothed slowly (floorSmoothingSeconds): the healthy peak is taken from it. */
  readonly slowGoodput?: number | null;
  /** Admissions per second smoothed as slowly (floorSmoothingSeconds); absent before. */
  readonly slowAdmitted?: number | null;
  /** Tick time session times were first measured; null before. */
  readonly sessionsMeasuredSinceMs: number | null;
  /**
   * Share of the admissions the rate owed that were made (the rest held back by the session
   * cap or by nobody waiting), smoothed over a few seconds; absent (1) before the first tick.
   * Below `limitedShare` the goodput is the controller's own limit, not the backend's.
   */
  readonly admittedShare?: number | null;
  /** Consecutive ticks whose fresh commit latency sat near its unloaded floor, with no pool
   * queue and no errors: after `recoveryTicks` of them the smoothed latency drops to it. */
  readonly floorTicks?: number;
  /** Tick time callers were last seen waiting for a pool connection; null before. */
  readonly poolQueuedAtMs?: number | null;
  /** Tick time the current (or last) saturated spell began. */
  readonly spellStartMs?: number | null;
  /**
   * Commits per admitted visitor (0–1), measured while the rate held steady and healthy for a
   * dead time and the slow smoothing; absent or null (taken as 1) until then. Not everyone
   * admitted books (a class sold out, a visitor who leaves), and every goodput the controller
   * compares with its rate is divided by it, so a low share of bookers does not read as a low
   * capacity.
   */
  readonly conversion?: number | null;
  /** The rate a steady spell began at, and when: the conversion is measured only in one. */
  readonly steadyRate?: number | null;
  readonly steadySinceMs?: number | null;
}

/** Tuning of the update rule; see docs/adr/0010-admission-controller.md for why each value. */
export interface ControllerConfig {
  /** Rate (per second) of the first tick: the operator's prior, clamped to the bounds. */
  initialRatePerSecond: number;
  /** A percentile from fewer commits than this is unknown. */
  minSamples: number;
  /** Health older than this (ms) is blind. */
  staleAfterMs: number;
  /** Blind for up to this long (s): hold the rate; after it, decay toward the minimum. */
  blindHoldSeconds: number;
  /** Blind decay: the gap to the minimum shrinks by this fraction per second. */
  blindDecayPerSecond: number;
  /** Dead time (s) assumed until a session time has been measured. */
  fallbackDeadTimeSeconds: number;
  /** At most one multiplicative cut per this many dead times. */
  cutHoldDeadTimes: number;
  /** No increase for this many dead times after a cut: its effect is not visible before. */
  increaseHoldDeadTimes: number;
  /** A cut sets the rate to this fraction of the goodput measured under overload... */
  cutToGoodput: number;
  /** ...but never below this fraction of the rate (and without a goodput, exactly it). */
  deepestCut: number;
  /** Growth per dead time (log rate) at full headroom: gain × dead time, well below 1. */
  increasePerDeadTime: number;
  /** Time constant (s) of the latency and goodput smoothing. */
  smoothingSeconds: number;
  /** Time constant (s) of the slow smoothing the unloaded floor is read from; the floor is
   * trusted after this many ticks with known percentiles. */
  floorSmoothingSeconds: number;
  /** Ticks with known percentiles before latency inflation is read at all. */
  floorAfterTicks: number;
  /**
   * On a tick with fewer commits than `floorWellSampled`, a slow average lowers the floor only
   * to slow × (1 + floorNoise / √commits × √(a / (2 − a))), a being the slow smoothing's
   * weight: the spread of that average when one second's percentile spreads 1/√commits
   * (commit latency percentiles spread about 1.4/√commits, so 2 is about 1.4 spreads).
   */
  floorNoise: number;
  floorWellSampled: number;
  /** Latency inflation (smoothed over unloaded) at or below which headroom is full... */
  inflationFull: number;
  /** ...and at or above which there is none: the knee is close. */
  inflationNone: number;
  /** Latency inflation at which the goodput served is taken as the capacity (the knee)… */
  inflationKnee: number;
  /** …provided the goodput is at least this share of the rate (the pipeline is full)… */
  kneeGoodputShare: number;
  /** …divided by this: the share of capacity in use when latency has risen that far. */
  kneeUtilisation: number;
  /** Commit p95 above this fraction of the target is never headroom, whatever the inflation. */
  headroomLatency: number;
  /** The rate rises at most to this multiple of the smoothed goodput (at full headroom). */
  goodputLead: number;
  /** Saturated ticks this many seconds apart belong to separate spells (capacity re-measured). */
  spellGapSeconds: number;
  /** Below this headroom strength a rate above the goodput lead eases down to it. */
  easeBelowStrength: number;
  /** The rate stays under this fraction of the capacity estimate. */
  capacityCeiling: number;
  /** Headroom strength (0–1) from which pressing on the capacity estimate raises it quickly. */
  liftStrength: number;
  /** Headroom strength from which a goodput pressing on the ceiling raises it slowly. */
  probeStrength: number;
  /** The healthy peak is at least this share of the slowly smoothed admission level held on a
   * tick that read headroom (the goodput level trails it by a dead time and more). */
  peakAdmittedShare: number;
  /** Beyond the healthy peak goodput the estimate grows this much slower, and only while the
   * goodput itself (not just the rate) presses on the ceiling: probing. */
  probeFraction: number;
  /** Errors (5xx plus timeouts) per request above this fraction are overload. */
  errorTolerance: number;
  /** Callers waiting for a pool connection above this fraction of the pool are overload. */
  poolWaitingTolerance: number;
  /** Sessions waiting on a lock above this fraction of the pool are overload. */
  lockWaitTolerance: number;
  /** Active-session cap = rate × measured session time × this (Little's law plus margin). */
  sessionCapMargin: number;
  /** The rate in that cap is at most this share of the smoothed goodput (what is served)… */
  sessionCapGoodput: number;
  /** …and never below this share of the capacity estimate (no spiral with the goodput). */
  sessionCapCapacityFloor: number;
  /** The session cap is lifted on ticks whose headroom strength is at least this: latency on
   * its floor, no pool queue, no errors (the cap is the backstop for load, not for headroom). */
  uncapStrength: number;
  /** Admitted share of what the rate owed below which the goodput is demand- or cap-limited
   * and says nothing about capacity (no easing down to it). */
  limitedShare: number;
  /** A steady spell (for measuring the conversion) lasts while the rate stays within this
   * fraction of the rate it began at. */
  steadyBand: number;
  /** A booking latency window reported longer than this (the booking API's is 10 s) has
   * stretched back to older commits for want of new ones. */
  stretchedWindowSeconds: number;
  /** The conversion is never taken below this: below it a reading is more likely a stall. */
  minConversion: number;
  /** Fresh latency at or below this multiple of its floor counts as recovered… */
  recoveryInflation: number;
  /** …and after this many such ticks in a row the smoothed latency drops to the fresh one. */
  recoveryTicks: number;
}

export interface ControllerResult {
  decision: ControllerDecision;
  state: ControllerState;
}
