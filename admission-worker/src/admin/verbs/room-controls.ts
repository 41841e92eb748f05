// Operator controls of a running room: open, pause, resume, close, drain, the
// emergency brake, the admission bounds and token revocation. Each is one
// changeRoom call, so each is locked, audited and all-or-nothing.
//
// Drain means: the room stops giving out new places, and everyone already
// waiting keeps their place and is admitted at the controller's pace as usual
// (the ticks do not need to know). Opening the room lifts a drain.
import type { Room } from '@tatkal/drizzle';
import { effectiveRoomState, roomFromRow, roomKeys, setRoomDraining } from '@tatkal/waiting-room';
import { revokeRoomTokens } from '@tatkal/waiting-room/tokens';
import type { AdminContext } from '../deps.ts';
import type { Operator } from '../operator-tokens.ts';
import { inconsistentInput, transitionRefused } from '../problems.ts';
import { changeRoom, differences, type RoomChange } from './change-room.ts';

export type StatusAction = 'open' | 'pause' | 'resume' | 'close';

function stateOf(ctx: AdminContext, row: Room) {
  return effectiveRoomState(roomFromRow(row), ctx.now());
}

function statusChange(ctx: AdminContext, row: Room, action: StatusAction): RoomChange {
  const state = stateOf(ctx, row);
  const refuse = (why: string) => transitionRefused(row.id, action, state, why);
  const to = (status: Room['status']) => ({
    action: `room.${action}`,
    patch: row.status === status ? {} : { status },
    details: { from: row.status, to: status, stateBefore: state },
  });
  switch (action) {
    case 'open': {
      if (state === 'closed') {
        throw refuse(
          row.status === 'closed'
            ? 'an operator closed it, and a closed sale stays closed'
            : `its schedule closed it at ${row.closesAt.toISOString()}; move closesAt first`,
        );
      }
      return {
        ...to('open'),
        alongside: () => setRoomDraining(ctx.redis, roomKeys(ctx.keyPrefix, row.id), false),
      };
    }
    case 'pause':
      if (state !== 'open' && state !== 'paused') throw refuse('only an open sale can be paused');
      return to('paused');
    case 'resume':
      if (row.status !== 'paused') throw refuse('only a paused room can be resumed');
      if (state === 'closed') throw refuse('its schedule has closed it');
      return to('open');
    case 'close':
      return to('closed');
  }
}

export function changeStatus(
  ctx: AdminContext,
  operator: Operator,
  roomId: string,
  action: StatusAction,
): Promise<Room> {
  return changeRoom(ctx, operator, roomId, (row) => statusChange(ctx, row, action));
}

export function setDrain(
  ctx: AdminContext,
  operator: Operator,
  roomId: string,
  on: boolean,
): Promise<Room> {
  return changeRoom(ctx, operator, roomId, (row) => {
    const state = stateOf(ctx, row);
    if (on && state !== 'pre_queue' && state !== 'open' && state !== 'paused') {
      throw transitionRefused(row.id, 'drain', state, 'only a room taking visitors can be drained');
    }
    return {
      action: on ? 'room.drain.start' : 'room.drain.stop',
      patch: {},
      details: { stateBefore: state },
      alongside: () => setRoomDraining(ctx.redis, roomKeys(ctx.keyPrefix, row.id), on),
    };
  });
}

export function setBrake(
  ctx: AdminContext,
  operator: Operator,
  roomId: string,
  on: boolean,
): Promise<Room> {
  return changeRoom(ctx, operator, roomId, (row) => ({
    action: on ? 'room.brake.on' : 'room.brake.off',
    patch: row.emergencyBrake === on ? {} : { emergencyBrake: on },
    details: { from: row.emergencyBrake, to: on },
  }));
}

export interface BoundsChange {
  minPerSecond?: number | undefined;
  maxPerSecond?: number | undefined;
  maxActiveSessions?: number | undefined;
  latencyTargetMs?: number | undefined;
}

export function setBounds(
  ctx: AdminContext,
  operator: Operator,
  roomId: string,
  input: BoundsChange,
): Promise<Room> {
  return changeRoom(ctx, operator, roomId, (row) => {
    const min = input.minPerSecond ?? row.minAdmitPerSecond;
    const max = input.maxPerSecond ?? row.maxAdmitPerSecond;
    if (min > max) {
      throw inconsistentInput(
        input.minPerSecond === undefined ? 'maxPerSecond' : 'minPerSecond',
        `leaves the minimum (${min}/s) above the maximum (${max}/s)`,
      );
    }
    const patch = {
      ...(input.minPerSecond === undefined ? {} : { minAdmitPerSecond: input.minPerSecond }),
      ...(input.maxPerSecond === undefined ? {} : { maxAdmitPerSecond: input.maxPerSecond }),
      ...(input.maxActiveSessions === undefined
        ? {}
        : { maxActiveSessions: input.maxActiveSessions }),
      ...(input.latencyTargetMs === undefined ? {} : { latencyTargetMs: input.latencyTargetMs }),
    };
    return { action: 'room.bounds.update', patch, details: { changed: differences(row, patch) } };
  });
}

/**
 * Revokes every admission token of the room issued up to now: holders must queue
 * again. The Redis write runs inside the audit transaction, so a failed revoke
 * leaves no audit row claiming it happened.
 */
export async function revokeTokens(
  ctx: AdminContext,
  operator: Operator,
  roomId: string,
): Promise<{ room: Room; revokedBeforeSec: number }> {
  const revokedBeforeSec = Math.floor(ctx.now() / 1000);
  const room = await changeRoom(ctx, operator, roomId, () => ({
    action: 'room.tokens.revoke',
    patch: {},
    details: { revokedBefore: new Date(revokedBeforeSec * 1000).toISOString() },
    alongside: () => revokeRoomTokens(ctx.redis, ctx.keyPrefix, roomId, revokedBeforeSec),
  }));
  return { room, revokedBeforeSec };
}
