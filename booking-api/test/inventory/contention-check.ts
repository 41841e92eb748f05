// Judges a contention run from its log alone. Every successful hold occupies its seats from
// the round it was granted until it expires, is released, or, once booked, until the seats
// are given back. Intervals are half-open, [start, end): a seat released or expired at t may
// be held again at t. The run is correct when no seat is ever in two intervals at once, no
// token has two live holds at once, and every refusal is explained by the intervals (closed
// at both ends, since a round's operations run in any order).
import type { SeatState } from '../../src/inventory/index.ts';
import type { LoggedEvent, LoggedHold } from './contention-scenario.ts';

interface Incarnation {
  holdId: string;
  token: string;
  seatIds: number[];
  start: number;
  expiresAtMs: number;
  releasedAt?: number;
  bookedAt?: number;
  /** Per seat, when a booked seat was given back. */
  returnedAt: Map<number, number>;
}

export interface Coverage {
  granted: number;
  refusedUnavailable: number;
  refusedNotEnough: number;
  refusedToken: number;
  replaysAnsweredWithSameHold: number;
  released: number;
  notYours: number;
  booked: number;
  returned: number;
  /** Holds that ran out while the run went on and whose seats someone else held later. */
  expiredThenRetaken: number;
  /** Two holds of the same seats in reverse order, in the same round, one granted. */
  reversedContests: number;
}

export interface CheckResult {
  violations: string[];
  coverage: Coverage;
  /** Each contended seat's state at `atMs` according to the log. */
  expected: Map<number, SeatState>;
}

const INF = Number.POSITIVE_INFINITY;

function occupancyEnd(inc: Incarnation, seatId: number): number {
  if (inc.bookedAt !== undefined) return inc.returnedAt.get(seatId) ?? INF;
  return Math.min(inc.expiresAtMs, inc.releasedAt ?? INF);
}

function tokenEnd(inc: Incarnation): number {
  return inc.bookedAt ?? Math.min(inc.expiresAtMs, inc.releasedAt ?? INF);
}

