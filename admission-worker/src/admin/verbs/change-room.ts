// The one way the admin API changes a room row: lock it, work out the change,
// write it and its audit row in one short transaction. Constraint violations
// (the database's last line of defence) come back as 422, never as 500.
import { type Room, rooms } from '@tatkal/drizzle';
import { eq } from 'drizzle-orm';
import { recordAudit, type Transaction } from '../audit.ts';
import type { AdminContext } from '../deps.ts';
import type { Operator } from '../operator-tokens.ts';
import { inconsistentInput, roomNotFound } from '../problems.ts';

export type RoomPatch = Partial<Omit<typeof rooms.$inferInsert, 'id' | 'createdAt' | 'updatedAt'>>;

export interface RoomChange {
  action: string;
  /** The columns to write; an empty patch still writes the audit row (an idempotent repeat). */
  patch: RoomPatch;
  details: Record<string, unknown>;
  /** Work that must commit or roll back with the row (Redis flags written inside the transaction). */
  alongside?: (tx: Transaction) => Promise<void>;
}

/** PostgreSQL error code of an error from pg, possibly wrapped by drizzle. */
export function pgErrorOf(error: unknown): { code: string; constraint?: string } | null {
  for (let e: unknown = error, depth = 0; e && depth < 4; depth++) {
    const candidate = e as { code?: unknown; constraint?: unknown; cause?: unknown };
    if (typeof candidate.code === 'string' && /^[0-9A-Z]{5}$/.test(candidate.code)) {
      return {
        code: candidate.code,
        ...(typeof candidate.constraint === 'string' ? { constraint: candidate.constraint } : {}),
      };
    }
    e = candidate.cause;
  }
  return null;
}

/** Check (23514) and foreign-key (23503) violations are bad input; anything else is ours. */
export function asInputProblem(error: unknown): unknown {
  const pg = pgErrorOf(error);
  if (pg?.code === '23514')
    return inconsistentInput('(body)', `breaks ${pg.constraint ?? 'a rule'}`);
  if (pg?.code === '23503') return inconsistentInput('scope.journeyId', 'is not a known journey');
  return error;
}

export async function changeRoom(
  ctx: AdminContext,
  operator: Operator,
  roomId: string,
  decide: (row: Room) => RoomChange,
): Promise<Room> {
  try {
    return await ctx.db.transaction(async (tx) => {
      const [row] = await tx.select().from(rooms).where(eq(rooms.id, roomId)).for('update');
      if (!row) throw roomNotFound(roomId);
      const change = decide(row);
      let updated = row;
      if (Object.keys(change.patch).length > 0) {
        const [written] = await tx
          .update(rooms)
          .set(change.patch)
          .where(eq(rooms.id, roomId))
          .returning();
        if (!written) throw roomNotFound(roomId);
        updated = written;
      }
      await recordAudit(tx, operator, {
        action: change.action,
        roomId,
        details: change.details,
      });
      await change.alongside?.(tx);
      return updated;
    });
  } catch (error) {
    throw asInputProblem(error);
  }
}

/** The fields of a patch that differ from the row, as {field: {from, to}} for the audit. */
export function differences(row: Room, patch: RoomPatch): Record<string, unknown> {
  const changed: Record<string, { from: unknown; to: unknown }> = {};
  for (const [key, to] of Object.entries(patch)) {
    const from = row[key as keyof Room];
    const same = JSON.stringify(from) === JSON.stringify(to);
    if (!same) changed[key] = { from, to };
  }
  return changed;
}
