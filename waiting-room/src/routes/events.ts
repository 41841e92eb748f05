import type { ServerResponse } from 'node:http';
import type { HttpBindings } from '@hono/node-server';
import { RESPONSE_ALREADY_SENT } from '@hono/node-server/utils/response';
import { Hono } from 'hono';
import { streamSSE } from 'hono/streaming';
import type { WaitingRoomDeps } from '../deps.ts';
import { roomNotFound } from '../problems.ts';
import { Problem } from '../service/index.ts';
import type { LiveConnection, LiveUpdates } from '../visitors/live-updates.ts';
import type { QueueTicket } from '../visitors/ticket.ts';
import { requireTicket } from './request-helpers.ts';
import { roomIdPattern } from './schemas.ts';

/** A domain problem's code and title only, never an internal message. */
function problemEvent(error: unknown): string {
  const body =
    error instanceof Problem
      ? { status: error.status, code: error.code, title: error.title }
      : { status: 503, code: 'queue_unavailable', title: 'Queue temporarily unavailable' };
  return JSON.stringify(body);
}

const frame = (event: string, id: number, data: string) =>
  `event: ${event}\nid: ${id}\ndata: ${data}\n\n`;

/**
 * Writes the stream straight to Node's response. A web ReadableStream pipeline
 * per connection (hono's streamSSE) costs about 23 KB of heap per visitor;
 * this costs a few.
 */
function streamToSocket(
  out: ServerResponse,
  live: LiveUpdates,
  roomId: string,
  ticket: QueueTicket,
  requestId: string,
): Response {
  out.writeHead(200, {
    'content-type': 'text/event-stream; charset=utf-8',
    'cache-control': 'no-store',
    connection: 'keep-alive',
    'x-accel-buffering': 'no',
    'x-request-id': requestId,
  });
  let id = 0;
  let open = true;
  const connection: LiveConnection = {
    ticket,
    send: (event, data) =>
      new Promise<void>((resolve, reject) => {
        if (!open) return reject(new Error('stream closed'));
        out.write(frame(event, ++id, data), (error) => (error ? reject(error) : resolve()));
      }),
    close: () => {
      if (!open) return;
      open = false;
      live.close(roomId, connection);
      out.end();
    },
  };
  out.on('close', () => connection.close());
  live.open(roomId, connection).catch((error: unknown) => {
    if (open) out.write(frame('problem', ++id, problemEvent(error)));
    connection.close();
  });
  return RESPONSE_ALREADY_SENT;
}

/** GET /v1/rooms/:room/events: the visitor's status as Server-Sent Events, pushed on every tick. */
export function eventRoutes(deps: WaitingRoomDeps, live: LiveUpdates) {
  const app = new Hono<{ Bindings: Partial<HttpBindings> }>();
  app.get('/v1/rooms/:room/events', async (c) => {
    const roomId = c.req.param('room');
    if (!roomIdPattern.test(roomId)) throw roomNotFound(roomId);
    const ticket = requireTicket(c, roomId, deps.settings.ticketSecret);
    // Refuse bad rooms and tickets with a proper status before the stream starts.
    const room = await deps.catalog.get(roomId);
    if (!room) throw roomNotFound(roomId);
    const out = c.env?.outgoing;
    if (out) return streamToSocket(out, live, roomId, ticket, c.get('requestId'));

    // Without a Node socket (in-process requests), the same stream through hono.
    c.header('cache-control', 'no-store');
    return streamSSE(c, async (stream) => {
      let id = 0;
      const done = new Promise<void>((resolve) => {
        const connection: LiveConnection = {
          ticket,
          send: (event, data) => stream.writeSSE({ event, data, id: String(++id) }),
          close: () => {
            live.close(roomId, connection);
            resolve();
          },
        };
        stream.onAbort(() => connection.close());
        live.open(roomId, connection).catch(async (error: unknown) => {
          await stream
            .writeSSE({ event: 'problem', data: problemEvent(error) })
            .catch(() => undefined);
          connection.close();
        });
      });
      await done;
    });
  });
  return app;
}
