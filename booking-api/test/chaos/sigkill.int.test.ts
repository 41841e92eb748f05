// ACCEPTANCE-3 (DESIGN §8 "A confirmed booking is never lost: processes killed
// at any point (SIGKILL)"): the real booking-api process serves a booking storm
// over HTTP (hold, book, pay through the simulator's signed webhook) and is
// killed with SIGKILL at random moments, four times during the storm and twice
// as unpaid bookings come due and their expiry jobs run, each time started
// again on the same database and Redis prefix. Clients retry what got no
// answer, as real ones do. Once every hold and payment window is over and the
// last process has swept: every booking a client ever saw CONFIRMED is still
// CONFIRMED with its seats, nothing is PENDING_PAYMENT, every seat without a
// live assignment is free in Redis, and both audits are clean.
//
// Random kills rarely land in the one narrow window that needs repair (an
// expiry committed, its Redis write not yet made); the second test puts a kill
// exactly there, shows the "no seat held forever" check catching what it
// leaves, and the restarted service repairing it.
//
// Hold and payment windows are 30 s, the configuration's minimum, so the file
// takes about 50 s; most of it is waiting for those windows to pass.
import { createDbClient, type DbClient, seedDemoSale } from '@tatkal/drizzle';
import {
  generateSigningKey,
  issueAdmissionToken,
  type SigningKeySet,
  signingKeySet,
} from '@tatkal/waiting-room/tokens';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isolatedServiceEnv } from '../../../infra/testing/service-process.ts';
import { auditBookings, createBooking, expireBooking } from '../../src/bookings/index.ts';
import {
  auditInventory,
  ensureInventory,
  holdSeats,
  markHoldBooked,
  readJourneyTruth,
  readRawSnapshot,
} from '../../src/inventory/index.ts';
import { pause, seededRandom, shuffled } from '../bookings/support.ts';
import { type JwksServer, startJwksServer } from '../support/jwks-server.ts';
import { readSeatLedger } from '../support/seat-ledger.ts';
import { type Answer, CrashableService } from './crashable-service.ts';

const seed = Number(process.env.CHAOS_SEED ?? 7_031);
const webhookSecret = 'chaos-webhook-secret-of-at-least-32-characters';
/** HOLD_TTL_SECONDS, TATKAL_HOLD_TTL_SECONDS and PAYMENT_WINDOW_SECONDS: the config minimum. */
const windowSeconds = 30;
const sweepMs = 200;
const stormMs = 10_000;
const workers = 12;

let db: DbClient;
let redis: Redis;
let prefix: string;
let keys: SigningKeySet;
let jwks: JwksServer;
let service: CrashableService;
let journeyId: number;
/** Twelve sleeper Tatkal berths that named-seat requests fight over. */
let hotSeats: number[];

beforeAll(async () => {
  db = createDbClient({ url: process.env.DATABASE_URL ?? '', poolMax: 5 });
  redis = new Redis(process.env.REDIS_URL ?? '');
  prefix = process.env.REDIS_KEY_PREFIX ?? '';
  // Seeded two minutes ago, so the demo room's sale (a minute after the seed) is open.
  const seeded = await seedDemoSale(db.db, { now: new Date(Date.now() - 120_000) });
  journeyId = seeded.journey.id;
  const hot = await db.pool.query<{ id: string }>(
    `select id from seats where journey_id = $1 and class_code = 'SL' and quota = 'TQ'
      order by id limit 12`,
    [journeyId],
  );
  hotSeats = hot.rows.map((row) => Number(row.id));
  keys = await signingKeySet([await generateSigningKey()]);
  jwks = await startJwksServer(keys.jwks);
  service = new CrashableService({
    ...isolatedServiceEnv(),
    PAYMENT_WEBHOOK_SECRETS: webhookSecret,
    ADMISSION_JWKS_URL: jwks.url,
    HOLD_TTL_SECONDS: String(windowSeconds),
    TATKAL_HOLD_TTL_SECONDS: String(windowSeconds),
    PAYMENT_WINDOW_SECONDS: String(windowSeconds),
    EXPIRY_SWEEP_MS: String(sweepMs),
    PAYMENT_SIMULATOR_DELAY_MS: '50',
    MAX_IN_FLIGHT: '10000',
    LOG_LEVEL: 'info',
  });
  await service.start();
});

