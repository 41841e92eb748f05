import type { RoomKeys } from '../redis-keys.ts';
import { recordHeartbeats } from './record-heartbeats.ts';
import type { RedisLike } from './scripts.ts';

export interface HeartbeatBatcherOptions {
  redis: RedisLike;
  keysFor: (roomId: string) => RoomKeys;
  flushIntervalMs: number;
  now?: () => number;
  /** Told about a room whose flush failed; its heartbeats are kept for the next flush. */
  onError?: (error: unknown, roomId: string) => void;
}

/**
 * Remembers, in memory, which queue numbers this process saw alive (polls, SSE
 * connections) and writes them to Redis every `flushIntervalMs` with one script
 * call per room, so the poll rate never becomes a Redis write rate.
 */
export class HeartbeatBatcher {
  readonly #redis: RedisLike;
  readonly #keysFor: (roomId: string) => RoomKeys;
  readonly #now: () => number;
  readonly #onError: (error: unknown, roomId: string) => void;
  readonly #timer: NodeJS.Timeout;
  /** room -> queue number -> last seen, epoch seconds */
  #pending = new Map<string, Map<number, number>>();
  #flushing: Promise<void> = Promise.resolve();
  #stopped = false;

  constructor(options: HeartbeatBatcherOptions) {
    this.#redis = options.redis;
    this.#keysFor = options.keysFor;
    this.#now = options.now ?? Date.now;
    this.#onError =
      options.onError ??
      ((error, roomId) => {
        process.emitWarning(`heartbeat flush for room ${roomId} failed: ${String(error)}`);
      });
    this.#timer = setInterval(() => void this.flush(), options.flushIntervalMs);
    this.#timer.unref();
  }

  /** Notes that the visitor holding `number` in `roomId` is alive now. Never touches Redis. */
  touch(roomId: string, number: number): void {
    if (this.#stopped) return;
    const atSec = Math.floor(this.#now() / 1000);
    let room = this.#pending.get(roomId);
    if (!room) {
      room = new Map();
      this.#pending.set(roomId, room);
    }
    const previous = room.get(number);
    if (previous === undefined || atSec > previous) room.set(number, atSec);
  }

  /** Queue numbers waiting for the next flush, over all rooms. */
  get pendingCount(): number {
    let count = 0;
    for (const room of this.#pending.values()) count += room.size;
    return count;
  }

  /** Writes what was touched since the last flush. Never rejects: failures go to `onError`. */
  flush(): Promise<void> {
    // Flushes run one after another, so a slow one is never overtaken by the next tick's.
    this.#flushing = this.#flushing.then(() => this.#flushOnce());
    return this.#flushing;
  }

  /** Stops the timer and flushes once more; later touches are ignored. */
  async stop(): Promise<void> {
    this.#stopped = true;
    clearInterval(this.#timer);
    await this.flush();
  }

  async #flushOnce(): Promise<void> {
    const batch = this.#pending;
    if (batch.size === 0) return;
    this.#pending = new Map();
    await Promise.all(
      [...batch].map(async ([roomId, seen]) => {
        try {
          await recordHeartbeats(this.#redis, this.#keysFor(roomId), [...seen]);
        } catch (error) {
          this.#keep(roomId, seen);
          try {
            this.#onError(error, roomId);
          } catch {
            // A failing error handler must not take the process down either.
          }
        }
      }),
    );
  }

  #keep(roomId: string, seen: Map<number, number>): void {
    const room = this.#pending.get(roomId);
    if (!room) {
      this.#pending.set(roomId, seen);
      return;
    }
    for (const [number, atSec] of seen) {
      const newer = room.get(number);
      if (newer === undefined || atSec > newer) room.set(number, atSec);
    }
  }
}
