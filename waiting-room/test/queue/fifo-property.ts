// The FIFO acceptance property (DESIGN §8), as a function of the clients and of the
// admit implementation, so it runs on standalone Redis, on Redis Cluster, and against a
// deliberately broken admit (negative control).
//
// A scenario interleaves concurrent joins (with duplicates), clock jumps with heartbeats
// from some visitors (the others abandon; some come back later) and admission rounds in
// which several workers call admit at once. Checked after every round:
// - nobody is admitted twice;
// - visitors who stayed are admitted in queue-number order (zero inversions);
// - a call admits fewer than n only when it reached the end of the queue;
// - each round equals the in-memory model's round (returned visitors first, abandoned
//   visitors skipped, exactly n per call while enough live visitors wait).
import fc from 'fast-check';
import {
  type AdmitOptions,
  type AdmitResult,
  joinQueue,
  type RedisLike,
  readQueueState,
  recordHeartbeats,
} from '../../src/queue/index.ts';
import { type RoomKeys, roomKeys } from '../../src/redis-keys.ts';
import { QueueModel } from './queue-model.ts';

export type Admit = (
  redis: RedisLike,
  keys: RoomKeys,
  n: number,
  options: AdmitOptions,
) => Promise<AdmitResult>;

type Step =
  | { kind: 'join'; who: number[] }
  | { kind: 'time'; advanceSec: number; wanderersSeen: boolean[]; split: number }
  | { kind: 'admit'; n: number };

interface Scenario {
  /** Per visitor: true = keeps its page open (heartbeats at every step), false = wanders off and back. */
  stays: boolean[];
  steps: Step[];
}

const maxVisitors = 16;

export const scenarios: fc.Arbitrary<Scenario> = fc.record({
  stays: fc.array(fc.boolean(), { minLength: maxVisitors, maxLength: maxVisitors }),
  steps: fc.array(
    fc.oneof(
      {
        weight: 3,
        arbitrary: fc.record({
          kind: fc.constant('join' as const),
          who: fc.array(fc.nat(maxVisitors - 1), { minLength: 1, maxLength: 6 }),
        }),
      },
      {
        weight: 2,
        arbitrary: fc.record({
          kind: fc.constant('time' as const),
          // Often past abandonAfter (60 s), so that wanderers get skipped.
          advanceSec: fc.oneof(fc.constantFrom(0, 1, 30, 59), fc.integer({ min: 60, max: 150 })),
          // A wanderer is seen at a step one time in three.
          wanderersSeen: fc.array(
            fc.nat(2).map((draw) => draw === 0),
            { minLength: maxVisitors, maxLength: maxVisitors },
          ),
          split: fc.nat(maxVisitors),
        }),
      },
      {
        weight: 2,
        arbitrary: fc.record({
          kind: fc.constant('admit' as const),
          n: fc.integer({ min: 1, max: 4 }),
        }),
      },
    ),
    { minLength: 4, maxLength: 40, size: 'medium' },
  ),
});

/** What the runs exercised, so a suite can show its scenarios are not vacuous. */
export interface Coverage {
  runs: number;
  admitted: number;
  skipped: number;
  /** Visitors admitted after coming back from a skip (before the final drain). */
  returnedAdmitted: number;
  /** Rounds in which more than one worker admitted someone. */
  sharedRounds: number;
}

export function emptyCoverage(): Coverage {
  return { runs: 0, admitted: 0, skipped: 0, returnedAdmitted: 0, sharedRounds: 0 };
}

export interface FifoPropertyOptions {
  /** At least two clients; joins, heartbeats and admit calls are spread over them. */
  clients: RedisLike[];
  admit: Admit;
  /** Concurrent admit calls per round. */
  callers: number;
  prefix: string;
  abandonAfterMs?: number;
  coverage?: Coverage;
}

function fail(message: string): never {
  throw new Error(message);
}

function place(result: { number: number | null }): number {
  return result.number ?? fail('a fifo join returned no number');
}

let rooms = 0;

