// Rules that need the database: the room's sale window and scope, and the
// per-subject Tatkal limit. Both run inside the booking's transaction.
import { bookings, journeys, rooms } from '@tatkal/drizzle';
import type { ClassCode, Quota } from '@tatkal/drizzle/schema';
import { and, count, eq, inArray, isNull } from 'drizzle-orm';
import {
  InvalidInput,
  SaleNotOpen,
  TatkalLimitReached,
  type Transaction,
} from '../domain/index.ts';

/** Tatkal and Premium Tatkal PNRs one subject may hold per sale window. */
export const defaultTatkalLimit = 2;

export interface SaleScope {
  journeyId: number;
  roomId: string | null;
  subject: string;
  classCode: ClassCode;
  quota: Quota;
  nowMs: number;
}

/** The journey's train number; refuses a journey that does not exist. */
export async function journeyTrain(tx: Transaction, journeyId: number): Promise<string> {
  const [journey] = await tx
    .select({ trainNumber: journeys.trainNumber })
    .from(journeys)
    .where(eq(journeys.id, journeyId));
  if (!journey) throw new InvalidInput([{ path: 'journeyId', message: 'no such journey' }]);
  return journey.trainNumber;
}

/** A booking through a room must fall inside its sale window and its scope. */
export async function checkSaleWindow(tx: Transaction, scope: SaleScope): Promise<void> {
  if (scope.roomId === null) return;
  const [room] = await tx.select().from(rooms).where(eq(rooms.id, scope.roomId));
  refuseOutsideSale(room, scope);
}

/** The room fields the sale-window check reads. */
export interface SaleRoom {
  journeyId: number | null;
  classCodes: readonly string[];
  quotas: readonly string[];
  status: string;
  saleOpensAt: Date;
  closesAt: Date;
}

/** Throws SaleNotOpen unless `room` (the scope's room, as read) admits this booking now. */
export function refuseOutsideSale(room: SaleRoom | undefined, scope: SaleScope): void {
  if (scope.roomId === null) return;
  const refuse = (reason: string) => new SaleNotOpen(scope.roomId ?? '', reason);
  if (!room) throw refuse('no such room');
  if (room.journeyId !== null && room.journeyId !== scope.journeyId) {
    throw refuse('the room sells another journey');
  }
  if (!room.classCodes.includes(scope.classCode)) throw refuse(`class ${scope.classCode}`);
  if (!room.quotas.includes(scope.quota)) throw refuse(`quota ${scope.quota}`);
  if (room.status === 'closed') throw refuse('closed by the operator');
  if (scope.nowMs < room.saleOpensAt.getTime()) {
    throw refuse(`the sale opens at ${room.saleOpensAt.toISOString()}`);
  }
  if (scope.nowMs >= room.closesAt.getTime()) {
    throw refuse(`the sale closed at ${room.closesAt.toISOString()}`);
  }
}

/**
 * At most `limit` live Tatkal PNRs (pending payment, confirmed or waitlisted)
 * per subject and sale window. The caller holds the subject's lock
 * (lockTatkalSubject), so two concurrent requests of one subject count one
 * after the other.
 */
export async function enforceTatkalLimit(
  tx: Transaction,
  scope: SaleScope,
  limit: number,
): Promise<void> {
  if (scope.quota === 'GN') return;
  const window =
    scope.roomId === null
      ? and(isNull(bookings.roomId), eq(bookings.journeyId, scope.journeyId))
      : eq(bookings.roomId, scope.roomId);
  const [row] = await tx
    .select({ live: count() })
    .from(bookings)
    .where(
      and(
        eq(bookings.subject, scope.subject),
        inArray(bookings.quota, ['TQ', 'PT']),
        inArray(bookings.status, ['PENDING_PAYMENT', 'CONFIRMED', 'WAITLISTED']),
        window,
      ),
    );
  refuseOverTatkalLimit(row?.live ?? 0, limit);
}

/** Throws TatkalLimitReached when `live` PNRs already use up the subject's `limit`. */
export function refuseOverTatkalLimit(live: number, limit: number): void {
  if (live >= limit) throw new TatkalLimitReached(limit, live);
}