afterAll(async () => {
  await service?.stop();
  await jwks?.close();
  redis?.disconnect();
  await db?.close();
});

function token(subject: string): Promise<string> {
  return issueAdmissionToken(keys.signing, {
    issuer: 'tatkal-waiting-room',
    audience: 'tatkal-booking-api',
    subject,
    room: 'demo',
    scope: { journeyId, classes: ['SL'], quotas: ['TQ'] },
    jti: `${subject}-jti`,
    issuedAtSec: Math.floor(Date.now() / 1000) - 1,
    sessionSeconds: 600,
  });
}

interface ChaosLedger {
  visits: number;
  /** Every booking a client got a 201 for: PNR -> seats. */
  booked: Map<string, number[]>;
  /** Every booking a client saw CONFIRMED: PNR -> the seats GET showed. */
  confirmed: Map<string, number[]>;
  unexpected: Array<{ step: string; answer: Answer }>;
  /** Visits that ended in an exception (no answer for a minute). */
  failures: string[];
  /** When the bookings nobody pays for come due. */
  unpaidDeadlines: number[];
  /** Bookings refused at commit because PostgreSQL had sold a seat Redis showed free. */
  refusedAtCommit: number;
}

type Allowed = ReadonlyArray<readonly [number, string?]>;
const inFlight = 'idempotency_request_in_flight';

function expectAnswer(ledger: ChaosLedger, step: string, answer: Answer, allowed: Allowed) {
  const code = answer.body.code;
  const ok = allowed.some(([s, c]) => s === answer.status && (c === undefined || c === code));
  if (!ok) ledger.unexpected.push({ step, answer });
  return ok;
}

/**
 * A request whose first attempt died with the process stays "in flight" under its key
 * until the key is abandoned (60 s); a client that cannot wait that long retries with a
 * new key, which is safe here because the booking verbs are idempotent per hold.
 */
async function withFreshKeyWhenStuck(key: string, send: (key: string) => Promise<Answer>) {
  let answer = await send(key);
  for (let retry = 1; retry <= 5 && answer.body.code === inFlight; retry++) {
    await pause(100)();
    answer = await send(`${key}-retry-${retry}`);
  }
  return answer;
}

const seatIdsOf = (body: Record<string, unknown>) =>
  ((body.seats as Array<{ seatId: number }> | undefined) ?? [])
    .map((seat) => seat.seatId)
    .sort((a, b) => a - b);

