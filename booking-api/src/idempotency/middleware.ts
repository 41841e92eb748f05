// Idempotency-Key for POSTs that create something: the first request with a
// key runs the handler and, when it succeeded, its answer is stored; a retry
// with the same key and the same request gets that answer again; a duplicate
// arriving while the first still runs gets 409. Keys are scoped per token
// subject and kept `ttlHours`. Only successes are stored (isStoredStatus): a
// refused request changed nothing, so it leaves no row either (DESIGN §5 "bad
// input never changes state"; ADR 0011).
import type { Database } from '@tatkal/drizzle';
import { type Logger, requestRefused } from '@tatkal/waiting-room/service';
import type { Context, Env, MiddlewareHandler } from 'hono';
import { requestFingerprint } from './fingerprint.ts';
import {
  IdempotencyKeyInvalid,
  IdempotencyKeyRequired,
  IdempotencyKeyReused,
  IdempotencyRequestInFlight,
} from './problems.ts';
import { type ClaimTesting, claimKey, completeKey, releaseKey } from './store.ts';

export const idempotencyKeyHeader = 'idempotency-key';
export const replayedHeader = 'idempotent-replayed';

export interface IdempotencyOptions<E extends Env = Env> {
  db: Database;
  /** The admission token's subject; undefined means the token check did not run (a wiring bug). */
  subjectOf: (c: Context<E>) => string | undefined;
  ttlHours?: number;
  /** Longer than any handler can run: an in-flight key older than this is taken over. */
  abandonAfterMs?: number;
  /** Retry-After for a duplicate that arrives while the first request runs. */
  inFlightRetryAfterSec?: number;
  /** Bodies above this are refused with 413 before any row is written. */
  maxBodyBytes?: number;
  nowMs?: () => number;
}

const guardedMethods = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
// RFC 9110 visible ASCII (VCHAR): no spaces or control characters.
const validKey = /^[\x21-\x7e]{1,255}$/;

/**
 * Whether an answer is stored for replay: only 2xx, the answers of a request that did
 * something (created a hold, a booking, a payment attempt) and must not do it twice.
 * Every 4xx is a refusal that changed no state (bad input 400/413/415/422, token
 * 401/403, not found 404, conflicts 409, rate limits 429), so re-running it on a retry
 * is as safe as replaying it, and it must leave no idempotency_keys row behind. 409s in
 * particular describe the state at that moment (seat taken, hold expired): a retry should
 * see the state now. 5xx are transient. A handler that changes state and then refuses must
 * undo its change first (a failed commit releases the hold), which the flows do.
 */
export function isStoredStatus(status: number): boolean {
  return status >= 200 && status < 300;
}

export function idempotency<E extends Env = Env>(
  options: IdempotencyOptions<E>,
  testing: ClaimTesting = {},
): MiddlewareHandler<E> {
  const ttlMs = (options.ttlHours ?? 24) * 3_600_000;
  const abandonAfterMs = options.abandonAfterMs ?? 60_000;
  const retryAfterSec = options.inFlightRetryAfterSec ?? 1;
  const maxBodyBytes = options.maxBodyBytes ?? 1_048_576;
  const now = options.nowMs ?? Date.now;
  if (!(ttlMs > abandonAfterMs && abandonAfterMs >= 1_000)) {
    throw new Error('idempotency: need abandonAfterMs >= 1000 and ttlHours longer than it');
  }

  return async (c, next) => {
    if (!guardedMethods.has(c.req.method)) return next();
    const key = c.req.header(idempotencyKeyHeader);
    if (key === undefined) throw new IdempotencyKeyRequired();
    if (!validKey.test(key)) throw new IdempotencyKeyInvalid();
    const subject = options.subjectOf(c);
    if (!subject) throw new Error('idempotency: no token subject; mount it after the token check');

    // Read through HonoRequest so the body stays cached: validators and
    // handlers read it again with c.req.json() (c.req.raw is consumed).
    const body = new Uint8Array(await c.req.arrayBuffer());
    if (body.byteLength > maxBodyBytes) {
      throw requestRefused(413, `The body is over ${maxBodyBytes} bytes.`);
    }
    const url = new URL(c.req.url);
    const request = {
      subject,
      key,
      method: c.req.method,
      path: url.pathname + url.search,
      requestHash: requestFingerprint({
        method: c.req.method,
        path: url.pathname + url.search,
        contentType: c.req.header('content-type'),
        body,
      }),
    };
    const claim = await claimKey(
      options.db,
      request,
      { nowMs: now(), ttlMs, abandonAfterMs },
      testing,
    );
    if (claim.kind === 'reused') throw new IdempotencyKeyReused();
    if (claim.kind === 'in_flight') throw new IdempotencyRequestInFlight(retryAfterSec);
    if (claim.kind === 'replay') return replay(claim.status, claim.body);

    const held = { subject, key, claimedAt: claim.claimedAt };
    let answered = false;
    try {
      await next();
      answered = true;
      const status = c.res.status;
      // Anything not stored is forgotten, so a refusal leaves the table as it found it.
      if (isStoredStatus(status)) {
        await completeKey(options.db, held, {
          status,
          body: await storedResponse(c.res.clone()),
        });
      } else {
        await releaseKey(options.db, held);
      }
    } catch (error) {
      // The handler's answer stands even if it could not be stored: the key
      // stays in flight and is taken over once abandoned.
      if (!answered) {
        await releaseKey(options.db, held).catch(() => undefined);
        throw error;
      }
      (c.get('log') as Logger | undefined)?.error(
        { err: error, idempotencyKey: key },
        'idempotency: could not store the response',
      );
    }
  };
}

/**
 * What is kept of an answer: the body's exact text (jsonb would reorder an
 * object's keys, and replays must be byte-identical) and the headers a client
 * needs to read it.
 */
export interface StoredResponse {
  body: string;
  headers: Record<string, string>;
}

const replayedHeaders = ['content-type', 'location'] as const;

async function storedResponse(response: Response): Promise<StoredResponse> {
  const headers: Record<string, string> = {};
  for (const name of replayedHeaders) {
    const value = response.headers.get(name);
    if (value !== null) headers[name] = value;
  }
  return { body: await response.text(), headers };
}

const storedShape = (value: unknown): value is StoredResponse =>
  typeof value === 'object' &&
  value !== null &&
  typeof (value as StoredResponse).body === 'string' &&
  typeof (value as StoredResponse).headers === 'object';

function replay(status: number, stored: unknown): Response {
  const saved = storedShape(stored) ? stored : { body: JSON.stringify(stored), headers: {} };
  const headers = new Headers({ ...saved.headers, [replayedHeader]: 'true' });
  const empty = saved.body.length === 0 || status === 204 || status === 304;
  return new Response(empty ? null : saved.body, { status, headers });
}
