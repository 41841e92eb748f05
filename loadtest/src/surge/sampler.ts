// Once a second during a run: the admission worker's new decision records (admissions, rate,
// active sessions, queue), the booking API's health hash (commit p95 of its window, 5xx,
// timeouts, in flight), the queue's own state in Redis and the seats sold in PostgreSQL.
import { type HealthSummary, healthKey } from '@tatkal/booking-api/health';
import { roomKeys } from '@tatkal/waiting-room';
import type { Redis } from 'ioredis';
import { MachineCpu } from './machine-cpu.ts';
import type { SurgeWorld } from './world.ts';
import { surgeRoomId } from './world.ts';

export interface Sample {
  /** Seconds since the opening. */
  t: number;
  /** Visitors behind the pointer (last queue number - served). */
  queueLength: number | null;
  /** Visitors the worker admitted since the previous sample (its ticks' batches). */
  admitted: number;
  /** The controller's rate after its latest tick, and its active-session figures. */
  ratePerSecond: number | null;
  activeSessions: number | null;
  sessionCap: number | null;
  rule: string | null;
  /** The rules that decided the ticks since the previous sample, counted. */
  rules: Record<string, number>;
  /** Worst commit p95 over the booking-API instances' windows (null: too few commits). */
  commitP95Ms: number | null;
  commitsInWindow: number;
  windowS: number | null;
  inFlight: number;
  errors5xxInWindow: number;
  timeoutsInWindow: number;
  /** Seats with a live assignment (PENDING or CONFIRMED), and confirmed ones. */
  sold: number;
  confirmed: number;
  /** Cores busy on the machine: all, this run's processes, and other work (null at first). */
  machineCores: number | null;
  runCores: number | null;
  otherCores: number | null;
}

/**
 * The admission worker's decision stream (its `decisionStreamKey`, the part of its Redis layout
 * meant for other tools): entry field `d` holds a tick record as JSON. loadtest does not depend
 * on the worker package, so the key is spelt here; a unit test holds it to the worker's.
 */
export function decisionStreamKey(prefix: string, roomId: string): string {
  return `${prefix}:aw:v1:{room:${roomId}}:decisions`;
}

/** The fields of a tick record the report reads. */
interface DecisionFields {
  atMs: number;
  decision: { admit: number; ratePerSecond: number; activeSessionCap: number; rule: string };
  inputs: { sessions: { active: number } };
  batch: { admitted: number };
}

export class RunSampler {
  readonly samples: Sample[] = [];
  readonly #redis: Redis;
  readonly #world: SurgeWorld;
  readonly #openedAtMs: number;
  readonly #runPids: () => number[];
  readonly #cpu = new MachineCpu();
  #lastId = '-';
  #timer: NodeJS.Timeout | undefined;
  #busy = false;

  /** `runPids`: this run's processes (services, crowd); its database's backends are added. */
  constructor(redis: Redis, world: SurgeWorld, openedAtMs: number, runPids: () => number[]) {
    this.#redis = redis;
    this.#world = world;
    this.#openedAtMs = openedAtMs;
    this.#runPids = runPids;
  }

  async #cpuShare() {
    const backends = await this.#world.db.pool.query<{ pid: number }>(
      'select pid from pg_stat_activity where datname = current_database()',
    );
    return this.#cpu.sample([
      process.pid,
      ...this.#runPids(),
      ...backends.rows.map((row) => row.pid),
    ]);
  }

  start(): void {
    this.#timer = setInterval(() => {
      if (this.#busy) return;
      this.#busy = true;
      this.sample()
        .then((sample) => this.samples.push(sample))
        .catch(() => undefined)
        .finally(() => {
          this.#busy = false;
        });
    }, 1000);
  }

  stop(): void {
    clearInterval(this.#timer);
  }

  latest(): Sample | undefined {
    return this.samples.at(-1);
  }

  async sample(): Promise<Sample> {
    const nowMs = Date.now();
    const keys = roomKeys(this.#world.prefix, surgeRoomId);
    const [entries, health, last, served, sold, cpu] = await Promise.all([
      this.#redis.xrange(
        decisionStreamKey(this.#world.prefix, surgeRoomId),
        this.#lastId === '-' ? '-' : `(${this.#lastId}`,
        '+',
      ),
      this.#redis.hgetall(healthKey(this.#world.prefix)),
      this.#redis.get(keys.seq),
      this.#redis.hget(keys.state, 'served'),
      this.#world.db.pool.query<{ live: number; confirmed: number }>(
        `select count(*)::int as live, count(*) filter (where status = 'CONFIRMED')::int as confirmed
           from seat_assignments where journey_id = $1 and status in ('PENDING', 'CONFIRMED')`,
        [this.#world.journeyId],
      ),
      this.#cpuShare(),
    ]);
    const records = entries.map(([, fields]) => JSON.parse(fields[1] ?? '{}') as DecisionFields);
    if (entries.length > 0) this.#lastId = entries.at(-1)?.[0] ?? this.#lastId;
    const latest = records.at(-1);
    const summaries = Object.values(health)
      .map((text) => JSON.parse(text) as HealthSummary)
      .filter((summary) => nowMs - summary.atMs < 5_000);
    const p95s = summaries.map((s) => s.commit.p95Ms).filter((v): v is number => v !== null);
    const sum = (pick: (s: HealthSummary) => number) =>
      summaries.reduce((total, s) => total + pick(s), 0);
    return {
      t: Math.round((nowMs - this.#openedAtMs) / 100) / 10,
      queueLength: last === null ? null : Math.max(0, Number(last) - Number(served ?? 0)),
      admitted: records.reduce((total, record) => total + record.batch.admitted, 0),
      ratePerSecond: latest?.decision.ratePerSecond ?? null,
      activeSessions: latest?.inputs.sessions.active ?? null,
      sessionCap: latest?.decision.activeSessionCap ?? null,
      rule: latest?.decision.rule ?? null,
      rules: records.reduce<Record<string, number>>((counts, record) => {
        counts[record.decision.rule] = (counts[record.decision.rule] ?? 0) + 1;
        return counts;
      }, {}),
      commitP95Ms: p95s.length > 0 ? Math.max(...p95s) : null,
      commitsInWindow: sum((s) => s.commit.count),
      windowS: summaries.length > 0 ? Math.max(...summaries.map((s) => s.windowMs)) / 1000 : null,
      inFlight: sum((s) => s.inFlight),
      errors5xxInWindow: sum((s) => s.errors5xx),
      timeoutsInWindow: sum((s) => s.timeouts),
      sold: sold.rows[0]?.live ?? 0,
      confirmed: sold.rows[0]?.confirmed ?? 0,
      machineCores: cpu?.machineCores ?? null,
      runCores: cpu?.runCores ?? null,
      otherCores: cpu?.otherCores ?? null,
    };
  }
}
