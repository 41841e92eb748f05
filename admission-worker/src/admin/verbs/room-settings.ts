// Creating a room and changing its settings: name, mode, token scope, schedule,
// session length and the other per-room knobs.
import { type Room, rooms } from '@tatkal/drizzle';
import { effectiveRoomState, roomFromRow } from '@tatkal/waiting-room';
import { recordAudit } from '../audit.ts';
import type { AdminContext } from '../deps.ts';
import type { Operator } from '../operator-tokens.ts';
import { inconsistentInput, roomExists, transitionRefused } from '../problems.ts';
import {
  asInputProblem,
  changeRoom,
  differences,
  pgErrorOf,
  type RoomPatch,
} from './change-room.ts';
import type { BoundsChange } from './room-controls.ts';

type ClassCode = Room['classCodes'][number];
type Quota = Room['quotas'][number];

export interface ScheduleInput {
  prequeueOpensAt: Date;
  saleOpensAt: Date;
  closesAt: Date;
}

export interface ScopeInput {
  journeyId: number | null;
  classCodes: ClassCode[];
  quotas: Quota[];
}

interface Knobs {
  mode?: Room['mode'] | undefined;
  sessionSeconds?: number | undefined;
  abandonAfterSeconds?: number | undefined;
  tickIntervalMs?: number | undefined;
  powDifficulty?: number | undefined;
}

export interface CreateRoomInput extends Knobs {
  id: string;
  name: string;
  scope: ScopeInput;
  schedule: ScheduleInput;
  bounds?: BoundsChange | undefined;
}

export interface UpdateRoomInput extends Knobs {
  name?: string | undefined;
  scope?: { [K in keyof ScopeInput]?: ScopeInput[K] | undefined } | undefined;
  schedule?: { [K in keyof ScheduleInput]?: ScheduleInput[K] | undefined } | undefined;
}

function checkSchedule(schedule: ScheduleInput): void {
  if (schedule.prequeueOpensAt > schedule.saleOpensAt) {
    throw inconsistentInput('schedule.prequeueOpensAt', 'must not be after saleOpensAt');
  }
  if (schedule.saleOpensAt >= schedule.closesAt) {
    throw inconsistentInput('schedule.closesAt', 'must be after saleOpensAt');
  }
}

const unique = <T>(values: T[]): T[] => [...new Set(values)];

function knobs(input: Knobs): RoomPatch {
  const patch: RoomPatch = {};
  if (input.mode !== undefined) patch.mode = input.mode;
  if (input.sessionSeconds !== undefined) patch.sessionSeconds = input.sessionSeconds;
  if (input.abandonAfterSeconds !== undefined)
    patch.abandonAfterSeconds = input.abandonAfterSeconds;
  if (input.tickIntervalMs !== undefined) patch.tickIntervalMs = input.tickIntervalMs;
  if (input.powDifficulty !== undefined) patch.powDifficulty = input.powDifficulty;
  return patch;
}

export async function createRoom(
  ctx: AdminContext,
  operator: Operator,
  input: CreateRoomInput,
): Promise<Room> {
  checkSchedule(input.schedule);
  const min = input.bounds?.minPerSecond;
  const max = input.bounds?.maxPerSecond;
  if (min !== undefined && max !== undefined && min > max) {
    throw inconsistentInput('bounds.minPerSecond', 'must not be above bounds.maxPerSecond');
  }
  const values = {
    id: input.id,
    name: input.name,
    journeyId: input.scope.journeyId,
    classCodes: unique(input.scope.classCodes),
    quotas: unique(input.scope.quotas),
    ...input.schedule,
    ...knobs(input),
    ...(min === undefined ? {} : { minAdmitPerSecond: min }),
    ...(max === undefined ? {} : { maxAdmitPerSecond: max }),
    ...(input.bounds?.maxActiveSessions === undefined
      ? {}
      : { maxActiveSessions: input.bounds.maxActiveSessions }),
    ...(input.bounds?.latencyTargetMs === undefined
      ? {}
      : { latencyTargetMs: input.bounds.latencyTargetMs }),
  };
  try {
    return await ctx.db.transaction(async (tx) => {
      const [row] = await tx.insert(rooms).values(values).returning();
      if (!row) throw new Error('room insert returned no row');
      await recordAudit(tx, operator, {
        action: 'room.create',
        roomId: row.id,
        details: { room: row.id, name: row.name, mode: row.mode },
      });
      return row;
    });
  } catch (error) {
    if (pgErrorOf(error)?.code === '23505') throw roomExists(input.id);
    throw asInputProblem(error);
  }
}

export function updateRoom(
  ctx: AdminContext,
  operator: Operator,
  roomId: string,
  input: UpdateRoomInput,
): Promise<Room> {
  return changeRoom(ctx, operator, roomId, (row) => {
    const state = effectiveRoomState(roomFromRow(row), ctx.now());
    // The shuffle commits to its seed when the pre-queue opens; switching mode after
    // that would break the published commitment, or strand a pre-queue.
    if (input.mode !== undefined && input.mode !== row.mode && state !== 'scheduled') {
      throw transitionRefused(
        roomId,
        'change the mode of',
        state,
        'the mode is fixed once the pre-queue opens',
      );
    }
    const schedule = {
      prequeueOpensAt: input.schedule?.prequeueOpensAt ?? row.prequeueOpensAt,
      saleOpensAt: input.schedule?.saleOpensAt ?? row.saleOpensAt,
      closesAt: input.schedule?.closesAt ?? row.closesAt,
    };
    checkSchedule(schedule);
    const patch: RoomPatch = { ...knobs(input) };
    if (input.name !== undefined) patch.name = input.name;
    if (input.schedule !== undefined) Object.assign(patch, schedule);
    if (input.scope?.journeyId !== undefined) patch.journeyId = input.scope.journeyId;
    if (input.scope?.classCodes !== undefined) patch.classCodes = unique(input.scope.classCodes);
    if (input.scope?.quotas !== undefined) patch.quotas = unique(input.scope.quotas);
    return { action: 'room.update', patch, details: { changed: differences(row, patch) } };
  });
}
