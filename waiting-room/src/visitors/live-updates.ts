import type { WaitingRoomDeps } from '../deps.ts';
import type { QueueTicket } from './ticket.ts';
import { type VisitorStatus, visitorStatus } from './visitor-status.ts';

/** One open Server-Sent Events connection of a waiting visitor. */
export interface LiveConnection {
  ticket: QueueTicket;
  send(event: 'status' | 'ping', data: string): Promise<void>;
  close(): void;
}

interface RoomChannel {
  connections: Set<LiveConnection>;
  unsubscribe: () => void;
}

const keepAliveMs = 15_000;

/**
 * Pushes each connected visitor's status whenever the room's pointer moves
 * (one cache subscription per room, not per connection) and keeps idle
 * connections alive (one timer per process). An open connection counts as the
 * visitor being present, exactly like a poll.
 */
export class LiveUpdates {
  readonly #deps: WaitingRoomDeps;
  readonly #rooms = new Map<string, RoomChannel>();
  readonly #timer: NodeJS.Timeout;

  constructor(deps: WaitingRoomDeps) {
    this.#deps = deps;
    this.#timer = setInterval(() => this.#keepAlive(), keepAliveMs);
    this.#timer.unref();
  }

  get connectionCount(): number {
    let count = 0;
    for (const channel of this.#rooms.values()) count += channel.connections.size;
    return count;
  }

  /** Registers a connection and sends its first status; returns the status sent. */
  async open(roomId: string, connection: LiveConnection): Promise<VisitorStatus> {
    const status = await visitorStatus(this.#deps, roomId, connection.ticket);
    await connection.send('status', JSON.stringify(publicStatus(status)));
    if (status.standing === 'admitted') {
      connection.close();
      return status;
    }
    let channel = this.#rooms.get(roomId);
    if (!channel) {
      const created: RoomChannel = {
        connections: new Set(),
        unsubscribe: this.#deps.queueState.subscribe(roomId, () => void this.#pushRoom(roomId)),
      };
      this.#rooms.set(roomId, created);
      channel = created;
    }
    channel.connections.add(connection);
    return status;
  }

  close(roomId: string, connection: LiveConnection): void {
    const channel = this.#rooms.get(roomId);
    if (!channel) return;
    channel.connections.delete(connection);
    if (channel.connections.size === 0) {
      channel.unsubscribe();
      this.#rooms.delete(roomId);
    }
  }

  /** Ends every stream (shutdown): clients reconnect to another instance. */
  closeAll(): void {
    clearInterval(this.#timer);
    for (const [roomId, channel] of this.#rooms) {
      for (const connection of channel.connections) connection.close();
      channel.unsubscribe();
      this.#rooms.delete(roomId);
    }
  }

  async #pushRoom(roomId: string): Promise<void> {
    const channel = this.#rooms.get(roomId);
    if (!channel) return;
    await Promise.all(
      [...channel.connections].map(async (connection) => {
        try {
          const status = await visitorStatus(this.#deps, roomId, connection.ticket);
          await connection.send('status', JSON.stringify(publicStatus(status)));
          if (status.standing === 'admitted') connection.close();
        } catch {
          // A failed push is retried at the next change; the client also reconnects.
        }
      }),
    );
  }

  #keepAlive(): void {
    for (const [roomId, channel] of this.#rooms) {
      for (const connection of channel.connections) {
        const { number } = connection.ticket;
        if (number !== null) this.#deps.heartbeats.touch(roomId, number);
        void connection.send('ping', '{}').catch(() => undefined);
      }
    }
  }
}

export function publicStatus(status: VisitorStatus): Omit<VisitorStatus, 'renewedTicket'> {
  const { renewedTicket: _renewed, ...rest } = status;
  return rest;
}
