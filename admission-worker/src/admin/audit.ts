// Every operator change leaves a row: who (the token's name and role), what, on
// which room, with the details, when. Written in the same transaction as the
// change itself, so there is never a change without its row or a row without its change.
import { type Database, operatorAuditLog } from '@tatkal/drizzle';
import type { Operator } from './operator-tokens.ts';

export type Transaction = Parameters<Parameters<Database['transaction']>[0]>[0];

export interface AuditEntry {
  /** Dotted verb such as 'room.pause' or 'room.bounds.update'. */
  action: string;
  roomId: string | null;
  details: Record<string, unknown>;
}

export async function recordAudit(
  tx: Transaction | Database,
  operator: Operator,
  entry: AuditEntry,
): Promise<{ id: number; at: Date }> {
  const [row] = await tx
    .insert(operatorAuditLog)
    .values({
      actor: operator.name,
      role: operator.role,
      action: entry.action,
      roomId: entry.roomId,
      // The room id is repeated in the details: room_id is set null if the room is deleted.
      details: entry.roomId === null ? entry.details : { room: entry.roomId, ...entry.details },
    })
    .returning({ id: operatorAuditLog.id, at: operatorAuditLog.at });
  if (!row) throw new Error('audit insert returned no row');
  return row;
}
