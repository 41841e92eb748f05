// What one row of the bad-input table is, and the fixtures its requests refer
// to (tokens, holds, bookings made by test/api/bad-input.int.test.ts first).
import type { ForgedTokens } from '../forged-tokens.ts';

export interface Fixtures {
  journeyId: number;
  tokens: ForgedTokens & {
    /** Has a live two-berth hold and a PENDING_PAYMENT booking. */
    owner: string;
    /** Holds nothing, books nothing: the visitor most cases speak as. */
    other: string;
    /** Its admission was used up by a confirmed booking. */
    consumed: string;
    /** The confirmed booking's subject with a fresh admission. */
    confirmedFresh: string;
    /** Holds five berths (more than a Tatkal PNR may carry). */
    big: string;
    /** Covers 3A only. */
    narrow: string;
    /** Covers every journey of the room (scope journeyId null). */
    roomWide: string;
    /** Its room's tokens were revoked. */
    revoked: string;
  };
  liveHoldId: string;
  bookedHoldId: string;
  bigHoldId: string;
  pendingPnr: string;
  pendingBookingId: number;
  pendingAmountPaise: number;
  confirmedPnr: string;
  /** The signed event that confirmed confirmedPnr, and its signature, as delivered. */
  deliveredEvent: string;
  deliveredSignature: string;
  /** An idempotency key of `owner` already used for another request. */
  usedKey: string;
  seats: { sleeperTatkal: number; acTatkal: number; sleeperPremium: number };
  webhookSecret: string;
}

export type Fx<T> = (f: Fixtures) => T;

export interface BadCase {
  name: string;
  method: 'GET' | 'POST' | 'DELETE';
  path: Fx<string>;
  /** Bearer token; `other` when not given, none when it returns null. */
  token?: Fx<string | null>;
  /** JSON-encoded, with content-type application/json. */
  json?: Fx<unknown>;
  /** Sent as is. */
  raw?: Fx<string | Uint8Array>;
  headers?: Fx<Record<string, string>>;
  /** Idempotency-Key: a fresh one for POSTs unless false (none) or a fixed value. */
  key?: false | Fx<string>;
  status: number;
  /** The problem's code; for a 2xx, the webhook's `outcome`. */
  code: string;
  /**
   * KNOWN BUG: what the API answers today instead (pinned, so a fix shows up as a failure
   * that says to delete this). `problemStatus` is the problem document's `status` member
   * when it is not the HTTP status.
   */
  today?: Fx<{
    status: number;
    code: string;
    problemStatus?: unknown;
    bug: string;
  }>;
}

export const passenger = { name: 'Asha Verma', age: 34, gender: 'F', berthPreference: null };
export const pool = (f: Fixtures) => ({ journeyId: f.journeyId, classCode: 'SL', quota: 'TQ' });
export const auto = (f: Fixtures) => ({ ...pool(f), berths: { count: 1, preferences: [null] } });
export const invalid = [422, 'invalid_input'] as const;

export function holds(name: string, json: Fx<unknown>, [status, code]: readonly [number, string]) {
  return {
    name: `POST /v1/holds ${name}`,
    method: 'POST',
    path: () => '/v1/holds',
    json,
    status,
    code,
  } as const;
}
export function books(
  name: string,
  json: Fx<unknown>,
  [status, code]: readonly [number, string],
  token?: Fx<string>,
) {
  return {
    name: `POST /v1/bookings ${name}`,
    method: 'POST',
    path: () => '/v1/bookings',
    json,
    status,
    code,
    ...(token ? { token } : {}),
  } as const;
}
export const booking = (f: Fixtures, passengers: unknown[], holdId = f.liveHoldId) => ({
  holdId,
  passengers,
});
export const two = [passenger, { ...passenger, name: 'Ravi Verma', gender: 'M' }];
export const waitlist = (f: Fixtures) => ({ ...pool(f), passengers: [passenger] });
