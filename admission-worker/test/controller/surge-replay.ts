// A small, deterministic replay of the end-to-end surge (test/e2e/surge.int.test.ts) for the
// controller's regression tests: each tick builds the ControllerInputs a production tick
// recorded there, from what the controller admitted earlier, so the loop of admissions,
// commits, session times and the booking API's health window is closed as it was in the run.
//
// - Admitted visitors book 2 s after admission (one commit each); 80 % then pay at once, which
//   ends their session; 20 % never pay, and their session lasts until the token expires (30 s).
// - Commits are fast (p50 5 ms, p95 12 ms) unless the replay makes them slow: then they are
//   serialised at `slowCommitsPerSecond`, the rest wait for a connection of a pool of 10, and
//   each slow commit holds its connection for `slowP95Ms`.
// - The booking API's window is the last 10 s, stretched back (at most 60 s) to hold 50
//   commits, and it reports its real length; percentiles are over the commits in it.
// - Sessions: active = admitted and not ended; mean = lifetimes of the sessions that ended in
//   the last 120 s over their number, unknown below 50 (admission-worker/src/health).
import type {
  ControllerDecision,
  ControllerInputs,
  ControllerState,
} from '../../src/controller/index.ts';
import { decide } from '../../src/controller/index.ts';

export interface ReplayOptions {
  ticks: number;
  /** Prior rate (visitors/s). */
  prior?: number;
  visitors?: number;
  /** Seconds (tick numbers) during which commits are slow: [from, to). */
  slow?: [number, number] | null;
  /** Ticks at which a caller briefly waits for a pool connection, commits still fast. */
  poolBlips?: number[];
  slowCommitsPerSecond?: number;
  slowP95Ms?: number;
}

export interface ReplayTick {
  t: number;
  inputs: ControllerInputs;
  decision: ControllerDecision;
  /** The freshest second's commit p95 (ms), as the booking API's 1 s view would show it. */
  freshP95Ms: number | null;
}

const deadTimeSeconds = 2;
const sessionSeconds = 30;
const poolSize = 10;

