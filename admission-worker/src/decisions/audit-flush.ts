// Copies each room's decision stream to PostgreSQL's admission_batches (the audit), in
// batches. The stream is the buffer: a worker that dies loses nothing already recorded in
// Redis, and any process may flush any room. Exactly once: each room's flush runs under a
// transaction-scoped advisory lock, and only records with a fence above the last one already
// in PostgreSQL are inserted (fences increase along the stream). What can be lost: records
// trimmed from the stream (decisionStreamLength, about an hour per room) before PostgreSQL
// came back, or records Redis itself lost.
import { admissionBatches, type Database } from '@tatkal/drizzle';
import { sql } from 'drizzle-orm';
import { tickKeys } from '../ticks/keys.ts';
import type { RedisLike } from '../ticks/scripts.ts';
import { readDecisions } from './stream.ts';

export interface AuditFlushDeps {
  redis: RedisLike;
  db: Database;
  prefix: string;
}

/** Copies up to `limit` records of one room; says how many it read and how many were new. */
export async function flushRoomAudit(
  deps: AuditFlushDeps,
  roomId: string,
  limit: number,
): Promise<{ read: number; inserted: number }> {
  const cursorKey = tickKeys(deps.prefix, roomId).auditCursor;
  // The cursor is a hint: behind, it costs a re-read that the fence filter drops. An idle
  // room costs one stream read and no PostgreSQL round trip.
  const cursor = (await deps.redis.get(cursorKey)) ?? '-';
  const entries = await readDecisions(deps.redis, deps.prefix, roomId, cursor, limit);
  const lastId = entries.at(-1)?.id;
  if (!lastId) return { read: 0, inserted: 0 };
  const inserted = await deps.db.transaction(async (tx) => {
    await tx.execute(
      sql`select pg_advisory_xact_lock(hashtextextended(${`tatkal:admission_batches:${roomId}`}, 0))`,
    );
    // Rows go in in fence order under the lock, so the room's newest row has its highest fence.
    const last = await tx.execute<{ fence: string | null }>(
      sql`select decision->>'fence' as fence from admission_batches
           where room_id = ${roomId} order by id desc limit 1`,
    );
    const lastFence = Number(last.rows[0]?.fence ?? 0);
    const fresh = entries.filter(({ record }) => record.fence > lastFence);
    if (fresh.length > 0) {
      await tx.insert(admissionBatches).values(
        fresh.map(({ record }) => ({
          roomId,
          firstNumber: record.batch.firstNumber,
          lastNumber: record.batch.lastNumber,
          admittedCount: record.batch.admitted,
          skippedCount: record.batch.skipped,
          workerId: record.workerId,
          decision: record,
          admittedAt: new Date(record.atMs),
        })),
      );
    }
    return fresh.length;
  });
  await deps.redis.set(cursorKey, lastId);
  return { read: entries.length, inserted };
}

export interface AuditFlusherOptions {
  intervalMs: number;
  /** Rows per insert; a room with more waiting is flushed in several. */
  batchSize: number;
  /** Rooms to flush (every room this process has seen active). */
  rooms: () => Iterable<string>;
  onFlushed?: (roomId: string, rows: number) => void;
  onError?: (roomId: string, error: unknown) => void;
}

/** Flushes every known room every `intervalMs`; stop() runs one last flush. */
export class AuditFlusher {
  readonly #deps: AuditFlushDeps;
  readonly #options: AuditFlusherOptions;
  readonly #timer: NodeJS.Timeout;
  #running: Promise<void> | null = null;

  constructor(deps: AuditFlushDeps, options: AuditFlusherOptions) {
    this.#deps = deps;
    this.#options = options;
    this.#timer = setInterval(() => void this.flush(), options.intervalMs);
    this.#timer.unref();
  }

  /** One pass over every room; a pass already running is shared. */
  flush(): Promise<void> {
    this.#running ??= this.#pass().finally(() => {
      this.#running = null;
    });
    return this.#running;
  }

  async #pass(): Promise<void> {
    for (const roomId of this.#options.rooms()) {
      try {
        // Bounded: a long backlog drains over several passes, not in one.
        for (let round = 0; round < 10; round++) {
          const { read, inserted } = await flushRoomAudit(
            this.#deps,
            roomId,
            this.#options.batchSize,
          );
          this.#options.onFlushed?.(roomId, inserted);
          if (read < this.#options.batchSize) break;
        }
      } catch (error) {
        this.#options.onError?.(roomId, error);
      }
    }
  }

  async stop(): Promise<void> {
    clearInterval(this.#timer);
    await this.#running;
    await this.flush();
  }
}
