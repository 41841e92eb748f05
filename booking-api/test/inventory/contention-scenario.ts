// Drives thousands of hold calls at a dozen seats, round after round, with releases,
// bookings, seats given back and holds expiring while others contend. Each round runs at one
// clock value (the caller's nowMs); its operations go out together over several connections.
// The content of every round is drawn from a seeded generator; only the interleaving is left
// to chance. Everything that happened goes into a log for contention-check.ts.
import {
  type HoldInput,
  type HoldOutcome,
  type HoldRequest,
  InventoryError,
  markHoldBooked,
  type RedisLike,
  type ReleaseOutcome,
  releaseHold,
  returnSeats,
} from '../../src/inventory/index.ts';

export type HoldFn = (redis: RedisLike, prefix: string, input: HoldInput) => Promise<HoldOutcome>;

export interface ContendedSeats {
  /** Seat pools named holds pick from (all of one class and quota each). */
  named: number[][];
  /** The pool auto-allocation draws from; every seat of its class and quota. */
  auto: { classCode: string; quota: string; seatIds: number[] };
}

export type LoggedHold = {
  type: 'hold';
  t: number;
  holdId: string;
  subject: string;
  token: string;
  request: HoldRequest;
  ttlMs: number;
  /** A retry of an earlier call (same hold id, token and ttl). */
  replay: boolean;
  outcome: HoldOutcome;
};
export type LoggedEvent =
  | LoggedHold
  | { type: 'release'; t: number; holdId: string; subject: string; result: ReleaseOutcome }
  | { type: 'book'; t: number; holdId: string; seatIds: number[] }
  | { type: 'return'; t: number; seatIds: number[]; returned: number };

export interface ScenarioOptions {
  clients: RedisLike[];
  prefix: string;
  journeyId: number;
  seats: ContendedSeats;
  hold: HoldFn;
  seed: number;
  rounds: number;
  holdsPerRound: number;
  startMs: number;
  stepMs: number;
  /** false: a round's operations run one after another (for the single-caller control). */
  concurrent: boolean;
}

export interface ScenarioRun {
  log: LoggedEvent[];
  /** The clock of the last round. */
  endMs: number;
}

/** mulberry32: small, seeded, good enough to draw test scenarios. */
function generator(seed: number) {
  let state = seed >>> 0;
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
  const int = (n: number) => Math.floor(next() * n);
  const pick = <T>(items: readonly T[]): T => {
    const item = items[int(items.length)];
    if (item === undefined) throw new Error('pick from an empty list');
    return item;
  };
  const shuffle = <T>(items: T[]): T[] => {
    for (let i = items.length - 1; i > 0; i--) {
      const j = int(i + 1);
      [items[i], items[j]] = [items[j] as T, items[i] as T];
    }
    return items;
  };
  return { next, int, pick, shuffle };
}

const ttlChoices = [1_000, 1_500, 2_500, 4_000];
const preferenceChoices = ['LB', 'UB', null] as const;

interface LiveHold {
  holdId: string;
  subject: string;
  token: string;
  seatIds: number[];
  expiresAtMs: number;
}

