// The live view over real sockets: the backlog, then each record the ticks
// append as it arrives, heartbeats while idle, resuming after Last-Event-ID,
// and the dedicated Redis connection closed when the client goes away.
import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAdminApp, streamConnectionFrom } from '../../src/admin/index.ts';
import {
  type AdminWorld,
  adminWorld,
  appendDecision,
  decisionRecord,
  serveAdmin,
} from './support.ts';

interface SseEvent {
  event: string;
  id: string | null;
  data: string;
}

/** Reads SSE frames from a fetch response, one at a time. */
function sseReader(response: Response) {
  const reader = response.body?.getReader();
  if (!reader) throw new Error('no body');
  const decoder = new TextDecoder();
  let buffer = '';
  return {
    async next(): Promise<SseEvent> {
      for (;;) {
        const end = buffer.indexOf('\n\n');
        if (end >= 0) {
          const frame = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const event: SseEvent = { event: 'message', id: null, data: '' };
          for (const line of frame.split('\n')) {
            const colon = line.indexOf(':');
            const field = line.slice(0, colon);
            const value = line.slice(colon + 1).replace(/^ /, '');
            if (field === 'event') event.event = value;
            if (field === 'id') event.id = value;
            if (field === 'data') event.data += value;
          }
          return event;
        }
        const { value, done } = await reader.read();
        if (done) throw new Error('stream ended');
        buffer += decoder.decode(value, { stream: true });
      }
    },
    cancel: () => reader.cancel(),
  };
}

let world: AdminWorld;
let server: Awaited<ReturnType<typeof serveAdmin>>;
const streamConnections: Redis[] = [];

beforeAll(async () => {
  world = await adminWorld();
  const app = createAdminApp({
    db: world.db.db,
    redis: world.redis,
    keyPrefix: world.prefix,
    heartbeatSeconds: 0.3,
    openStreamConnection: () => {
      const connection = streamConnectionFrom(world.redis);
      streamConnections.push(connection);
      return connection;
    },
  });
  server = await serveAdmin(app);
});
afterAll(async () => {
  await server?.close();
  await world?.close();
});

const open = (path: string, headers: Record<string, string> = {}) =>
  fetch(`${server.url}${path}`, {
    headers: { authorization: `Bearer ${world.tokens.viewer}`, ...headers },
  });

describe('GET /admin/rooms/:room/events', () => {
  it('sends the backlog, then each new record as the ticks append it, with heartbeats between', async () => {
    const ids: string[] = [];
    for (let tick = 0; tick < 3; tick++) {
      ids.push(await appendDecision(world.redis, world.prefix, decisionRecord('demo', tick)));
    }
    const response = await open('/admin/rooms/demo/events?backlog=2');
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/event-stream/);
    const events = sseReader(response);

    const backlog = [await events.next(), await events.next()];
    expect(backlog.map((e) => [e.event, e.id])).toEqual([
      ['decision', ids[1]],
      ['decision', ids[2]],
    ]);
    expect(JSON.parse(backlog[1]?.data ?? '{}').fence).toBe(3);
    expect((await events.next()).event).toBe('ready');

    // Idle: a heartbeat within a few block periods.
    expect((await events.next()).event).toBe('heartbeat');

    for (let tick = 3; tick < 6; tick++) {
      const id = await appendDecision(world.redis, world.prefix, decisionRecord('demo', tick));
      let event = await events.next();
      while (event.event === 'heartbeat') event = await events.next();
      expect(event).toMatchObject({ event: 'decision', id });
      expect(JSON.parse(event.data)).toMatchObject({ roomId: 'demo', fence: tick + 1 });
    }
    await events.cancel();
  });

  it('resumes after Last-Event-ID without repeating the backlog', async () => {
    const first = await appendDecision(world.redis, world.prefix, decisionRecord('demo', 10));
    const second = await appendDecision(world.redis, world.prefix, decisionRecord('demo', 11));
    const events = sseReader(await open('/admin/rooms/demo/events', { 'last-event-id': first }));
    expect((await events.next()).event).toBe('ready');
    let event = await events.next();
    while (event.event === 'heartbeat') event = await events.next();
    expect(event).toMatchObject({ event: 'decision', id: second });
    await events.cancel();
  });

  it('closes its Redis connection when the client goes away', async () => {
    const before = streamConnections.length;
    const events = sseReader(await open('/admin/rooms/demo/events?backlog=0'));
    expect((await events.next()).event).toBe('ready');
    const connection = streamConnections[before];
    expect(connection?.status).not.toBe('end');
    await events.cancel();
    const deadline = Date.now() + 5_000;
    while (connection?.status !== 'end' && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    expect(connection?.status).toBe('end');
  });

  it.each([
    ['no token', {}, '/admin/rooms/demo/events', 401],
    ['an unknown room', undefined, '/admin/rooms/nowhere/events', 404],
    ['a bad backlog', undefined, '/admin/rooms/demo/events?backlog=x', 422],
    ['a bad Last-Event-ID', { 'last-event-id': 'yesterday' }, '/admin/rooms/demo/events', 422],
  ] as const)('refuses %s before streaming', async (_label, headers, path, status) => {
    const response =
      headers && !('last-event-id' in headers)
        ? await fetch(`${server.url}${path}`)
        : await open(path, headers ?? {});
    expect(response.status).toBe(status);
    expect(response.headers.get('content-type')).toBe('application/problem+json');
  });
});
