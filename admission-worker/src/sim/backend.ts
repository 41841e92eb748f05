// The simulated booking backend: admitted visitors think, send one booking request, queue for
// one of 64 pool connections, and are served by a processor-sharing database whose throughput
// follows the USL. Time advances in 1 ms slots for arrivals; the database itself is exact
// event-driven: with exponential work and processor sharing the next completion is memoryless,
// so it is redrawn whenever the number in service or the core count changes.
//
// Visitors are not objects. Admissions become counts in a millisecond calendar (with the sum
// of their admission times, so the mean session time stays exact); only requests in the pool
// queue or in the database carry their own times, in typed arrays.
import { backendModel, throughput } from './model.ts';
import { Rng } from './rng.ts';

const commitBins = 3_000; // 1 ms bins for the sweep's aggregate; the last collects the slower
const waitBinMs = 10;
const waitBins = 2_000;

/** Per-second figures; index s covers (s, s + 1]. */
export interface SecondTrace {
  commits: Float64Array;
  timeouts: Float64Array;
  commitP50Ms: Float64Array;
  commitP95Ms: Float64Array;
  /** Pool wait p95 of requests that got a connection in the second. */
  waitP95Ms: Float64Array;
  /** Age of the oldest request still waiting for a connection at the end of the second. */
  headWaitMs: Float64Array;
  poolBusy: Float64Array;
  poolWaiting: Float64Array;
  sessionEnds: Float64Array;
  sessionSecondsSum: Float64Array;
  admitted: Float64Array;
}

export interface BackendOptions {
  seed: number;
  horizonSeconds: number;
  thinkMin: number;
  thinkMax: number;
  coresAt: (seconds: number) => number;
  /** Pool commit latencies and pool waits from this second on into one histogram (the sweep). */
  aggregateFromSeconds?: number;
}

/** Commit latency and pool wait over the aggregated seconds. */
export interface AggregateLatency {
  commits: number;
  commitP95Ms: number;
  starts: number;
  waitP95Ms: number;
  timeouts: number;
}

export class Backend {
  readonly trace: SecondTrace;
  readonly #rng: Rng;
  readonly #thinkMin: number;
  readonly #thinkSpan: number;
  readonly #coresAt: (seconds: number) => number;
  readonly #horizon: number;
  // Calendar of request arrivals, per millisecond: first attempts and retries.
  readonly #firstCount: Uint32Array;
  readonly #firstAdmitSum: Float64Array;
  readonly #retryCount: Uint32Array;
  readonly #retryAdmitSum: Float64Array;
  // Pool queue (FIFO ring).
  #qArrival = new Float64Array(1 << 16);
  #qAdmit = new Float64Array(1 << 16);
  #qRetry = new Uint8Array(1 << 16);
  #qHead = 0;
  #qLen = 0;
  // Requests holding a connection, in service at the database.
  readonly #sStart = new Float64Array(backendModel.poolSize);
  readonly #sArrival = new Float64Array(backendModel.poolSize);
  readonly #sAdmit = new Float64Array(backendModel.poolSize);
  readonly #sRetry = new Uint8Array(backendModel.poolSize);
  #inService = 0;
  #cores: number;
  #nextDone = Infinity;
  #ms = 0;
  readonly #commitHist = new Uint32Array(commitBins + 1);
  // This second's commit latencies, exactly: per-second percentiles feed the controller, and
  // bucketed ones would add their own quantisation noise to its latency floor.
  #secondLatencies = new Float64Array(4_096);
  readonly #waitHist = new Uint32Array(waitBins + 1);
  #secondCommits = 0;
  #secondStarts = 0;
  readonly #aggregateFrom: number;
  readonly #aggCommit = new Uint32Array(commitBins + 1);
  readonly #aggWait = new Uint32Array(waitBins + 1);
  #aggCommits = 0;
  #aggStarts = 0;
  #aggTimeouts = 0;
  admittedTotal = 0;

  constructor(options: BackendOptions) {
    this.#rng = new Rng(options.seed);
    this.#thinkMin = options.thinkMin;
    this.#thinkSpan = options.thinkMax - options.thinkMin;
    this.#coresAt = options.coresAt;
    this.#horizon = options.horizonSeconds;
    this.#cores = options.coresAt(0);
    this.#aggregateFrom = options.aggregateFromSeconds ?? Infinity;
    const slots =
      (options.horizonSeconds +
        options.thinkMax +
        backendModel.clientTimeoutSeconds +
        backendModel.retryDelaySeconds +
        2) *
      1000;
    this.#firstCount = new Uint32Array(slots);
    this.#firstAdmitSum = new Float64Array(slots);
    this.#retryCount = new Uint32Array(slots);
    this.#retryAdmitSum = new Float64Array(slots);
    const n = options.horizonSeconds + 64;
    const f = () => new Float64Array(n);
    this.trace = {
      commits: f(),
      timeouts: f(),
      commitP50Ms: f(),
      commitP95Ms: f(),
      waitP95Ms: f(),
      headWaitMs: f(),
      poolBusy: f(),
      poolWaiting: f(),
      sessionEnds: f(),
      sessionSecondsSum: f(),
      admitted: f(),
    };
  }