async function visit(n: number, random: () => number, ledger: ChaosLedger): Promise<void> {
  ledger.visits++;
  const subject = `chaos-${seed}-${n}`;
  const bearer = await token(subject);
  const pool = { journeyId, classCode: 'SL', quota: 'TQ' };
  const count = 1 + Math.floor(random() * 2);
  const request =
    random() < 0.25
      ? { ...pool, seatIds: shuffled(hotSeats, random).slice(0, count) }
      : { ...pool, berths: { count, preferences: Array.from({ length: count }, () => null) } };
  const held = await service.call('POST', '/v1/holds', bearer, request, {
    'idempotency-key': `${subject}-hold`,
  });
  const holdAnswers: Allowed = [
    [201],
    [409, 'seat_unavailable'],
    [409, 'not_enough_berths'],
    // The first attempt died with the process; it may hold seats nobody will book.
    [409, inFlight],
  ];
  if (!expectAnswer(ledger, 'hold', held, holdAnswers) || held.status !== 201) return;

  const passengers = seatIdsOf(held.body).map((_, i) => ({
    name: `Chaos ${n} ${i}`,
    age: 33,
    gender: 'F',
    berthPreference: null,
  }));
  const booked = await withFreshKeyWhenStuck(`${subject}-book`, (key) =>
    service.call(
      'POST',
      '/v1/bookings',
      bearer,
      { holdId: held.body.holdId, passengers },
      {
        'idempotency-key': key,
      },
    ),
  );
  // A seat PostgreSQL has sold but Redis still shows free (drift a crash can leave until the
  // next reconcile) is refused at commit and repaired in Redis: a correct answer, counted below.
  if (booked.status === 409 && booked.body.code === 'seat_unavailable') ledger.refusedAtCommit++;
  if (!expectAnswer(ledger, 'book', booked, [[201], [409, 'seat_unavailable']])) return;
  if (booked.status !== 201) return;
  const pnr = String(booked.body.pnr);
  ledger.booked.set(pnr, seatIdsOf(booked.body));
  if (random() < 0.3) {
    // Never pays: expires after the window, while the service may be killed again.
    ledger.unpaidDeadlines.push(Date.parse(String(booked.body.expiresAt)));
    return;
  }

  // A payment started just before a crash is never delivered: pay again while still pending.
  for (let attempt = 0; attempt < 4; attempt++) {
    const paid = await withFreshKeyWhenStuck(`${subject}-pay-${attempt}`, (key) =>
      service.call('POST', `/v1/bookings/${pnr}/pay`, bearer, undefined, {
        'idempotency-key': key,
      }),
    );
    if (!expectAnswer(ledger, 'pay', paid, [[202], [409, 'booking_not_payable']])) return;
    for (let poll = 0; poll < 20; poll++) {
      const view = await service.call('GET', `/v1/bookings/${pnr}`, bearer);
      if (!expectAnswer(ledger, 'get', view, [[200]])) return;
      if (view.body.status === 'CONFIRMED') {
        ledger.confirmed.set(pnr, seatIdsOf(view.body));
        return;
      }
      await pause(50)();
    }
  }
}

async function until(condition: () => boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition() && Date.now() < deadline) await pause(20)();
}

async function killAndRestart(busy: number): Promise<void> {
  await service.kill({ busy });
  await service.start();
}