export async function runScenario(options: ScenarioOptions): Promise<ScenarioRun> {
  const random = generator(options.seed);
  const { clients, prefix, journeyId, seats } = options;
  const log: LoggedEvent[] = [];
  const live = new Map<string, LiveHold>();
  const everBooked = new Set<string>();
  const pastHolds: LoggedHold[] = [];
  const dueReturns = new Map<number, number[][]>();
  let serial = 0;
  let now = options.startMs;

  const fresh = (request: HoldRequest, owner?: { subject: string; token: string }) => {
    serial += 1;
    const entry: LoggedHold = {
      type: 'hold',
      t: now,
      holdId: `h${serial}`,
      subject: owner?.subject ?? `s${serial}`,
      token: owner?.token ?? `j${serial}`,
      request,
      // A hold's ttl is the service's setting, so a retry carries the same one; then a retry
      // that finds its hold gone makes a hold with a later expiry, never the same one.
      ttlMs: random.pick(ttlChoices),
      replay: false,
      outcome: { ok: false, reason: 'inventory_missing' },
    };
    return entry;
  };

  const planHold = (roundHolds: LoggedHold[]): LoggedHold | undefined => {
    const roll = random.next();
    const earlierNamed = roundHolds.filter((h) => h.request.kind === 'seats' && !h.replay);
    if (roll < 0.15 && earlierNamed.length > 0) {
      // The same seats in reverse order, by someone else, in the same round.
      const twin = random.pick(earlierNamed);
      if (twin.request.kind !== 'seats') return undefined;
      return fresh({ kind: 'seats', seatIds: [...twin.request.seatIds].reverse() });
    }
    if (roll < 0.25) {
      // A retry: the same request, hold id and token, in this round (a duplicate in flight)
      // or a later one (a retry after a lost answer, mostly of a granted hold).
      const replayable = (
        random.next() < 0.5 ? roundHolds : pastHolds.slice(-200).filter((h) => h.outcome.ok)
      ).filter((h) => !h.replay && !everBooked.has(h.holdId));
      if (replayable.length === 0) return undefined;
      return { ...random.pick(replayable), t: now, replay: true };
    }
    if (roll < 0.3 && live.size > 0) {
      // A token that holds seats already asks for more.
      const owner = random.pick([...live.values()]);
      return fresh({ kind: 'seats', seatIds: [random.pick(random.pick(seats.named))] }, owner);
    }
    if (roll < 0.45) {
      const count = 1 + random.int(3);
      return fresh({
        kind: 'berths',
        classCode: seats.auto.classCode,
        quota: seats.auto.quota,
        count,
        preferences: Array.from({ length: count }, () => random.pick(preferenceChoices)),
      });
    }
    const pool = random.pick(seats.named);
    return fresh({ kind: 'seats', seatIds: random.shuffle([...pool]).slice(0, 1 + random.int(3)) });
  };

  for (let round = 0; round < options.rounds; round++) {
    now = options.startMs + round * options.stepMs;
    for (const [holdId, held] of live) if (held.expiresAtMs <= now) live.delete(holdId);

    const planned: LoggedHold[] = [];
    const roundHolds: LoggedHold[] = [];
    for (let i = 0; i < options.holdsPerRound; i++) {
      const entry = planHold(roundHolds);
      if (!entry) continue;
      roundHolds.push(entry);
      planned.push(entry);
    }
    // Releases, bookings and returns act on holds known to be live when the round starts.
    const candidates = random.shuffle([...live.values()]);
    const releases = candidates.slice(0, random.int(8));
    const bookings = candidates.slice(
      releases.length,
      releases.length + (random.next() < 0.35 ? 1 : 0),
    );
    for (const booked of bookings) {
      everBooked.add(booked.holdId);
      const later = round + 2 + random.int(3);
      dueReturns.set(later, [...(dueReturns.get(later) ?? []), booked.seatIds]);
    }

    const at = now;
    const tasks: Array<(client: RedisLike) => Promise<void>> = [
      ...planned.map((entry) => async (client: RedisLike) => {
        let outcome: HoldOutcome;
        try {
          outcome = await options.hold(client, prefix, {
            journeyId,
            request: entry.request,
            holder: { subject: entry.subject, tokenJti: entry.token },
            ttlMs: entry.ttlMs,
            nowMs: at,
            holdId: entry.holdId,
          });
        } catch (error) {
          // A retry that reaches a hold booked in this very round.
          if (error instanceof InventoryError && error.reason === 'HoldIdInUse') return;
          throw error;
        }
        const logged: LoggedHold = { ...entry, outcome };
        log.push(logged);
        pastHolds.push(logged);
      }),
      ...releases.map((released) => {
        const subject = random.next() < 0.2 ? 'someone-else' : released.subject;
        return async (client: RedisLike) => {
          const result = await releaseHold(client, prefix, journeyId, released.holdId, {
            subject,
            nowMs: at,
          });
          log.push({ type: 'release', t: at, holdId: released.holdId, subject, result });
        };
      }),
      ...bookings.map((booked) => async (client: RedisLike) => {
        await markHoldBooked(client, prefix, journeyId, booked.holdId, booked.seatIds, at);
        log.push({ type: 'book', t: at, holdId: booked.holdId, seatIds: booked.seatIds });
      }),
      ...(dueReturns.get(round) ?? []).map((seatIds) => async (client: RedisLike) => {
        const returned = await returnSeats(client, prefix, journeyId, seatIds);
        log.push({ type: 'return', t: at, seatIds, returned });
      }),
    ];
    const order = random.shuffle(tasks.map((_, i) => i));
    const run = (i: number, slot: number) => {
      const task = tasks[i];
      const client = clients[slot % clients.length];
      if (!task || !client) throw new Error('no task or client');
      return task(client);
    };
    if (options.concurrent) {
      await Promise.all(order.map((i, slot) => run(i, slot)));
    } else {
      for (const [slot, i] of order.entries()) await run(i, slot);
    }

    // What the next round may act on: holds the outcomes report live, minus those released
    // or booked in this round.
    const thisRound = log.filter((event) => event.t === at);
    for (const event of thisRound) {
      if (event.type === 'hold' && event.outcome.ok) {
        live.set(event.holdId, {
          holdId: event.holdId,
          subject: event.subject,
          token: event.token,
          seatIds: event.outcome.seats.map((s) => s.seatId),
          expiresAtMs: event.outcome.expiresAtMs,
        });
      }
    }
    for (const event of thisRound) {
      if ((event.type === 'release' && event.result === 'released') || event.type === 'book') {
        live.delete(event.holdId);
      }
    }
  }
  return { log, endMs: now };
}