export function fifoProperty(options: FifoPropertyOptions): fc.IAsyncProperty<[Scenario]> {
  const { clients, admit, callers, prefix } = options;
  const abandonAfterMs = options.abandonAfterMs ?? 60_000;
  const client = (i: number) => clients[i % clients.length] as RedisLike;
  const coverage = options.coverage ?? emptyCoverage();

  return fc.asyncProperty(scenarios, async ({ stays, steps }) => {
    rooms += 1;
    coverage.runs += 1;
    const keys = roomKeys(prefix, `fifo-${rooms}-${callers}`);
    if ((await client(0).exists(keys.seq, keys.state, keys.stream)) > 0)
      fail(`room ${keys.seq} is not fresh`);
    const model = new QueueModel();
    const visitor = (i: number) => `visitor-${i}`;
    let nowMs = 1_700_000_000_000;
    const admittedOnce = new Set<string>();
    let lastStayerNumber = 0;

    const heartbeatAll = async (who: (i: number) => boolean, split: number) => {
      const pairs: Array<[number, number]> = [];
      for (let i = 0; i < maxVisitors; i += 1) {
        const number = model.numberOf.get(visitor(i));
        if (number !== undefined && who(i)) pairs.push([number, Math.floor(nowMs / 1000)]);
      }
      // Two processes flushing at once.
      const cut = Math.min(split, pairs.length);
      await Promise.all([
        recordHeartbeats(client(0), keys, pairs.slice(0, cut)),
        recordHeartbeats(client(1), keys, pairs.slice(cut)),
      ]);
      for (const [number, atSec] of pairs) model.heartbeat(number, atSec);
    };

    let draining = false;
    const round = async (n: number) => {
      const returnedBefore = [...model.returned];
      const results = await Promise.all(
        Array.from({ length: callers }, (_, i) =>
          admit(client(i), keys, n, { nowMs, abandonAfterMs }),
        ),
      );
      const issued = model.lastNumber;
      // The pointer only grows, so ordering the calls by it gives the order Redis ran them in.
      const ordered = [...results].sort((a, b) => a.servedUpTo - b.servedUpTo);
      for (const result of ordered) {
        if (result.admitted.length > n)
          fail(`a call admitted ${result.admitted.length} > n = ${n}`);
        if (result.admitted.length < n && result.servedUpTo !== issued) {
          fail(
            `a call admitted ${result.admitted.length} < n = ${n} with numbers up to ${issued} not examined`,
          );
        }
        for (const { number, visitor: who } of result.admitted) {
          if (admittedOnce.has(who)) fail(`${who} (number ${number}) admitted twice`);
          admittedOnce.add(who);
          if (stays[Number(who.slice('visitor-'.length))]) {
            if (number < lastStayerNumber)
              fail(`inversion: number ${number} admitted after ${lastStayerNumber}`);
            lastStayerNumber = number;
          }
        }
      }
      const expected = Array.from({ length: callers }, () => model.admit(n, nowMs, abandonAfterMs));
      const returnedNow = new Set(returnedBefore);
      for (const result of results) {
        coverage.admitted += result.admitted.length;
        coverage.skipped += result.skipped;
        if (!draining) {
          coverage.returnedAdmitted += result.admitted.filter((a) =>
            returnedNow.has(a.number),
          ).length;
        }
      }
      if (results.filter((r) => r.admitted.length > 0).length > 1) coverage.sharedRounds += 1;
      const canonical = (list: AdmitResult[]) => list.map((r) => JSON.stringify(r)).sort();
      if (JSON.stringify(canonical(results)) !== JSON.stringify(canonical(expected))) {
        fail(
          `round differs from the model:\n  got      ${canonical(results).join('\n           ')}\n  expected ${canonical(expected).join('\n           ')}`,
        );
      }
      if (returnedBefore.length <= callers * n) {
        const admittedNow = new Set(results.flatMap((r) => r.admitted.map((a) => a.number)));
        for (const number of returnedBefore) {
          if (!admittedNow.has(number))
            fail(`returned number ${number} not admitted at the next round`);
        }
      }
    };

    for (const step of steps) {
      if (step.kind === 'join') {
        const nowSec = Math.floor(nowMs / 1000);
        const results = await Promise.all(
          step.who.map((i, k) =>
            joinQueue(client(k), keys, { visitor: visitor(i), nowMs, mode: 'fifo' }),
          ),
        );
        const before = model.lastNumber;
        const who = (k: number) => visitor(step.who[k] ?? -1);
        const fresh = new Map<string, number>();
        for (const [k, result] of results.entries()) {
          if (!result.created) continue;
          if (model.numberOf.has(who(k)) || fresh.has(who(k))) fail(`${who(k)} got a second place`);
          fresh.set(who(k), result.number ?? -1);
        }
        for (const [k, result] of results.entries()) {
          const place = model.numberOf.get(who(k)) ?? fresh.get(who(k));
          if (place === undefined) fail(`${who(k)} was told it had a place, but none was made`);
          if (result.number !== place)
            fail(`${who(k)} got number ${result.number}, its place is ${place}`);
        }
        const numbers = [...fresh.values()].sort((a, b) => a - b);
        if (numbers.some((number, k) => number !== before + 1 + k)) {
          fail(`new numbers ${numbers} do not follow ${before}`);
        }
        for (const [k, result] of results.entries()) {
          if (result.created) continue;
          const expected = fresh.has(who(k))
            ? 'waiting'
            : model.join(who(k), place(result), nowSec);
          if (result.status !== expected)
            fail(`${who(k)} rejoined as ${result.status}, expected ${expected}`);
        }
        for (const [name, number] of [...fresh].sort((a, b) => a[1] - b[1]))
          model.join(name, number, nowSec);
      } else if (step.kind === 'time') {
        nowMs += step.advanceSec * 1000;
        await heartbeatAll((i) => stays[i] === true || step.wanderersSeen[i] === true, step.split);
      } else {
        await round(step.n);
      }
    }

    // Everyone comes back: the queue drains and every visitor was admitted exactly once.
    draining = true;
    await heartbeatAll(() => true, 0);
    for (let guard = 0; model.returned.size > 0 || model.served < model.lastNumber; guard += 1) {
      if (guard > maxVisitors) fail('the queue does not drain');
      await round(4);
    }
    if (admittedOnce.size !== model.numberOf.size) {
      fail(`${admittedOnce.size} admitted of ${model.numberOf.size} who joined`);
    }
    const state = await readQueueState(client(0), keys);
    if (state.servedUpTo !== model.lastNumber || state.lastNumber !== model.lastNumber) {
      fail(`state ${JSON.stringify(state)} disagrees with ${model.lastNumber} numbers issued`);
    }
  });
}
