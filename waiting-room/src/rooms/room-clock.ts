import { createHash, randomBytes } from 'node:crypto';
import type { Database } from '@tatkal/drizzle';
import { rooms } from '@tatkal/drizzle';
import { and, eq, isNull } from 'drizzle-orm';
import { openShuffledQueue, type RedisLike } from '../queue/index.ts';
import type { RoomKeys } from '../redis-keys.ts';
import type { Logger } from '../service/index.ts';
import { effectiveRoomState, type Room } from './room.ts';
import type { RoomCatalog } from './room-catalog.ts';

/**
 * Moves shuffled rooms through their schedule. When the pre-queue opens it
 * commits to a random seed by publishing its SHA-256; when the sale opens it
 * draws the pre-queue order from that seed. Every step is idempotent and safe
 * to run in every waiting-room process at once: the seed is written with a
 * conditional UPDATE, the draw by scripts that apply each chunk only once.
 */
export interface RoomClockDeps {
  db: Database;
  catalog: RoomCatalog;
  redis: RedisLike;
  keysFor: (roomId: string) => RoomKeys;
  logger: Logger;
  now: () => number;
}

export class RoomClock {
  readonly #deps: RoomClockDeps;
  readonly #timer: NodeJS.Timeout;
  #running: Promise<void> | null = null;
  readonly #opened = new Set<string>();

  constructor(deps: RoomClockDeps, intervalMs = 1_000) {
    this.#deps = deps;
    this.#timer = setInterval(() => void this.tick(), intervalMs);
    this.#timer.unref();
  }

  /** One pass over every room; concurrent calls share the pass in flight. */
  tick(): Promise<void> {
    this.#running ??= this.#pass().finally(() => {
      this.#running = null;
    });
    return this.#running;
  }

  async stop(): Promise<void> {
    clearInterval(this.#timer);
    await this.#running;
  }

  async #pass(): Promise<void> {
    let all: Room[];
    try {
      all = await this.#deps.catalog.list();
    } catch (error) {
      this.#deps.logger.warn({ err: error }, 'room clock could not load rooms');
      return;
    }
    const nowMs = this.#deps.now();
    for (const room of all) {
      if (room.mode !== 'fifo_shuffle') continue;
      const state = effectiveRoomState(room, nowMs);
      try {
        if (state === 'scheduled' || state === 'closed') continue;
        const seeded = room.shuffleSeedHash ? room : await this.#commitSeed(room);
        if (state === 'pre_queue' || this.#opened.has(room.id) || !seeded.shuffleSeed) continue;
        const { count } = await openShuffledQueue(
          this.#deps.redis,
          this.#deps.keysFor(room.id),
          seeded.shuffleSeed,
          {
            nowMs,
          },
        );
        this.#opened.add(room.id);
        this.#deps.logger.info({ room: room.id, drawn: count }, 'pre-queue order drawn');
      } catch (error) {
        this.#deps.logger.error({ err: error, room: room.id }, 'room clock step failed');
      }
    }
  }

  async #commitSeed(room: Room): Promise<Room> {
    const seed = randomBytes(32).toString('hex');
    const seedHash = createHash('sha256').update(seed).digest('hex');
    await this.#deps.db
      .update(rooms)
      .set({ shuffleSeed: seed, shuffleSeedHash: seedHash })
      .where(and(eq(rooms.id, room.id), isNull(rooms.shuffleSeedHash)));
    // Another process may have won the race; either way the row now holds the one seed.
    this.#deps.catalog.forget(room.id);
    const reloaded = await this.#deps.catalog.get(room.id);
    if (reloaded?.shuffleSeedHash) {
      this.#deps.logger.info(
        { room: room.id, seedHash: reloaded.shuffleSeedHash },
        'shuffle seed committed',
      );
    }
    return reloaded ?? room;
  }
}
