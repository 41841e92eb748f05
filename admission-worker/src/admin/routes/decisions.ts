// The ticks' decisions: recent ones as JSON, and a live view as Server-Sent
// Events. Each live view reads the stream with XREAD BLOCK on a connection of
// its own (a blocking read would stall every other command on a shared one),
// and sends a heartbeat whenever a block times out, so proxies keep the stream
// open and clients notice a dead one.
import { createRoute, type OpenAPIHono, z } from '@hono/zod-openapi';
import { invalidInput, Problem } from '@tatkal/waiting-room/service';
import { streamSSE } from 'hono/streaming';
import { decisionStreamKey } from '../../decisions/record.ts';
import { recentDecisions, toEntries } from '../decision-feed.ts';
import type { AdminContext } from '../deps.ts';
import { tooManyLiveViews } from '../problems.ts';
import { AnyJson, DecisionsQuery, EventsQuery, RoomParams } from '../schemas.ts';
import { findRoomRow } from '../verbs/room-view.ts';
import { json, problems, security } from './openapi-helpers.ts';

const decisionsRoute = createRoute({
  method: 'get',
  path: '/admin/rooms/{room}/decisions',
  summary: 'The newest decision records of the room, oldest first (default 60)',
  security,
  request: { params: RoomParams, query: DecisionsQuery },
  responses: {
    200: json(z.object({ room: z.string(), decisions: z.array(AnyJson) }), 'Decisions'),
    ...problems(401, 404, 422),
  },
});

const streamIdPattern = /^[0-9]{1,20}-[0-9]{1,20}$/;
const defaultBacklog = 120;

export function decisionRoutes(app: OpenAPIHono, ctx: AdminContext): void {
  app.openapi(decisionsRoute, async (c) => {
    const { room } = c.req.valid('param');
    await findRoomRow(ctx.db, room);
    const count = c.req.valid('query').count ?? 60;
    const entries = await recentDecisions(ctx.redis, ctx.keyPrefix, room, count);
    return c.json({ room, decisions: entries.map((e) => ({ id: e.id, ...e.record })) }, 200);
  });

  app.openAPIRegistry.registerPath({
    method: 'get',
    path: '/admin/rooms/{room}/events',
    summary:
      'Live decisions as Server-Sent Events: `decision` (id = stream entry id; resume with Last-Event-ID), `heartbeat`, `problem`',
    security,
    request: { params: RoomParams, query: EventsQuery },
    responses: {
      200: {
        description: 'text/event-stream',
        content: { 'text/event-stream': { schema: z.string() } },
      },
      ...problems(401, 404, 422, 503),
    },
  });

  let open = 0;
  app.get('/admin/rooms/:room/events', async (c) => {
    const params = RoomParams.safeParse({ room: c.req.param('room') });
    if (!params.success) throw invalidInput(params.error.issues, 'path');
    const query = EventsQuery.safeParse({ backlog: c.req.query('backlog') });
    if (!query.success) throw invalidInput(query.error.issues, 'query');
    const resumeFrom = c.req.header('last-event-id');
    if (resumeFrom !== undefined && !streamIdPattern.test(resumeFrom)) {
      throw invalidInput(
        [{ path: ['last-event-id'], message: 'must be a stream entry id' }],
        'headers',
      );
    }
    const room = params.data.room;
    // Refuse unknown rooms with a status before the stream starts.
    await findRoomRow(ctx.db, room);
    if (open >= ctx.maxLiveViews) throw tooManyLiveViews();
    open++;
    const key = decisionStreamKey(ctx.keyPrefix, room);
    const connection = ctx.openStreamConnection();
    c.header('cache-control', 'no-store');
    c.header('x-accel-buffering', 'no');
    return streamSSE(c, async (stream) => {
      let closed = false;
      stream.onAbort(() => {
        closed = true;
        // Interrupts the blocked XREAD at once instead of at the next heartbeat.
        connection.disconnect();
      });
      try {
        let lastId = resumeFrom ?? '0-0';
        if (resumeFrom === undefined) {
          const backlog = await recentDecisions(
            ctx.redis,
            ctx.keyPrefix,
            room,
            query.data.backlog ?? defaultBacklog,
          );
          for (const entry of backlog) {
            await stream.writeSSE({
              event: 'decision',
              id: entry.id,
              data: JSON.stringify(entry.record),
            });
          }
          // Start after the newest entry even when the backlog is empty or skipped.
          const [newest] = await ctx.redis.xrevrange(key, '+', '-', 'COUNT', 1);
          lastId = newest?.[0] ?? '0-0';
        }
        await stream.writeSSE({
          event: 'ready',
          data: JSON.stringify({ room, heartbeatMs: ctx.heartbeatMs }),
        });
        while (!closed) {
          const reply = await connection.xread(
            'COUNT',
            100,
            'BLOCK',
            ctx.heartbeatMs,
            'STREAMS',
            key,
            lastId,
          );
          if (closed) break;
          if (reply === null) {
            await stream.writeSSE({
              event: 'heartbeat',
              data: JSON.stringify({ atMs: ctx.now() }),
            });
            continue;
          }
          for (const [, raw] of reply) {
            const last = raw.at(-1);
            if (last) lastId = last[0];
            for (const entry of toEntries(raw)) {
              await stream.writeSSE({
                event: 'decision',
                id: entry.id,
                data: JSON.stringify(entry.record),
              });
            }
          }
        }
      } catch (error) {
        if (!closed) {
          ctx.logger?.warn({ err: error, room }, 'decision live view failed');
          const problem =
            error instanceof Problem
              ? { status: error.status, code: error.code, title: error.title }
              : {
                  status: 503,
                  code: 'decisions_unavailable',
                  title: 'Decision stream unavailable',
                };
          await stream
            .writeSSE({ event: 'problem', data: JSON.stringify(problem) })
            .catch(() => {});
        }
      } finally {
        open--;
        connection.disconnect();
      }
    });
  });
}