export function replaySurge(options: ReplayOptions): ReplayTick[] {
  const slowPerSecond = options.slowCommitsPerSecond ?? 1 / 0.15;
  const slowP95 = options.slowP95Ms ?? 1_500;
  const blips = new Set(options.poolBlips ?? []);
  const isSlow = (t: number) => options.slow != null && t >= options.slow[0] && t < options.slow[1];
  let waiting = options.visitors ?? 8_000;
  // Per second: commits made and their latencies (p50/p95 of that second, ms).
  const commits: number[] = [];
  const secondP50: number[] = [];
  const secondP95: number[] = [];
  // Visitors who reached booking and wait for a connection: [admittedAt, count].
  const bookQueue: Array<[number, number]> = [];
  const arrivals = new Map<number, number>();
  // Sessions: long ones end at admission + 30 s; ended lifetimes per second.
  const longEnds = new Map<number, number>();
  const endedCount: number[] = [];
  const endedSeconds: number[] = [];
  let active = 0;
  let longCarry = 0;
  let serviceCarry = 0;
  let state: ControllerState | null = null;
  const out: ReplayTick[] = [];
  const nowMs0 = 1_700_000_000_000;

  for (let t = 0; t < options.ticks; t++) {
    // The booking API's window over seconds before t.
    let samples = 0;
    let from = t;
    while (from > 0 && (t - from < 10 || samples < 50) && t - from < 60) {
      from--;
      samples += commits[from] ?? 0;
    }
    const windowSeconds = Math.max(1, t - from);
    const lat: Array<[number, number]> = [];
    for (let s = from; s < t; s++) {
      const n = commits[s] ?? 0;
      if (n > 0) {
        lat.push([secondP50[s] ?? 0, n / 2], [secondP95[s] ?? 0, n / 2]);
      }
    }
    lat.sort((a, b) => a[0] - b[0]);
    const pct = (q: number) => {
      let acc = 0;
      for (const [v, n] of lat) {
        acc += n;
        if (acc >= q * samples) return v;
      }
      return lat.at(-1)?.[0] ?? null;
    };
    const known = samples >= 50;
    const queued = bookQueue.reduce((a, [, n]) => a + n, 0);
    const poolWaiting = Math.max(0, queued - poolSize) + (blips.has(t) ? 3 : 0);
    let ended = 0;
    let endedSum = 0;
    for (let s = Math.max(0, t - 120); s < t; s++) {
      ended += endedCount[s] ?? 0;
      endedSum += endedSeconds[s] ?? 0;
    }
    const inputs: ControllerInputs = {
      nowMs: nowMs0 + t * 1_000,
      intervalSeconds: 1,
      queueReachable: true,
      booking: {
        commitP50Ms: known ? pct(0.5) : null,
        commitP95Ms: known ? pct(0.95) : null,
        commitSamples: samples,
        poolBusy: Math.min(poolSize, queued),
        poolWaiting,
        poolMax: poolSize,
        inFlight: queued,
        requests: samples * 3,
        errors5xx: 0,
        timeouts: 0,
        ageMs: 300,
        windowSeconds,
      },
      database: { lockWaits: 0, activeSessions: Math.min(poolSize, queued) },
      queue: { waiting, headAgeMs: waiting > 0 ? 30_000 : null },
      sessions: {
        active,
        meanSessionSeconds: ended >= 50 ? Math.round((endedSum / ended) * 100) / 100 : null,
        liveHolds: queued,
      },
      bounds: {
        paused: false,
        emergencyBrake: false,
        minPerSecond: 10,
        maxPerSecond: 80,
        maxActiveSessions: 600,
        latencyTargetMs: 150,
      },
    };
    const result = decide(inputs, state, { initialRatePerSecond: options.prior ?? 10 });
    state = JSON.parse(JSON.stringify(result.state)) as ControllerState;
    out.push({
      t,
      inputs,
      decision: result.decision,
      freshP95Ms: t > 0 && (commits[t - 1] ?? 0) > 0 ? (secondP95[t - 1] ?? null) : null,
    });

    // Second t: admissions, arrivals at booking, commits, session ends.
    const admit = result.decision.admit;
    waiting -= admit;
    active += admit;
    arrivals.set(t + deadTimeSeconds, (arrivals.get(t + deadTimeSeconds) ?? 0) + admit);
    longCarry += admit * 0.2;
    const longs = Math.floor(longCarry);
    longCarry -= longs;
    longEnds.set(t + sessionSeconds, (longEnds.get(t + sessionSeconds) ?? 0) + longs);
    const arriving = arrivals.get(t) ?? 0;
    if (arriving > 0) bookQueue.push([t - deadTimeSeconds, arriving]);
    let capacity: number;
    if (isSlow(t)) {
      serviceCarry += slowPerSecond;
      capacity = Math.floor(serviceCarry);
      serviceCarry -= capacity;
    } else {
      capacity = Number.POSITIVE_INFINITY;
      serviceCarry = 0;
    }
    let served = 0;
    let endedNow = 0;
    let endedNowSeconds = 0;
    while (bookQueue.length > 0 && served < capacity) {
      const head = bookQueue[0] as [number, number];
      const take = Math.min(head[1], capacity - served);
      served += take;
      head[1] -= take;
      // 80 % of them pay at once and end their session (lifetime: admission to now).
      const shorts = Math.round(take * 0.8);
      endedNow += shorts;
      endedNowSeconds += shorts * (t + 1 - head[0]);
      if (head[1] <= 0) bookQueue.shift();
    }
    const expiring = longEnds.get(t) ?? 0;
    endedNow += expiring;
    endedNowSeconds += expiring * sessionSeconds;
    active = Math.max(0, active - endedNow);
    endedCount[t] = endedNow;
    endedSeconds[t] = endedNowSeconds;
    commits[t] = served;
    secondP50[t] = isSlow(t) ? slowP95 / 2 : 5;
    secondP95[t] = isSlow(t) ? slowP95 : blips.has(t) ? 13 : 12;
  }
  return out;
}
