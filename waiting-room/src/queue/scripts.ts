// The queue's Lua scripts (src/lua/*.lua, one file each, header = contract), registered
// on a client with defineCommand so ioredis sends EVALSHA and falls back to EVAL. Every
// script takes all its keys in KEYS; a room's keys share one hash tag, so each script
// runs in one Redis Cluster slot.
import { readFileSync } from 'node:fs';
import type { Cluster, Redis, Result } from 'ioredis';

export type RedisLike = Redis | Cluster;
export type QueueMode = 'fifo' | 'fifo_shuffle';

declare module 'ioredis' {
  interface RedisCommander<Context> {
    queueJoin(
      visitors: string,
      state: string,
      seq: string,
      stream: string,
      seen: string,
      prequeueLog: string,
      admitted: string,
      skipped: string,
      visitor: string,
      nowMs: number,
      mode: string,
    ): Result<unknown, Context>;
    queueAdmitNextBatch(
      state: string,
      stream: string,
      shuffled: string,
      seen: string,
      admitted: string,
      skipped: string,
      returned: string,
      admissionLog: string,
      fence: string,
      n: number,
      nowMs: number,
      abandonAfterMs: number,
      maxScan: number,
      logLength: number,
      expectedFence: string,
    ): Result<unknown, Context>;
    queueRecordHeartbeats(
      state: string,
      seq: string,
      seen: string,
      skipped: string,
      returned: string,
      ...numberAndSecondPairs: number[]
    ): Result<unknown, Context>;
    queueSealPrequeue(state: string, seq: string, prequeueLog: string): Result<unknown, Context>;
    queueApplyShuffleChunk(
      state: string,
      shuffled: string,
      visitors: string,
      seen: string,
      firstPosition: number,
      nowMs: number,
      seedHash: string,
      ...visitorsInOrder: string[]
    ): Result<unknown, Context>;
    queueReadState(
      state: string,
      seq: string,
      admissionLog: string,
      prequeueLog: string,
    ): Result<unknown, Context>;
    queueReadVisitorStanding(
      visitors: string,
      admitted: string,
      skipped: string,
      returned: string,
      visitor: string,
    ): Result<unknown, Context>;
  }
}

interface ScriptDefinition {
  file: string;
  numberOfKeys: number;
  readOnly: boolean;
}

const definitions = {
  queueJoin: { file: 'join-queue.lua', numberOfKeys: 8, readOnly: false },
  queueAdmitNextBatch: { file: 'admit-next-batch.lua', numberOfKeys: 9, readOnly: false },
  queueRecordHeartbeats: { file: 'record-heartbeats.lua', numberOfKeys: 5, readOnly: false },
  queueSealPrequeue: { file: 'seal-prequeue.lua', numberOfKeys: 3, readOnly: false },
  queueApplyShuffleChunk: { file: 'apply-shuffle-chunk.lua', numberOfKeys: 4, readOnly: false },
  queueReadState: { file: 'read-queue-state.lua', numberOfKeys: 4, readOnly: true },
  queueReadVisitorStanding: { file: 'read-visitor-standing.lua', numberOfKeys: 4, readOnly: true },
} satisfies Record<string, ScriptDefinition>;

const sources = Object.entries(definitions).map(([name, definition]) => ({
  name,
  ...definition,
  lua: readFileSync(new URL(`../lua/${definition.file}`, import.meta.url), 'utf8'),
}));

const registered = new WeakSet<RedisLike>();

/** Defines the queue's commands on a client; calling it again on the same client does nothing. */
export function registerQueueScripts(redis: RedisLike): void {
  if (registered.has(redis)) return;
  for (const { name, lua, numberOfKeys, readOnly } of sources) {
    if (!(name in redis)) redis.defineCommand(name, { lua, numberOfKeys, readOnly });
  }
  registered.add(redis);
}

/** Every error code a queue script returns (as a bare negative integer), in one place. */
export const QueueErrorCode = {
  NotSealed: -1,
  ShuffleGap: -2,
  ShuffleOutOfRange: -3,
  SeedMismatch: -4,
  NotInPrequeue: -5,
  BadArgument: -6,
  Draining: -7,
  FenceLost: -8,
} as const;
export type QueueErrorCode = (typeof QueueErrorCode)[keyof typeof QueueErrorCode];
export type QueueErrorName = keyof typeof QueueErrorCode;

const errorMessages: Record<QueueErrorName, string> = {
  NotSealed: 'the pre-queue is not sealed',
  ShuffleGap: 'an earlier chunk of the shuffled pre-queue is not applied yet',
  ShuffleOutOfRange: 'the chunk lies outside the sealed pre-queue',
  SeedMismatch: 'the shuffled pre-queue was derived from another seed',
  NotInPrequeue: 'a visitor to place is not waiting in the pre-queue',
  BadArgument: 'a script argument is malformed',
  Draining: 'the room is draining: it takes no new visitors',
  FenceLost: 'the caller no longer holds the lock it admits under',
};

export class QueueError extends Error {
  override readonly name = 'QueueError';
  readonly code: number;
  readonly reason: QueueErrorName | 'UnexpectedReply';

  constructor(
    script: string,
    code: number,
    reason: QueueErrorName | 'UnexpectedReply',
    detail: string,
  ) {
    super(`${script}: ${detail}`);
    this.code = code;
    this.reason = reason;
  }
}

/** Throws the mapped QueueError when a script answered with an error code. */
export function failOnErrorCode(script: string, reply: unknown): void {
  if (typeof reply !== 'number' || reply >= 0) return;
  const entry = Object.entries(QueueErrorCode).find(([, code]) => code === reply);
  if (!entry) throw new QueueError(script, reply, 'UnexpectedReply', `unknown error code ${reply}`);
  const reason = entry[0] as QueueErrorName;
  throw new QueueError(script, reply, reason, errorMessages[reason]);
}

export function unexpectedReply(script: string, reply: unknown): QueueError {
  return new QueueError(script, 0, 'UnexpectedReply', `unexpected reply ${JSON.stringify(reply)}`);
}

export function assertCount(what: string, value: number): void {
  if (!Number.isSafeInteger(value) || value < 0) {
    throw new RangeError(`${what} must be a non-negative integer, got ${value}`);
  }
}
