// Rooms: list, live state, create, settings, state changes, bounds, brake,
// drain and token revocation. Reads need any operator token; writes need the
// operator role (enforced once, in auth.ts).
import { createRoute, type OpenAPIHono, z } from '@hono/zod-openapi';
import { limitBody } from '@tatkal/waiting-room/service';
import type { AdminContext } from '../deps.ts';
import {
  AnyJson,
  BoundsBody,
  CreateRoomBody,
  RoomParams,
  RoomSchema,
  SwitchBody,
  UpdateRoomBody,
} from '../schemas.ts';
import { liveState } from '../verbs/live-state.ts';
import {
  changeStatus,
  revokeTokens,
  type StatusAction,
  setBounds,
  setBrake,
  setDrain,
} from '../verbs/room-controls.ts';
import { createRoom, updateRoom } from '../verbs/room-settings.ts';
import { listRooms, roomDraining, roomView } from '../verbs/room-view.ts';
import { json, jsonBody, problems, security } from './openapi-helpers.ts';

const limitSmallBody = limitBody(16 * 1024);
const writeProblems = problems(401, 403, 404, 409, 413, 415, 422);

const listRoute = createRoute({
  method: 'get',
  path: '/admin/rooms',
  summary: 'Every room with its state, bounds and brake',
  security,
  responses: { 200: json(z.object({ rooms: z.array(RoomSchema) }), 'Rooms'), ...problems(401) },
});

const showRoute = createRoute({
  method: 'get',
  path: '/admin/rooms/{room}',
  summary: 'Live state: the room, its queue, token revocation and the latest decisions',
  security,
  request: { params: RoomParams },
  responses: { 200: json(AnyJson, 'Live state'), ...problems(401, 404, 422) },
});

const createRoomRoute = createRoute({
  method: 'post',
  path: '/admin/rooms',
  summary: 'Create a room',
  security,
  middleware: [limitSmallBody] as const,
  request: jsonBody(CreateRoomBody),
  responses: { 201: json(RoomSchema, 'Created'), ...writeProblems },
});

const updateRoute = createRoute({
  method: 'patch',
  path: '/admin/rooms/{room}',
  summary: 'Change name, mode (before the pre-queue opens), scope, schedule or session settings',
  security,
  middleware: [limitSmallBody] as const,
  request: { params: RoomParams, ...jsonBody(UpdateRoomBody) },
  responses: { 200: json(RoomSchema, 'Changed'), ...writeProblems },
});

const boundsRoute = createRoute({
  method: 'patch',
  path: '/admin/rooms/{room}/bounds',
  summary: 'Admission bounds: min and max per second, max active sessions, latency target',
  security,
  middleware: [limitSmallBody] as const,
  request: { params: RoomParams, ...jsonBody(BoundsBody) },
  responses: { 200: json(RoomSchema, 'Changed'), ...writeProblems },
});

const brakeRoute = createRoute({
  method: 'put',
  path: '/admin/rooms/{room}/brake',
  summary: 'Emergency brake: while on, nobody is admitted whatever the controller says',
  security,
  middleware: [limitSmallBody] as const,
  request: { params: RoomParams, ...jsonBody(SwitchBody) },
  responses: { 200: json(RoomSchema, 'Set'), ...writeProblems },
});

const drainRoute = (method: 'post' | 'delete') =>
  createRoute({
    method,
    path: '/admin/rooms/{room}/drain',
    summary:
      method === 'post'
        ? 'Drain: give out no new places; everyone already waiting is admitted as usual'
        : 'Lift a drain: new visitors may join again (opening the room also lifts it)',
    security,
    request: { params: RoomParams },
    responses: { 200: json(RoomSchema, 'Set'), ...writeProblems },
  });

const statusDescriptions: Record<StatusAction, string> = {
  open: 'Open the sale now (also before its scheduled time), and lift a drain',
  pause: 'Pause admissions; visitors keep their places and may still join',
  resume: 'Resume a paused sale',
  close: 'Close the room: no joins, no admissions, no bookings (final)',
};

const statusRoute = (action: StatusAction) =>
  createRoute({
    method: 'post',
    path: `/admin/rooms/{room}/${action}`,
    summary: statusDescriptions[action],
    security,
    request: { params: RoomParams },
    responses: { 200: json(RoomSchema, 'Changed'), ...writeProblems },
  });

const revokeRoute = createRoute({
  method: 'post',
  path: '/admin/rooms/{room}/revoke-tokens',
  summary: 'Revoke every admission token of the room issued until now; holders must queue again',
  security,
  request: { params: RoomParams },
  responses: {
    200: json(z.object({ room: z.string(), revokedBefore: z.string() }), 'Revoked'),
    ...writeProblems,
  },
});

export function roomRoutes(app: OpenAPIHono, ctx: AdminContext): void {
  const view = async (row: Parameters<typeof roomView>[0]) =>
    roomView(row, await roomDraining(ctx, row.id), ctx.now());

  app.openapi(listRoute, async (c) => c.json({ rooms: await listRooms(ctx) }, 200));

  app.openapi(showRoute, async (c) => c.json(await liveState(ctx, c.req.valid('param').room), 200));

  app.openapi(createRoomRoute, async (c) => {
    const row = await createRoom(ctx, c.get('operator'), c.req.valid('json'));
    return c.json(await view(row), 201);
  });

  app.openapi(updateRoute, async (c) => {
    const row = await updateRoom(
      ctx,
      c.get('operator'),
      c.req.valid('param').room,
      c.req.valid('json'),
    );
    return c.json(await view(row), 200);
  });

  app.openapi(boundsRoute, async (c) => {
    const row = await setBounds(
      ctx,
      c.get('operator'),
      c.req.valid('param').room,
      c.req.valid('json'),
    );
    return c.json(await view(row), 200);
  });

  app.openapi(brakeRoute, async (c) => {
    const row = await setBrake(
      ctx,
      c.get('operator'),
      c.req.valid('param').room,
      c.req.valid('json').on,
    );
    return c.json(await view(row), 200);
  });

  for (const method of ['post', 'delete'] as const) {
    app.openapi(drainRoute(method), async (c) => {
      const row = await setDrain(
        ctx,
        c.get('operator'),
        c.req.valid('param').room,
        method === 'post',
      );
      return c.json(await view(row), 200);
    });
  }

  for (const action of ['open', 'pause', 'resume', 'close'] as const) {
    app.openapi(statusRoute(action), async (c) => {
      const row = await changeStatus(ctx, c.get('operator'), c.req.valid('param').room, action);
      return c.json(await view(row), 200);
    });
  }

  app.openapi(revokeRoute, async (c) => {
    const { room, revokedBeforeSec } = await revokeTokens(
      ctx,
      c.get('operator'),
      c.req.valid('param').room,
    );
    return c.json(
      { room: room.id, revokedBefore: new Date(revokedBeforeSec * 1000).toISOString() },
      200,
    );
  });
}
