import { type QueueState, type RedisLike, readQueueState } from '../queue/index.ts';
import type { RoomKeys } from '../redis-keys.ts';
import { type AdmissionRates, admissionRates } from '../visitors/estimate.ts';

export interface QueueSnapshot {
  queue: QueueState;
  rates: AdmissionRates;
  fetchedAtMs: number;
}

type Listener = (snapshot: QueueSnapshot) => void;

interface RoomEntry {
  snapshot: QueueSnapshot | null;
  lastUsedMs: number;
  listeners: Set<Listener>;
  fetching: Promise<QueueSnapshot> | null;
}

/** A room nobody asked about for this long stops being refreshed. */
const idleAfterMs = 60_000;

/**
 * Each process keeps every busy room's queue pointer and admission rate in
 * memory, refreshed from Redis every `refreshMs` with one round trip per room.
 * Status polls read it without touching Redis, so the poll rate of a million
 * visitors does not become Redis load; SSE listeners hear of every change.
 */
export class QueueStateCache {
  readonly #redis: RedisLike;
  readonly #keysFor: (roomId: string) => RoomKeys;
  readonly #refreshMs: number;
  readonly #now: () => number;
  readonly #rooms = new Map<string, RoomEntry>();
  readonly #timer: NodeJS.Timeout;

  constructor(options: {
    redis: RedisLike;
    keysFor: (roomId: string) => RoomKeys;
    refreshMs: number;
    now?: () => number;
  }) {
    this.#redis = options.redis;
    this.#keysFor = options.keysFor;
    this.#refreshMs = options.refreshMs;
    this.#now = options.now ?? Date.now;
    this.#timer = setInterval(() => void this.#refreshAll(), this.#refreshMs);
    this.#timer.unref();
  }

  /** The room's latest snapshot; fetched now when missing or older than two refresh periods. */
  async get(roomId: string): Promise<QueueSnapshot> {
    const entry = this.#entry(roomId);
    entry.lastUsedMs = this.#now();
    const fresh = entry.snapshot && this.#now() - entry.snapshot.fetchedAtMs < 2 * this.#refreshMs;
    if (entry.snapshot && fresh) return entry.snapshot;
    return this.#fetch(roomId, entry);
  }

  /** Calls `listener` after every refresh that changed the room's pointer or totals. */
  subscribe(roomId: string, listener: Listener): () => void {
    const entry = this.#entry(roomId);
    entry.listeners.add(listener);
    return () => {
      entry.listeners.delete(listener);
    };
  }

  listenerCount(roomId: string): number {
    return this.#rooms.get(roomId)?.listeners.size ?? 0;
  }

  stop(): void {
    clearInterval(this.#timer);
  }

  #entry(roomId: string): RoomEntry {
    let entry = this.#rooms.get(roomId);
    if (!entry) {
      entry = { snapshot: null, lastUsedMs: this.#now(), listeners: new Set(), fetching: null };
      this.#rooms.set(roomId, entry);
    }
    return entry;
  }

  #fetch(roomId: string, entry: RoomEntry): Promise<QueueSnapshot> {
    if (entry.fetching) return entry.fetching;
    const fetching = readQueueState(this.#redis, this.#keysFor(roomId))
      .then((queue) => {
        const nowMs = this.#now();
        const snapshot = {
          queue,
          rates: admissionRates(queue.recentBatches, nowMs),
          fetchedAtMs: nowMs,
        };
        const previous = entry.snapshot;
        entry.snapshot = snapshot;
        if (!previous || changed(previous.queue, queue)) {
          for (const listener of entry.listeners) listener(snapshot);
        }
        return snapshot;
      })
      .finally(() => {
        entry.fetching = null;
      });
    entry.fetching = fetching;
    return fetching;
  }

  async #refreshAll(): Promise<void> {
    const nowMs = this.#now();
    await Promise.all(
      [...this.#rooms].map(async ([roomId, entry]) => {
        if (entry.listeners.size === 0 && nowMs - entry.lastUsedMs > idleAfterMs) {
          this.#rooms.delete(roomId);
          return;
        }
        // A failed refresh keeps the last snapshot; get() refetches once it is stale.
        await this.#fetch(roomId, entry).catch(() => undefined);
      }),
    );
  }
}

function changed(before: QueueState, after: QueueState): boolean {
  return (
    before.servedUpTo !== after.servedUpTo ||
    before.lastNumber !== after.lastNumber ||
    before.admittedTotal !== after.admittedTotal ||
    before.prequeueCount !== after.prequeueCount ||
    before.shuffleApplied !== after.shuffleApplied
  );
}