export function checkContention(
  log: readonly LoggedEvent[],
  options: { seatIds: readonly number[]; autoPool: readonly number[]; atMs: number },
): CheckResult {
  const violations: string[] = [];
  const coverage: Coverage = {
    granted: 0,
    refusedUnavailable: 0,
    refusedNotEnough: 0,
    refusedToken: 0,
    replaysAnsweredWithSameHold: 0,
    released: 0,
    notYours: 0,
    booked: 0,
    returned: 0,
    expiredThenRetaken: 0,
    reversedContests: 0,
  };
  const holds = log.filter((e): e is LoggedHold => e.type === 'hold');
  const incarnations = new Map<string, Incarnation>();
  const incarnationsOf = (holdId: string) =>
    [...incarnations.values()].filter((inc) => inc.holdId === holdId);
  for (const event of holds) {
    if (!event.outcome.ok) continue;
    coverage.granted += 1;
    const key = `${event.holdId}@${event.outcome.expiresAtMs}`;
    const seatIds = event.outcome.seats.map((s) => s.seatId);
    const known = incarnations.get(key);
    if (known) {
      if (event.replay) coverage.replaysAnsweredWithSameHold += 1;
      if (known.seatIds.join() !== seatIds.join()) {
        violations.push(`hold ${key} answered with different seats ${known.seatIds} / ${seatIds}`);
      }
      known.start = Math.min(known.start, event.t);
      continue;
    }
    incarnations.set(key, {
      holdId: event.holdId,
      token: event.token,
      seatIds,
      start: event.t,
      expiresAtMs: event.outcome.expiresAtMs,
      returnedAt: new Map(),
    });
    if (event.request.kind === 'seats' && event.request.seatIds.join() !== seatIds.join()) {
      violations.push(`hold ${key} got ${seatIds}, asked for ${event.request.seatIds}`);
    }
    if (event.request.kind === 'berths' && seatIds.length !== event.request.count) {
      violations.push(`hold ${key} got ${seatIds.length} berths, asked for ${event.request.count}`);
    }
  }
  const liveAt = (holdId: string, t: number) =>
    incarnationsOf(holdId).filter(
      (inc) => inc.start < t && t < Math.min(inc.expiresAtMs, inc.releasedAt ?? INF),
    );
  for (const event of log) {
    if (event.type === 'release' && event.result === 'released') {
      coverage.released += 1;
      const [inc, ...more] = liveAt(event.holdId, event.t);
      if (!inc || more.length > 0)
        violations.push(`release of ${event.holdId} at ${event.t}: no single live hold`);
      else inc.releasedAt = event.t;
    }
    if (event.type === 'release' && event.result === 'not_yours') coverage.notYours += 1;
    if (event.type === 'book') {
      coverage.booked += 1;
      const [inc, ...more] = liveAt(event.holdId, event.t);
      if (!inc || more.length > 0)
        violations.push(`booking of ${event.holdId} at ${event.t}: no single live hold`);
      else inc.bookedAt = event.t;
    }
  }
  for (const event of log) {
    if (event.type !== 'return') continue;
    coverage.returned += event.returned;
    if (event.returned !== event.seatIds.length) {
      violations.push(`return of ${event.seatIds} at ${event.t} freed ${event.returned}`);
    }
    for (const seatId of event.seatIds) {
      const inc = [...incarnations.values()].find(
        (i) =>
          i.bookedAt !== undefined &&
          i.bookedAt < event.t &&
          i.seatIds.includes(seatId) &&
          !i.returnedAt.has(seatId),
      );
      inc?.returnedAt.set(seatId, event.t);
    }
  }

  // No seat in two holds at once.
  const bySeat = new Map<number, Incarnation[]>();
  for (const inc of incarnations.values()) {
    for (const seatId of inc.seatIds) bySeat.set(seatId, [...(bySeat.get(seatId) ?? []), inc]);
  }
  for (const [seatId, list] of bySeat) {
    list.sort((a, b) => a.start - b.start);
    for (let i = 0; i < list.length; i++) {
      const a = list[i] as Incarnation;
      for (let j = i + 1; j < list.length; j++) {
        const b = list[j] as Incarnation;
        if (b.start < occupancyEnd(a, seatId) && a.start < occupancyEnd(b, seatId)) {
          violations.push(
            `double hold: seat ${seatId} in ${a.holdId} [${a.start}, ${occupancyEnd(a, seatId)}) and ${b.holdId} [${b.start}, ${occupancyEnd(b, seatId)})`,
          );
        }
      }
      if (a.bookedAt === undefined && a.releasedAt === undefined && a.expiresAtMs <= options.atMs) {
        if (list.some((b) => b.start >= a.expiresAtMs)) coverage.expiredThenRetaken += 1;
      }
    }
  }

  // No token with two live holds at once.
  const byToken = new Map<string, Incarnation[]>();
  for (const inc of incarnations.values())
    byToken.set(inc.token, [...(byToken.get(inc.token) ?? []), inc]);
  for (const [token, list] of byToken) {
    for (let i = 0; i < list.length; i++) {
      for (let j = i + 1; j < list.length; j++) {
        const a = list[i] as Incarnation;
        const b = list[j] as Incarnation;
        if (b.start < tokenEnd(a) && a.start < tokenEnd(b)) {
          violations.push(`token ${token} had ${a.holdId} and ${b.holdId} live at once`);
        }
      }
    }
  }

  // Every refusal is explained by what the intervals say about its round.
  const touching = (seatId: number, t: number) =>
    (bySeat.get(seatId) ?? []).some((inc) => inc.start <= t && t <= occupancyEnd(inc, seatId));
  const throughout = (seatId: number, t: number) =>
    (bySeat.get(seatId) ?? []).some((inc) => inc.start < t && t < occupancyEnd(inc, seatId));
  for (const event of holds) {
    const { outcome, t } = event;
    if (outcome.ok) continue;
    if (outcome.reason === 'seats_unavailable') {
      coverage.refusedUnavailable += 1;
      for (const seatId of outcome.unavailableSeatIds ?? []) {
        if (!touching(seatId, t))
          violations.push(`seat ${seatId} refused at ${t} but nobody had it`);
      }
    } else if (outcome.reason === 'not_enough_berths') {
      coverage.refusedNotEnough += 1;
      const most = options.autoPool.filter((id) => !throughout(id, t)).length;
      const least = options.autoPool.filter((id) => !touching(id, t)).length;
      const available = outcome.available ?? -1;
      const count = event.request.kind === 'berths' ? event.request.count : 0;
      if (available < least || available > most || available >= count) {
        violations.push(
          `not_enough_berths at ${t}: ${available} free, log says ${least}-${most}, asked ${count}`,
        );
      }
    } else if (outcome.reason === 'token_has_live_hold') {
      coverage.refusedToken += 1;
      const explained = (byToken.get(event.token) ?? []).some(
        (inc) => inc.holdId !== event.holdId && inc.start <= t && t <= tokenEnd(inc),
      );
      if (!explained) violations.push(`token ${event.token} refused at ${t} without a live hold`);
    } else {
      violations.push(`unexpected refusal ${outcome.reason} at ${t}`);
    }
  }

  // Reversed-order contests: same seats, opposite order, same round, somebody won.
  for (const a of holds) {
    if (a.request.kind !== 'seats' || a.request.seatIds.length < 2 || a.replay) continue;
    const reversed = [...a.request.seatIds].reverse().join();
    const twin = holds.find(
      (b) =>
        b !== a &&
        b.t === a.t &&
        b.request.kind === 'seats' &&
        b.request.seatIds.join() === reversed,
    );
    if (twin && (a.outcome.ok || twin.outcome.ok)) coverage.reversedContests += 1;
  }

  const expected = new Map<number, SeatState>();
  for (const seatId of options.seatIds) {
    let state: SeatState = 'free';
    for (const inc of bySeat.get(seatId) ?? []) {
      if (inc.start <= options.atMs && options.atMs < occupancyEnd(inc, seatId)) {
        state = inc.bookedAt !== undefined && inc.bookedAt <= options.atMs ? 'sold' : 'held';
      }
    }
    expected.set(seatId, state);
  }
  return { violations, coverage, expected };
}
