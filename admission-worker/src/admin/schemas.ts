// The admin API's request and response shapes, described once in zod: they
// validate input and generate /admin/openapi.json.
import { z } from '@hono/zod-openapi';
import { classCodes, quotas, roomModes, roomStatuses } from '@tatkal/drizzle/schema';

// Numbers are JSON numbers: no coercion of "7", true or [7].
const whole = (min: number, max: number) => z.number().int().min(min).max(max);
const instant = z.iso
  .datetime({
    offset: true,
    message: 'must be an ISO 8601 time with a zone, e.g. 2026-03-01T10:00:00+05:30',
  })
  .transform((value) => new Date(value));

export const roomIdPattern = /^[a-z0-9][a-z0-9-]{1,62}$/;

export const RoomParams = z.object({
  room: z
    .string()
    .regex(roomIdPattern, { message: 'must be a room id (2-63 lowercase letters, digits, "-")' })
    .openapi({ param: { name: 'room', in: 'path' }, example: 'demo' }),
});

export const ScheduleInput = z
  .object({ prequeueOpensAt: instant, saleOpensAt: instant, closesAt: instant })
  .strict();

export const ScopeInput = z
  .object({
    journeyId: whole(1, 2_147_483_647).nullable(),
    classCodes: z.array(z.enum(classCodes)).min(1).max(classCodes.length),
    quotas: z.array(z.enum(quotas)).min(1).max(quotas.length),
  })
  .strict();

export const BoundsInput = z
  .object({
    minPerSecond: whole(0, 100_000),
    maxPerSecond: whole(0, 100_000),
    maxActiveSessions: whole(1, 10_000_000),
    latencyTargetMs: whole(1, 600_000),
  })
  .strict();

const settings = {
  name: z.string().trim().min(1).max(120),
  mode: z.enum(roomModes),
  sessionSeconds: whole(30, 86_400),
  abandonAfterSeconds: whole(5, 86_400),
  tickIntervalMs: whole(100, 60_000),
  powDifficulty: whole(0, 32),
};

export const CreateRoomBody = z
  .object({
    id: z.string().regex(roomIdPattern, { message: 'must be 2-63 lowercase letters, digits, "-"' }),
    name: settings.name,
    scope: ScopeInput,
    schedule: ScheduleInput,
    mode: settings.mode.optional(),
    sessionSeconds: settings.sessionSeconds.optional(),
    abandonAfterSeconds: settings.abandonAfterSeconds.optional(),
    tickIntervalMs: settings.tickIntervalMs.optional(),
    powDifficulty: settings.powDifficulty.optional(),
    bounds: BoundsInput.partial().optional(),
  })
  .strict()
  .openapi('CreateRoom');

export const UpdateRoomBody = z
  .object({
    name: settings.name.optional(),
    mode: settings.mode.optional(),
    scope: ScopeInput.partial().optional(),
    schedule: ScheduleInput.partial().optional(),
    sessionSeconds: settings.sessionSeconds.optional(),
    abandonAfterSeconds: settings.abandonAfterSeconds.optional(),
    tickIntervalMs: settings.tickIntervalMs.optional(),
    powDifficulty: settings.powDifficulty.optional(),
  })
  .strict()
  .refine((body) => Object.keys(body).length > 0, { message: 'must change at least one field' })
  .openapi('UpdateRoom');

export const BoundsBody = BoundsInput.partial()
  .refine((body) => Object.keys(body).length > 0, { message: 'must set at least one bound' })
  .openapi('UpdateBounds');

export const SwitchBody = z.object({ on: z.boolean() }).strict().openapi('Switch');

export const DecisionsQuery = z.object({
  count: z
    .string()
    .regex(/^[1-9][0-9]{0,3}$/, { message: 'must be 1-1000' })
    .transform(Number)
    .pipe(whole(1, 1000))
    .optional()
    .openapi({ param: { name: 'count', in: 'query' }, example: '60' }),
});

export const EventsQuery = z.object({
  backlog: z
    .string()
    .regex(/^[0-9]{1,3}$/, { message: 'must be 0-600' })
    .transform(Number)
    .pipe(whole(0, 600))
    .optional()
    .openapi({ param: { name: 'backlog', in: 'query' }, example: '120' }),
});

export const AuditQuery = z.object({
  room: RoomParams.shape.room.optional().openapi({ param: { name: 'room', in: 'query' } }),
  limit: z
    .string()
    .regex(/^[1-9][0-9]{0,3}$/, { message: 'must be 1-1000' })
    .transform(Number)
    .pipe(whole(1, 1000))
    .optional()
    .openapi({ param: { name: 'limit', in: 'query' } }),
});

export const RoomSchema = z
  .object({
    id: z.string(),
    name: z.string(),
    mode: z.enum(roomModes),
    status: z.enum(roomStatuses).openapi({ description: "The operator's setting" }),
    state: z.enum(roomStatuses).openapi({ description: 'Effective now: status and schedule' }),
    draining: z.boolean().openapi({ description: 'New joins refused; waiting visitors admitted' }),
    emergencyBrake: z.boolean(),
    schedule: z.object({
      prequeueOpensAt: z.string(),
      saleOpensAt: z.string(),
      closesAt: z.string(),
    }),
    scope: z.object({
      journeyId: z.number().nullable(),
      classCodes: z.array(z.string()),
      quotas: z.array(z.string()),
    }),
    bounds: BoundsInput,
    sessionSeconds: z.number(),
    abandonAfterSeconds: z.number(),
    tickIntervalMs: z.number(),
    powDifficulty: z.number(),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .openapi('Room');

export const AnyJson = z.record(z.string(), z.unknown()).openapi('Object');
