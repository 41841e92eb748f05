// One admission tick of one room (DESIGN §4): take the room's lock with a new fence, read
// health, decide, admit the next FIFO batch through the waiting room's atomic admitNextBatch
// (fenced), and record inputs, decision and batch. Any number of workers may call this for
// the same room at once; at most one runs, and a stale one changes nothing.
import type { Database } from '@tatkal/drizzle';
import { roomKeys } from '@tatkal/waiting-room/keys';
import {
  type AdmitResult,
  admitNextBatch,
  QueueError,
  type QueueState,
} from '@tatkal/waiting-room/queue';
import { admissionJti } from '@tatkal/waiting-room/tokens';
import type pg from 'pg';
import type { ControllerInputs, ControllerResult, ControllerState } from '../controller/types.ts';
import {
  type DecisionRecord,
  decisionStreamKey,
  decisionStreamLength,
} from '../decisions/record.ts';
import { readRoomSignals } from '../health/room-signals.ts';
import type { EndedSessions } from '../health/session-signals.ts';
import { type TickKeys, tickKeys } from './keys.ts';
import {
  type PendingTick,
  parsePendingTick,
  type QueueTotals,
  recoveredRecord,
} from './pending-tick.ts';
import { fenceLostCode, type RedisLike, registerTickScripts } from './scripts.ts';
import { acquireTickLock, releaseTickLock, type TickLease } from './tick-lock.ts';
import { isTickActive, RoomRows, type TickRoom } from './tick-room.ts';

export type DecideFn = (
  inputs: ControllerInputs,
  state: ControllerState | null,
) => ControllerResult;

export interface TickDeps {
  redis: RedisLike;
  db: Database;
  pool: pg.Pool;
  prefix: string;
  workerId: string;
  decide: DecideFn;
  now: () => number;
  /** The lock's TTL: a worker that dies holding it delays the room's ticks this long at most. */
  lockTtlMs: number;
  healthStaleMs: number;
  databaseTimeoutMs: number;
  /** False only in negative-control tests: every fence check is skipped. */
  fencing?: boolean;
  /** The process's room rows (default: a fresh cache, 2 s reads, 30 s fallback). */
  roomRows?: RoomRows;
  /** Test seam: runs after the tick staged its decision and before it admits. */
  beforeAdmit?: (lease: TickLease) => Promise<void>;
}

export type TickOutcome =
  | { kind: 'ran'; record: DecisionRecord; recovered: DecisionRecord | null; durationMs: number }
  | { kind: 'busy' }
  | { kind: 'fence_lost'; step: 'stage' | 'admit' | 'record' }
  | { kind: 'inactive' };

/** Runs one tick of `roomId`, or reports why it did not. */
export async function runTick(deps: TickDeps, roomId: string): Promise<TickOutcome> {
  deps.roomRows ??= new RoomRows({ timeoutMs: 2_000, maxAgeMs: 30_000 });
  const room = await deps.roomRows.load(deps.db, roomId, deps.now());
  if (!room || !isTickActive(room.state)) return { kind: 'inactive' };
  const keys = tickKeys(deps.prefix, room.id);
  registerTickScripts(deps.redis);
  const lease = await acquireTickLock(deps.redis, keys, deps.workerId, deps.lockTtlMs, deps.now());
  if (!lease) return { kind: 'busy' };
  try {
    return await underLease(deps, room, keys, lease);
  } finally {
    await releaseTickLock(deps.redis, keys, lease).catch(() => false);
  }
}