  /** Admit `count` visitors at `seconds`; each sends its booking request after thinking. */
  admit(seconds: number, count: number): void {
    const rng = this.#rng;
    for (let i = 0; i < count; i++) {
      const slot = Math.floor((seconds + this.#thinkMin + this.#thinkSpan * rng.uniform()) * 1000);
      this.#firstCount[slot] = (this.#firstCount[slot] ?? 0) + 1;
      this.#firstAdmitSum[slot] = (this.#firstAdmitSum[slot] ?? 0) + seconds;
    }
    this.admittedTotal += count;
    const s = Math.floor(seconds);
    if (s < this.trace.admitted.length) {
      this.trace.admitted[s] = (this.trace.admitted[s] ?? 0) + count;
    }
  }

  /** Requests waiting for a connection now, and the age (s) of the oldest. */
  get poolWaiting(): number {
    return this.#qLen;
  }

  get inService(): number {
    return this.#inService;
  }

  /** Run the backend up to the whole second `until`, closing each second's figures. */
  advanceTo(until: number): void {
    const end = Math.min(until, this.#horizon) * 1000;
    while (this.#ms < end) {
      this.#stepMillisecond(this.#ms);
      this.#ms++;
      if (this.#ms % 1000 === 0) this.#closeSecond(this.#ms / 1000 - 1);
    }
  }

  #stepMillisecond(ms: number): void {
    const t = ms / 1000;
    if (ms % 1000 === 0) {
      const cores = this.#coresAt(t);
      if (cores !== this.#cores) {
        this.#cores = cores;
        this.#redraw(t);
      }
    }
    const first = this.#firstCount[ms] ?? 0;
    const retry = this.#retryCount[ms] ?? 0;
    if (first + retry > 0) {
      if (first > 0) this.#enqueue(t, (this.#firstAdmitSum[ms] ?? 0) / first, first, 0);
      if (retry > 0) this.#enqueue(t, (this.#retryAdmitSum[ms] ?? 0) / retry, retry, 1);
    }
    this.#expireQueue(t);
    if (this.#fillConnections(t)) this.#redraw(t);
    const slotEnd = t + 0.001;
    while (this.#nextDone < slotEnd) {
      const at = this.#nextDone;
      this.#complete(at);
      this.#expireQueue(at);
      this.#fillConnections(at);
      this.#redraw(at);
    }
  }

  #redraw(t: number): void {
    const x = throughput(this.#inService, this.#cores);
    this.#nextDone = x > 0 ? t + this.#rng.exponential(x) : Infinity;
  }

  #enqueue(t: number, admitAt: number, count: number, retry: number): void {
    for (let i = 0; i < count; i++) {
      if (this.#qLen === this.#qArrival.length) this.#growQueue();
      const at = (this.#qHead + this.#qLen) & (this.#qArrival.length - 1);
      this.#qArrival[at] = t;
      this.#qAdmit[at] = admitAt;
      this.#qRetry[at] = retry;
      this.#qLen++;
    }
  }

  #growQueue(): void {
    const size = this.#qArrival.length;
    const arrival = new Float64Array(size * 2);
    const admit = new Float64Array(size * 2);
    const retry = new Uint8Array(size * 2);
    for (let i = 0; i < this.#qLen; i++) {
      const from = (this.#qHead + i) & (size - 1);
      arrival[i] = this.#qArrival[from] ?? 0;
      admit[i] = this.#qAdmit[from] ?? 0;
      retry[i] = this.#qRetry[from] ?? 0;
    }
    this.#qArrival = arrival;
    this.#qAdmit = admit;
    this.#qRetry = retry;
    this.#qHead = 0;
  }

  /** Drop requests whose client has given up; each is an error, retried once half the time. */
  #expireQueue(t: number): void {
    const timeout = backendModel.clientTimeoutSeconds;
    const mask = this.#qArrival.length - 1;
    while (this.#qLen > 0 && (this.#qArrival[this.#qHead] ?? 0) + timeout <= t) {
      const arrival = this.#qArrival[this.#qHead] ?? 0;
      const admitAt = this.#qAdmit[this.#qHead] ?? 0;
      const wasRetry = this.#qRetry[this.#qHead] === 1;
      this.#qHead = (this.#qHead + 1) & mask;
      this.#qLen--;
      const droppedAt = arrival + timeout;
      const s = Math.floor(droppedAt);
      this.trace.timeouts[s] = (this.trace.timeouts[s] ?? 0) + 1;
      if (!wasRetry && this.#rng.uniform() < backendModel.retryProbability) {
        const slot = Math.floor((droppedAt + backendModel.retryDelaySeconds) * 1000);
        this.#retryCount[slot] = (this.#retryCount[slot] ?? 0) + 1;
        this.#retryAdmitSum[slot] = (this.#retryAdmitSum[slot] ?? 0) + admitAt;
      } else {
        this.#endSession(droppedAt, admitAt);
      }
    }
  }

  /** Hand free connections to the queue's head; true when anyone started. */
  #fillConnections(t: number): boolean {
    let started = false;
    const mask = this.#qArrival.length - 1;
    while (this.#qLen > 0 && this.#inService < backendModel.poolSize) {
      const i = this.#inService++;
      const arrival = this.#qArrival[this.#qHead] ?? 0;
      this.#sStart[i] = t;
      this.#sArrival[i] = arrival;
      this.#sAdmit[i] = this.#qAdmit[this.#qHead] ?? 0;
      this.#sRetry[i] = this.#qRetry[this.#qHead] ?? 0;
      this.#qHead = (this.#qHead + 1) & mask;
      this.#qLen--;
      const waitBin = Math.min(waitBins, Math.floor(((t - arrival) * 1000) / waitBinMs));
      this.#waitHist[waitBin] = (this.#waitHist[waitBin] ?? 0) + 1;
      this.#secondStarts++;
      started = true;
    }
    return started;
  }

  #complete(t: number): void {
    const n = this.#inService;
    const i = Math.min(n - 1, Math.floor(this.#rng.uniform() * n));
    const latencyMs = (t - (this.#sStart[i] ?? t)) * 1000;
    const latencyBin = Math.min(commitBins, Math.floor(latencyMs));
    this.#commitHist[latencyBin] = (this.#commitHist[latencyBin] ?? 0) + 1;
    if (this.#secondCommits === this.#secondLatencies.length) {
      const grown = new Float64Array(this.#secondLatencies.length * 2);
      grown.set(this.#secondLatencies);
      this.#secondLatencies = grown;
    }
    this.#secondLatencies[this.#secondCommits] = latencyMs;
    this.#secondCommits++;
    this.#endSession(t + backendModel.sessionAfterBookingSeconds, this.#sAdmit[i] ?? t);
    const last = n - 1;
    this.#sStart[i] = this.#sStart[last] ?? 0;
    this.#sArrival[i] = this.#sArrival[last] ?? 0;
    this.#sAdmit[i] = this.#sAdmit[last] ?? 0;
    this.#sRetry[i] = this.#sRetry[last] ?? 0;
    this.#inService = last;
  }

  #endSession(at: number, admitAt: number): void {
    const s = Math.floor(at);
    const tr = this.trace;
    if (s >= tr.sessionEnds.length) return;
    tr.sessionEnds[s] = (tr.sessionEnds[s] ?? 0) + 1;
    tr.sessionSecondsSum[s] = (tr.sessionSecondsSum[s] ?? 0) + (at - admitAt);
  }

  aggregate(): AggregateLatency {
    return {
      commits: this.#aggCommits,
      commitP95Ms: percentile(this.#aggCommit, this.#aggCommits, 0.95, 1),
      starts: this.#aggStarts,
      waitP95Ms: percentile(this.#aggWait, this.#aggStarts, 0.95, waitBinMs),
      timeouts: this.#aggTimeouts,
    };
  }

  #closeSecond(s: number): void {
    const tr = this.trace;
    tr.commits[s] = this.#secondCommits;
    const latencies = this.#secondLatencies.subarray(0, this.#secondCommits).sort();
    tr.commitP50Ms[s] = nearestRank(latencies, 0.5);
    tr.commitP95Ms[s] = nearestRank(latencies, 0.95);
    tr.waitP95Ms[s] = percentile(this.#waitHist, this.#secondStarts, 0.95, waitBinMs);
    const now = (s + 1) * 1000;
    tr.headWaitMs[s] = this.#qLen > 0 ? now - (this.#qArrival[this.#qHead] ?? 0) * 1000 : 0;
    tr.poolBusy[s] = this.#inService;
    tr.poolWaiting[s] = this.#qLen;
    if (s >= this.#aggregateFrom) {
      addInto(this.#aggCommit, this.#commitHist);
      addInto(this.#aggWait, this.#waitHist);
      this.#aggCommits += this.#secondCommits;
      this.#aggStarts += this.#secondStarts;
      this.#aggTimeouts += tr.timeouts[s] ?? 0;
    }
    this.#commitHist.fill(0);
    this.#waitHist.fill(0);
    this.#secondCommits = 0;
    this.#secondStarts = 0;
  }
}

/** Nearest-rank q-quantile of sorted values, 0 when there are none. */
function nearestRank(sorted: Float64Array, q: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.max(0, Math.ceil(q * sorted.length) - 1)] ?? 0;
}

function addInto(into: Uint32Array, from: Uint32Array): void {
  for (let b = 0; b < into.length; b++) into[b] = (into[b] ?? 0) + (from[b] ?? 0);
}

/** The q-quantile of a histogram with `width`-ms bins (mid-bin), 0 when it is empty. */
export function percentile(hist: Uint32Array, total: number, q: number, width: number): number {
  if (total <= 0) return 0;
  const rank = Math.ceil(q * total);
  let seen = 0;
  for (let b = 0; b < hist.length; b++) {
    seen += hist[b] ?? 0;
    if (seen >= rank) return (b + 0.5) * width;
  }
  return hist.length * width;
}
