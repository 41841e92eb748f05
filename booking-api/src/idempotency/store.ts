// The idempotency_keys rows behind the middleware. A key is claimed by a
// unique insert, never by a read followed by a write; a claim is identified by
// its created_at, so a holder that lost its claim (taken over after looking
// abandoned) cannot overwrite the new holder's row.
import { type Database, type IdempotencyKey, idempotencyKeys } from '@tatkal/drizzle';
import { and, eq, lte, or, sql } from 'drizzle-orm';

export interface KeyRequest {
  subject: string;
  key: string;
  requestHash: string;
  method: string;
  path: string;
}

export interface ClaimTiming {
  nowMs: number;
  ttlMs: number;
  /** An in-flight row older than this is taken to be abandoned by a crashed process. */
  abandonAfterMs: number;
}

export type Claim =
  /** This request runs the handler; `claimedAt` identifies the claim. */
  | { kind: 'owner'; claimedAt: Date }
  | { kind: 'replay'; status: number; body: unknown }
  | { kind: 'reused' }
  | { kind: 'in_flight' };

/** Switches for concurrency tests only; production callers pass nothing. */
export interface ClaimTesting {
  /** 'check-then-insert' reads first and upserts when nothing is there: the race the unique insert closes. */
  claim?: 'insert' | 'check-then-insert';
  /** Runs between the read and the write of 'check-then-insert', to widen the race. */
  afterCheck?: () => Promise<void>;
}

const maxRounds = 4;

function freshRow(request: KeyRequest, timing: ClaimTiming) {
  return {
    ...request,
    state: 'in_flight' as const,
    responseStatus: null,
    responseBody: null,
    createdAt: new Date(timing.nowMs),
    expiresAt: new Date(timing.nowMs + timing.ttlMs),
  };
}

const byKey = (subject: string, key: string) =>
  and(eq(idempotencyKeys.subject, subject), eq(idempotencyKeys.key, key));

export async function claimKey(
  db: Database,
  request: KeyRequest,
  timing: ClaimTiming,
  testing: ClaimTesting = {},
): Promise<Claim> {
  const row = freshRow(request, timing);
  if (testing.claim === 'check-then-insert') return racyClaim(db, request, timing, testing);
  for (let round = 0; round < maxRounds; round++) {
    const inserted = await db
      .insert(idempotencyKeys)
      .values(row)
      .onConflictDoNothing()
      .returning({ createdAt: idempotencyKeys.createdAt });
    if (inserted[0]) return { kind: 'owner', claimedAt: inserted[0].createdAt };

    const [existing] = await db
      .select()
      .from(idempotencyKeys)
      .where(byKey(request.subject, request.key));
    // Released between our insert and read (its request ended in a 409/5xx): insert again.
    if (!existing) continue;
    if (existing.expiresAt.getTime() > timing.nowMs) {
      const settled = settledClaim(existing, request, timing);
      if (settled) return settled;
    }
    // Expired, or in flight for too long: take it over. The conditions are
    // re-checked by the UPDATE under the row lock, so of several takers one wins.
    const taken = await db
      .update(idempotencyKeys)
      .set(row)
      .where(
        and(
          byKey(request.subject, request.key),
          or(
            lte(idempotencyKeys.expiresAt, new Date(timing.nowMs)),
            and(
              eq(idempotencyKeys.state, 'in_flight'),
              lte(idempotencyKeys.createdAt, new Date(timing.nowMs - timing.abandonAfterMs)),
            ),
          ),
        ),
      )
      .returning({ createdAt: idempotencyKeys.createdAt });
    if (taken[0]) return { kind: 'owner', claimedAt: taken[0].createdAt };
  }
  return { kind: 'in_flight' };
}

/** What an unexpired row answers, or undefined when it is abandoned and may be taken over. */
function settledClaim(existing: IdempotencyKey, request: KeyRequest, timing: ClaimTiming) {
  if (existing.requestHash !== request.requestHash) return { kind: 'reused' } as const;
  if (existing.state === 'completed' && existing.responseStatus !== null) {
    return {
      kind: 'replay',
      status: existing.responseStatus,
      body: existing.responseBody,
    } as const;
  }
  if (existing.createdAt.getTime() > timing.nowMs - timing.abandonAfterMs) {
    return { kind: 'in_flight' } as const;
  }
  return undefined;
}

/** The broken claim the negative control runs: read, then upsert, with nothing making it exclusive. */
async function racyClaim(
  db: Database,
  request: KeyRequest,
  timing: ClaimTiming,
  testing: ClaimTesting,
): Promise<Claim> {
  const [existing] = await db
    .select()
    .from(idempotencyKeys)
    .where(byKey(request.subject, request.key));
  const settled = existing && settledClaim(existing, request, timing);
  if (settled) return settled;
  await testing.afterCheck?.();
  const row = freshRow(request, timing);
  await db
    .insert(idempotencyKeys)
    .values(row)
    .onConflictDoUpdate({ target: [idempotencyKeys.subject, idempotencyKeys.key], set: row });
  return { kind: 'owner', claimedAt: row.createdAt };
}

const ownClaim = (subject: string, key: string, claimedAt: Date) =>
  and(
    byKey(subject, key),
    eq(idempotencyKeys.state, 'in_flight'),
    eq(idempotencyKeys.createdAt, claimedAt),
  );

/** Stores the response for replay; false when the claim was lost meanwhile (nothing stored). */
export async function completeKey(
  db: Database,
  claim: { subject: string; key: string; claimedAt: Date },
  response: { status: number; body: unknown },
): Promise<boolean> {
  const updated = await db
    .update(idempotencyKeys)
    .set({ state: 'completed', responseStatus: response.status, responseBody: response.body })
    .where(ownClaim(claim.subject, claim.key, claim.claimedAt))
    .returning({ key: idempotencyKeys.key });
  return updated.length > 0;
}

/** Forgets an in-flight claim whose answer must not be replayed, so a retry runs again. */
export async function releaseKey(
  db: Database,
  claim: { subject: string; key: string; claimedAt: Date },
): Promise<void> {
  await db.delete(idempotencyKeys).where(ownClaim(claim.subject, claim.key, claim.claimedAt));
}

/** Deletes up to `limit` keys past their expiry; returns how many. Run it from a periodic job. */
export async function purgeExpiredIdempotencyKeys(
  db: Database,
  nowMs: number,
  options: { limit?: number } = {},
): Promise<number> {
  const limit = options.limit ?? 10_000;
  const result = await db.execute(sql`
    delete from ${idempotencyKeys}
     where (subject, key) in (
       select subject, key from ${idempotencyKeys}
        where expires_at <= ${new Date(nowMs)}
        order by expires_at
        limit ${limit})`);
  return result.rowCount ?? 0;
}