describe('SIGKILL at random points', () => {
  it('loses no confirmed booking, leaves nothing pending past its window and no seat held forever', async () => {
    const random = seededRandom(seed);
    const ledger: ChaosLedger = {
      visits: 0,
      booked: new Map(),
      confirmed: new Map(),
      unexpected: [],
      failures: [],
      unpaidDeadlines: [],
      refusedAtCommit: 0,
    };
    const startedAt = Date.now();
    let storming = true;
    let next = 0;
    const clients = Array.from({ length: workers }, async (_, w) => {
      const own = seededRandom(seed * 31 + w);
      while (storming) {
        await visit(next++, own, ledger).catch((error: unknown) => {
          ledger.failures.push(String(error));
        });
        await pause(50 + own() * 250)();
      }
    });
    // Four kills, each once the restarted process has confirmed a few bookings (a loaded
    // machine restarts slowly), a random moment later, while requests are being served.
    for (let kill = 0; kill < 4; kill++) {
      const confirmed = ledger.confirmed.size;
      await until(() => ledger.confirmed.size >= confirmed + 4, 20_000);
      await pause(random() * 1_000)();
      await killAndRestart(3);
    }
    const confirmed = ledger.confirmed.size;
    await until(() => ledger.confirmed.size >= confirmed + 3, 10_000);
    await pause(Math.max(0, startedAt + stormMs - Date.now()))();
    storming = false;
    await Promise.all(clients);

    // Two kills as unpaid bookings come due, while their expiry jobs and the sweep run.
    const due = shuffled(
      ledger.unpaidDeadlines.filter((at) => at > Date.now() + 1_000),
      random,
    ).slice(0, 2);
    for (const at of due.sort((a, b) => a - b)) {
      await pause(Math.max(0, at - Date.now()) + random() * 300)();
      await killAndRestart(0);
    }
    const last = await db.pool.query<{ at: Date | null }>(
      'select max(expires_at) as at from bookings where journey_id = $1',
      [journeyId],
    );
    const lastDeadline = last.rows[0]?.at?.getTime() ?? Date.now();
    await pause(Math.max(0, lastDeadline - Date.now()) + 3 * sweepMs)();
    const pending = async () =>
      Number(
        (
          await db.pool.query<{ n: string }>(
            `select count(*) as n from bookings where journey_id = $1 and status = 'PENDING_PAYMENT'`,
            [journeyId],
          )
        ).rows[0]?.n,
      );
    for (let i = 0; i < 50 && (await pending()) > 0; i++) await pause(sweepMs)();

    const context = JSON.stringify({
      seed,
      visits: ledger.visits,
      booked: ledger.booked.size,
      confirmed: ledger.confirmed.size,
      refusedAtCommit: ledger.refusedAtCommit,
      networkErrors: service.networkErrors,
      logged: service.problems().slice(0, 5),
    });
    expect(ledger.failures, context).toEqual([]);
    expect(ledger.unexpected, context).toEqual([]);
    // Rare: seen in about one CI run in five, once. More would mean Redis drifts systematically.
    expect(ledger.refusedAtCommit, context).toBeLessThanOrEqual(3);
    expect(due, context).toHaveLength(2);
    expect(service.exits.filter((exit) => exit === 'SIGKILL')).toHaveLength(6);
    // The kills cut requests in flight, and the storm did book and confirm.
    expect(service.networkErrors, context).toBeGreaterThan(0);
    expect(ledger.confirmed.size, context).toBeGreaterThan(10);
    expect(ledger.booked.size, context).toBeGreaterThan(ledger.confirmed.size);

    const books = await readSeatLedger(db.pool, journeyId);
    for (const [pnr, seats] of ledger.confirmed) {
      expect(books.bookings.get(pnr), pnr).toMatchObject({
        status: 'CONFIRMED',
        liveSeatIds: seats,
      });
    }
    expect(await pending(), context).toBe(0);
    const statuses = new Set([...books.bookings.values()].map((b) => b.status));
    expect(statuses).toContain('EXPIRED');
    expect(books.soldTwice).toEqual([]);
    expect(books.confirmedMismatch).toEqual([]);

    // No seat is held forever: a seat PostgreSQL has no live assignment for is free in Redis.
    // The last expiry's Redis write follows its PostgreSQL commit, a moment later on a loaded
    // machine, so the check is given a few seconds to see it land (never a minute: the periodic
    // reconcile, every 60 s by default, must not be what repairs it).
    const stuckSeats = async (atMs: number) => {
      const truth = await readJourneyTruth(db.db, journeyId);
      const { states } = await readRawSnapshot(redis, prefix, journeyId, atMs);
      return truth.seats
        .filter((seat) => !truth.sold.has(seat.seatId))
        .map((seat) => ({ seatId: seat.seatId, redis: states.get(seat.seatId) }))
        .filter((seat) => seat.redis !== 'free' && seat.redis !== 'held_expired');
    };
    let nowMs = Date.now();
    let stuck = await stuckSeats(nowMs);
    for (let i = 0; i < 25 && stuck.length > 0; i++) {
      await pause(sweepMs)();
      nowMs = Date.now();
      stuck = await stuckSeats(nowMs);
    }
    // On failure: each stuck seat's assignments, to tell which flow left it.
    const history = await db.pool.query(
      `select a.seat_id, a.status, b.status as booking, b.pnr, b.created_at, b.updated_at, b.expires_at
         from seat_assignments a join bookings b on b.id = a.booking_id
        where a.seat_id = any($1::bigint[]) order by a.seat_id, b.created_at`,
      [stuck.map((seat) => seat.seatId)],
    );
    expect(
      stuck,
      `${context} ${JSON.stringify(stuck.slice(0, 5))} ${JSON.stringify(history.rows)}`,
    ).toEqual([]);
    expect(await auditBookings(db.db, journeyId)).toEqual([]);
    expect(await auditInventory(db.db, redis, prefix, journeyId, nowMs)).toEqual({
      mismatches: [],
      countMismatches: [],
    });
    // About 45 s alone; a loaded machine restarts the service slowly.
  }, 150_000);

  // Random kills rarely land in the one narrow window that needs repair: expireOne commits the
  // expiry in PostgreSQL, then returns the seats in Redis. A SIGKILL between the two leaves the
  // seat sold in Redis; the retried BullMQ job finds the booking not pending and the sweep
  // looks only at PENDING_PAYMENT rows, so only the reconcile the service runs at start brings
  // it back. The kill is placed exactly there by doing the PostgreSQL half in this process while
  // the service is down; before the restart the check sees the stuck seat (negative control).
  it('repairs, on start, a seat left sold in Redis by a SIGKILL between an expiry commit and its Redis update', async () => {
    const subject = `chaos-window-${seed}`;
    const nowMs = Date.now();
    const [seatId] = (
      await db.pool.query<{ id: string }>(
        `select s.id from seats s
          where s.journey_id = $1 and s.class_code = '3A' and s.quota = 'TQ'
            and not exists (select 1 from seat_assignments a where a.seat_id = s.id)
          order by s.id limit 1`,
        [journeyId],
      )
    ).rows.map((row) => Number(row.id));
    if (seatId === undefined) throw new Error('no free 3A berth left');
    // What the service does for hold and book, done here: Redis hold, PostgreSQL commit, sold.
    const holder = { subject, tokenJti: `${subject}-jti` };
    await ensureInventory(db.db, redis, prefix, journeyId);
    const held = await holdSeats(redis, prefix, {
      journeyId,
      request: { kind: 'seats', seatIds: [seatId] },
      holder,
      ttlMs: 60_000,
      nowMs,
    });
    if (!held.ok) throw new Error(`could not hold seat ${seatId}: ${held.reason}`);
    const commit = await createBooking(
      { db: db.db },
      {
        journeyId,
        roomId: 'demo',
        subject,
        tokenJti: holder.tokenJti,
        classCode: '3A',
        quota: 'TQ',
        seatIds: [seatId],
        holdId: held.holdId,
        passengers: [{ name: 'Window', age: 50, gender: 'M', berthPreference: null }],
        paymentWindowMs: 1_000,
        nowMs,
      },
    );
    await markHoldBooked(redis, prefix, journeyId, held.holdId, [seatId], nowMs, { holder });
    // Down before the booking comes due, so the service's own sweep cannot expire it whole.
    await service.kill();
    await pause(Math.max(0, nowMs + 1_000 - Date.now()) + 50)();
    // The expiry job's PostgreSQL transaction committed; the process died before Redis heard.
    const expired = await expireBooking({ db: db.db }, commit.bookingId, Date.now());
    expect(expired.expired).toBe(true);
    const before = await auditInventory(db.db, redis, prefix, journeyId, Date.now());
    expect(before.mismatches.filter((m) => m.seatId === seatId)).toEqual([
      { seatId, redis: 'sold', postgres: 'free' },
    ]);
    await service.start();
    // The start-up reconcile runs before the first request is answered or soon after.
    let states = (await readRawSnapshot(redis, prefix, journeyId, Date.now())).states;
    for (let i = 0; i < 100 && states.get(seatId) === 'sold'; i++) {
      await pause(50)();
      states = (await readRawSnapshot(redis, prefix, journeyId, Date.now())).states;
    }
    expect(states.get(seatId)).toBe('free');
    const audit = await auditInventory(db.db, redis, prefix, journeyId, Date.now());
    expect(audit.mismatches.filter((m) => m.seatId === seatId)).toEqual([]);
  });
});