async function underLease(
  deps: TickDeps,
  room: TickRoom,
  keys: TickKeys,
  lease: TickLease,
): Promise<TickOutcome> {
  const token = deps.fencing === false ? '' : lease.token;
  const nowMs = lease.acquiredMs;
  const queueKeys = roomKeys(deps.prefix, room.id);
  const carried = await deps.redis.hgetall(keys.state);
  const signals = await readRoomSignals(deps, room, queueKeys, keys, nowMs);
  const totals = currentTotals(signals.queueState, carried);

  // A predecessor that admitted and died before recording: record its batch first.
  let controllerState = parseState(carried.controller);
  let lastTickMs = Number(carried.lastTickMs ?? 0);
  const pending = parsePendingTick(carried.pending);
  const recovered = pending ? recoveredRecord(room.id, pending, totals, deps.workerId) : null;
  if (pending && recovered) {
    // Its visitors' sessions are not tracked (their jtis died with it): they are left out of
    // the active count until they would have expired, a rare and bounded undercount.
    const id = await record(deps, keys, token, recovered, pending.controllerState, totals, {
      lastNumber: signals.queueState?.lastNumber ?? 0,
      trimPointsBeforeMs: signals.trimPointsBeforeMs,
      ended: { jtis: [], count: 0, totalMs: 0 },
      admittedJtis: [],
    });
    if (id === null) return { kind: 'fence_lost', step: 'record' };
    controllerState = pending.controllerState;
    lastTickMs = pending.atMs;
  }

  const inputs: ControllerInputs = {
    nowMs,
    intervalSeconds: intervalSeconds(nowMs, lastTickMs, room.tickIntervalMs),
    queueReachable: signals.queueState !== null,
    booking: signals.booking,
    database: signals.database,
    queue: signals.queue,
    sessions: signals.sessions,
    bounds: room.bounds,
  };
  const result = deps.decide(inputs, controllerState);
  const admit = signals.queueState ? result.decision.admit : 0;

  let admitted: AdmitResult | null = null;
  if (admit > 0) {
    const staged: PendingTick = {
      fence: lease.fence,
      workerId: deps.workerId,
      atMs: nowMs,
      inputs,
      decision: result.decision,
      controllerState: result.state,
      servedBefore: totals.served,
      admittedBefore: totals.admittedTotal,
      skippedBefore: totals.skippedTotal,
    };
    const stagedOk = await registerTickScripts(deps.redis).tickStage(
      keys.lock,
      keys.state,
      token,
      JSON.stringify(staged),
    );
    if (stagedOk === fenceLostCode) return { kind: 'fence_lost', step: 'stage' };
    await deps.beforeAdmit?.(lease);
    try {
      admitted = await admitNextBatch(deps.redis, queueKeys, admit, {
        nowMs,
        abandonAfterMs: room.abandonAfterMs,
        ...(token ? { fence: { key: keys.lock, token } } : {}),
      });
    } catch (error) {
      if (error instanceof QueueError && error.reason === 'FenceLost') {
        return { kind: 'fence_lost', step: 'admit' };
      }
      throw error;
    }
  }

  const after: QueueTotals = admitted
    ? {
        served: admitted.servedUpTo,
        admittedTotal: totals.admittedTotal + admitted.admitted.length,
        skippedTotal: totals.skippedTotal + admitted.skipped,
      }
    : totals;
  const moved = after.served > totals.served;
  const tickRecord: DecisionRecord = {
    roomId: room.id,
    atMs: nowMs,
    workerId: deps.workerId,
    fence: lease.fence,
    inputs,
    decision: result.decision,
    batch: {
      firstNumber: moved ? totals.served + 1 : null,
      lastNumber: moved ? after.served : null,
      admitted: admitted?.admitted.length ?? 0,
      skipped: admitted?.skipped ?? 0,
    },
  };
  const id = await record(deps, keys, token, tickRecord, result.state, after, {
    lastNumber: signals.queueState?.lastNumber ?? 0,
    trimPointsBeforeMs: signals.trimPointsBeforeMs,
    ended: signals.ended,
    admittedJtis: (admitted?.admitted ?? []).map((v) => admissionJti(room.id, v.number)),
  });
  // Admitted but not recorded: the next holder records it from the staged entry.
  if (id === null) return { kind: 'fence_lost', step: 'record' };
  return { kind: 'ran', record: tickRecord, recovered, durationMs: deps.now() - nowMs };
}

/** The room's totals now; without the queue state, what the last tick recorded. */
function currentTotals(state: QueueState | null, carried: Record<string, string>): QueueTotals {
  if (state) {
    return {
      served: state.servedUpTo,
      admittedTotal: state.admittedTotal,
      skippedTotal: state.skippedTotal,
    };
  }
  return {
    served: Number(carried.recordedServed ?? 0),
    admittedTotal: Number(carried.recordedAdmitted ?? 0),
    skippedTotal: Number(carried.recordedSkipped ?? 0),
  };
}

/**
 * Seconds this tick's admissions cover: since the last recorded tick, at most a few intervals
 * (after an outage the controller must not admit the whole gap at once), the room's interval
 * on its first tick. A tick that runs soon after another (a stalled job re-run) covers little.
 */
export function intervalSeconds(nowMs: number, lastTickMs: number, tickIntervalMs: number): number {
  if (!lastTickMs || lastTickMs > nowMs) return tickIntervalMs / 1000;
  return Math.min(nowMs - lastTickMs, 3 * tickIntervalMs) / 1000;
}

function parseState(value: string | undefined): ControllerState | null {
  if (!value) return null;
  try {
    const parsed: unknown = JSON.parse(value);
    return parsed && typeof parsed === 'object' ? (parsed as ControllerState) : null;
  } catch {
    return null;
  }
}

async function record(
  deps: TickDeps,
  keys: TickKeys,
  token: string,
  entry: DecisionRecord,
  controllerState: ControllerState,
  totals: QueueTotals,
  extra: {
    lastNumber: number;
    trimPointsBeforeMs: number;
    ended: EndedSessions;
    admittedJtis: string[];
  },
): Promise<string | null> {
  const id = await registerTickScripts(deps.redis).tickRecord(
    keys.lock,
    keys.state,
    decisionStreamKey(deps.prefix, entry.roomId),
    keys.openSessions,
    keys.sessionPoints,
    keys.joinClock,
    token,
    JSON.stringify(entry),
    decisionStreamLength,
    JSON.stringify(controllerState),
    entry.atMs,
    totals.served,
    totals.admittedTotal,
    totals.skippedTotal,
    extra.lastNumber,
    Math.max(0, Math.floor(extra.trimPointsBeforeMs)),
    extra.ended.count,
    extra.ended.totalMs,
    JSON.stringify(extra.ended.jtis),
    JSON.stringify(extra.admittedJtis),
  );
  return id === fenceLostCode || typeof id !== 'string' ? null : id;
}
