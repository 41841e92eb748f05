// Advisory locks taken inside booking transactions, released at commit. Every
// verb takes them in one order, subject → waitlist queue → seat rows →
// booking rows it did not create, so two verbs never wait on each other in a
// cycle. Two-key locks keep these apart from the test harness's one-key lock.
import type { ClassCode, Quota } from '@tatkal/drizzle/schema';
import { sql } from 'drizzle-orm';
import type { Transaction } from '../domain/index.ts';

const lockSpace = { tatkalSubject: 7_318_101, waitlistQueue: 7_318_102 } as const;

async function advisoryLock(tx: Transaction, space: number, key: string): Promise<void> {
  await tx.execute(sql`select pg_advisory_xact_lock(${sql.raw(String(space))}, hashtext(${key}))`);
}

/** Serialises one subject's Tatkal bookings in one sale window, so the limit check cannot race. */
export function lockTatkalSubject(
  tx: Transaction,
  scope: { roomId: string | null; journeyId: number; subject: string },
): Promise<void> {
  const window = scope.roomId === null ? `journey:${scope.journeyId}` : `room:${scope.roomId}`;
  return advisoryLock(tx, lockSpace.tatkalSubject, `${window}|${scope.subject}`);
}

/** Serialises numbering and promotion of one waitlist (journey, class, quota). */
export function lockWaitlistQueue(
  tx: Transaction,
  queue: { journeyId: number; classCode: ClassCode; quota: Quota },
): Promise<void> {
  return advisoryLock(
    tx,
    lockSpace.waitlistQueue,
    `${queue.journeyId}|${queue.classCode}|${queue.quota}`,
  );
}
