// What the bench and its SSE client processes say to each other, and the
// incremental text/event-stream parser the clients use (pure, unit tested).

export interface SseClientConfig {
  host: string;
  port: number;
  path: string;
  ticketsFile: string;
  /** Source address on loopback (127.0.0.x), so clients do not share one ephemeral port range. */
  localAddress?: string;
  /** Connections still waiting for their first event, at most. */
  concurrency: number;
  /** Every n-th connection keeps its first and latest position for the push check. */
  sampleEvery: number;
  maxS: number;
}

export type SseClientMessage = { type: 'report'; sinceMs: number } | { type: 'close' };

export interface SseSample {
  firstPosition: number | null;
  lastPosition: number | null;
  lastStanding: string | null;
}

export interface SseClientReport {
  type: 'report';
  tickets: number;
  /** Connections answered 200. */
  opened: number;
  /** Connections refused or broken before a response. */
  failed: number;
  /** Connections that received at least one status event. */
  withFirst: number;
  /** Connections open now that received their first status. */
  open: number;
  closedByServer: number;
  /** Connections whose latest status event arrived at or after `sinceMs`. */
  withNewSince: number;
  newDelayP50Ms: number | null;
  newDelayMaxMs: number | null;
  errors: Record<string, number>;
  samples: SseSample[];
}

export interface SseEvent {
  event: string;
  data: string;
}

/** Splits a text/event-stream into events, across chunk boundaries. */
export class SseEventParser {
  #partial = '';
  #event = '';
  #data: string[] = [];

  push(chunk: string): SseEvent[] {
    const events: SseEvent[] = [];
    const lines = (this.#partial + chunk).split('\n');
    this.#partial = lines.pop() ?? '';
    for (const raw of lines) {
      const line = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
      if (line === '') {
        if (this.#event !== '' || this.#data.length > 0) {
          events.push({ event: this.#event || 'message', data: this.#data.join('\n') });
        }
        this.#event = '';
        this.#data = [];
      } else if (line.startsWith('event:')) {
        this.#event = line.slice(6).trimStart();
      } else if (line.startsWith('data:')) {
        this.#data.push(line.slice(5).replace(/^ /, ''));
      }
    }
    return events;
  }
}
