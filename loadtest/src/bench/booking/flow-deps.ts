// What the booking flows need to run in the bench process, built as main.ts
// builds it (metrics on a registry, a health window), with the parts the hold
// and book flows never call refusing to be called; admission claims as the
// waiting room would sign them; a drizzle handle that counts transactions.
import type { Database, DbClient } from '@tatkal/drizzle';
import { createRegistry } from '@tatkal/waiting-room/service';
import type { AdmissionClaims } from '@tatkal/waiting-room/tokens';
import { type BookingApiDeps, createBookingMetrics, HealthWindow } from './booking-api.ts';
import { paymentWindowMs } from './commit-sides.ts';

/** The same drizzle handle, counting transaction() calls. */
export function countTransactions(db: Database): { db: Database; transactions: () => number } {
  let count = 0;
  const counted = new Proxy(db, {
    get(target, property) {
      const value: unknown = Reflect.get(target, property, target);
      if (typeof value !== 'function') return value;
      if (property !== 'transaction') return value.bind(target);
      return (...args: unknown[]) => {
        count += 1;
        return value.apply(target, args);
      };
    },
  });
  return { db: counted, transactions: () => count };
}

/** Claims of a fresh admission that covers sleeper Tatkal on any journey of the room. */
export function admissionClaims(id: string, roomId: string): AdmissionClaims {
  const nowS = Math.floor(Date.now() / 1000);
  return {
    iss: 'tatkal-bench',
    aud: 'tatkal-booking-api',
    sub: id,
    room: roomId,
    scope: { journeyId: null, classes: ['SL'], quotas: ['TQ'] },
    jti: id,
    iat: nowS,
    nbf: nowS,
    exp: nowS + 600,
  };
}

/** What placeHold and bookHold use, as main.ts builds it; the rest refuses to be called. */
export function flowDeps(
  client: DbClient,
  countedDb: Database,
  redis: BookingApiDeps['redis'],
  prefix: string,
): BookingApiDeps {
  const unused = () => Promise.reject(new Error('not used by the bench'));
  return {
    db: { ...client, db: countedDb },
    redis,
    prefix,
    verifier: { verify: unused },
    expiry: { schedule: async () => undefined },
    payments: { startPayment: unused },
    metrics: createBookingMetrics(createRegistry('booking-bench'), client.pool),
    health: new HealthWindow(),
    settings: {
      holdTtlMs: 10 * 60_000,
      tatkalHoldTtlMs: 5 * 60_000,
      paymentWindowMs,
      webhookSecrets: [],
      webhookUrl: () => '',
    },
    now: () => Date.now(),
  };
}
