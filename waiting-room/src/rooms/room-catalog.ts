import type { Database } from '@tatkal/drizzle';
import { rooms } from '@tatkal/drizzle';
import { eq } from 'drizzle-orm';
import { type Room, roomFromRow } from './room.ts';

interface Entry {
  room: Room | null;
  loadedAt: number;
}

/** Unknown room names are cached too (so random names cannot hammer PostgreSQL), up to this many. */
const maxEntries = 10_000;

/**
 * Rooms from PostgreSQL, cached per process for `ttlMs`. Several rooms run at
 * once; each is loaded on first use and reloaded when its entry goes stale.
 */
export class RoomCatalog {
  readonly #db: Database;
  readonly #ttlMs: number;
  readonly #now: () => number;
  readonly #entries = new Map<string, Entry>();
  readonly #loading = new Map<string, Promise<Room | null>>();

  constructor(options: { db: Database; ttlMs: number; now?: () => number }) {
    this.#db = options.db;
    this.#ttlMs = options.ttlMs;
    this.#now = options.now ?? Date.now;
  }

  async get(roomId: string): Promise<Room | null> {
    const entry = this.#entries.get(roomId);
    if (entry && this.#now() - entry.loadedAt < this.#ttlMs) return entry.room;
    // One load per room at a time, however many requests ask.
    const pending = this.#loading.get(roomId);
    if (pending) return pending;
    const load = this.#load(roomId).finally(() => this.#loading.delete(roomId));
    this.#loading.set(roomId, load);
    return load;
  }

  /** Every room, fresh from PostgreSQL (also refreshes the cache). */
  async list(): Promise<Room[]> {
    const rows = await this.#db.select().from(rooms).orderBy(rooms.saleOpensAt, rooms.id);
    const loadedAt = this.#now();
    const all = rows.map(roomFromRow);
    for (const room of all) this.#remember(room.id, { room, loadedAt });
    return all;
  }

  /** Drops a room's cached entry, for example after changing its row. */
  forget(roomId: string): void {
    this.#entries.delete(roomId);
  }

  async #load(roomId: string): Promise<Room | null> {
    const [row] = await this.#db.select().from(rooms).where(eq(rooms.id, roomId)).limit(1);
    const room = row ? roomFromRow(row) : null;
    this.#remember(roomId, { room, loadedAt: this.#now() });
    return room;
  }

  #remember(roomId: string, entry: Entry): void {
    if (this.#entries.size >= maxEntries && !this.#entries.has(roomId)) {
      const oldest = this.#entries.keys().next();
      if (!oldest.done) this.#entries.delete(oldest.value);
    }
    this.#entries.set(roomId, entry);
  }
}
