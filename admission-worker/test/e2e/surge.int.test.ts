// ACCEPTANCE (issue 5, point 4): the whole stack as separate processes: the waiting room, the
// booking API and the admission worker, on one database and one Redis prefix. 2,000 visitors
// join the demo room over HTTP and poll as the queue page does; the worker's controller admits
// them; admitted visitors hold, book and (mostly) pay. Midway the test makes booking commits
// slow and serial inside PostgreSQL (a trigger that takes a lock and sleeps), and later removes
// it: the controller's
// recorded decisions must cut admissions within a few ticks of the booking API reporting the
// slow commits, and raise them again once commits are fast. At the end: every seat sold at most
// once, PostgreSQL and Redis agree, the queue was served strictly in order, and every tick's
// decision was recorded in Redis and every admission batch in PostgreSQL.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { auditBookings } from '@tatkal/booking-api/bookings';
import { auditInventory } from '@tatkal/booking-api/inventory';
import { createDbClient, type DbClient, seedDemoSale } from '@tatkal/drizzle';
import { roomKeys } from '@tatkal/waiting-room';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  isolatedServiceEnv,
  type ServiceProcess,
  spawnService,
  waitForListening,
} from '../../../infra/testing/service-process.ts';
import type { DecisionRecord } from '../../src/decisions/record.ts';
import { decisionStreamKey } from '../../src/decisions/record.ts';

const visitorCount = 2_000;
const roomId = 'demo';
const webhookSecret = 'surge-webhook-secret-of-at-least-32-characters';
const ticketSecret = 'surge-queue-ticket-secret-of-at-least-32-characters';
/** The whole run stops here whatever happens, so a stuck controller fails instead of hanging. */
const runBudgetMs = 210_000;
const slowCommitSeconds = 0.15;
/**
 * The room's commit latency target. Well above what a busy two-core machine shows for fast
 * commits (p95 up to ~350 ms while other work runs), and well below what serialised slow
 * commits show (seconds), so the test judges the controller and not the machine's load.
 */
const latencyTargetMs = 500;

let db: DbClient;
let redis: Redis;
let prefix: string;
let journeyId: number;
let keysDir: string;
const services: ServiceProcess[] = [];
let waitingRoomUrl: string;
let bookingUrl: string;

async function start(
  name: 'waiting-room' | 'booking-api' | 'admission-worker',
  env: Record<string, string>,
) {
  const service = spawnService(name, { ...isolatedServiceEnv(), LOG_LEVEL: 'info', ...env });
  services.push(service);
  return waitForListening(service, 30_000);
}

async function setUp(): Promise<void> {
  db = createDbClient({ url: process.env.DATABASE_URL ?? '', poolMax: 4 });
  redis = new Redis(process.env.REDIS_URL ?? '');
  prefix = process.env.REDIS_KEY_PREFIX ?? '';
  // Seeded two minutes ago, so the demo room's sale (a minute after the seed) is open.
  const seeded = await seedDemoSale(db.db, { now: new Date(Date.now() - 120_000) });
  journeyId = seeded.journey.id;
  // Bounds for a machine of two cores shared with the rest of the test run. The minimum keeps
  // enough commits in the booking API's 10 s window (50) for its p95 to be known; sessions are
  // short so the visitors who never pay free their place in the session cap soon.
  await db.pool.query(
    `update rooms set min_admit_per_second = 10, max_admit_per_second = 80,
            max_active_sessions = 600, latency_target_ms = $2, session_seconds = 30
      where id = $1`,
    [roomId, latencyTargetMs],
  );
  // Every 2A, 3A and sleeper berth is Tatkal here (the demo train keeps most as general quota),
  // so the sale lasts long enough for the controller to be seen at work.
  await db.pool.query(
    `update seats set quota = 'TQ' where journey_id = $1 and class_code in ('2A', '3A', 'SL')`,
    [journeyId],
  );
  keysDir = mkdtempSync(join(tmpdir(), 'tatkal-surge-'));
  const keysFile = join(keysDir, 'admission-keys.json');
  execFileSync(process.execPath, ['waiting-room/src/commands/keys.ts', 'generate', keysFile], {
    cwd: new URL('../../../', import.meta.url).pathname,
  });
  waitingRoomUrl = await start('waiting-room', {
    QUEUE_TICKET_SECRET: ticketSecret,
    ADMISSION_KEYS_FILE: keysFile,
    BOOKING_URL: 'http://127.0.0.1:9/book',
    JOIN_LIMIT_IP_BURST: '0',
    JOIN_LIMIT_VISITOR_BURST: '0',
    HEARTBEAT_FLUSH_MS: '1000',
    ROOM_CACHE_MS: '500',
  });
  bookingUrl = await start('booking-api', {
    ADMISSION_JWKS_URL: `${waitingRoomUrl}/.well-known/jwks.json`,
    PAYMENT_WEBHOOK_SECRETS: webhookSecret,
    PAYMENT_SIMULATOR_DELAY_MS: '20',
    HEALTH_PUBLISH_MS: '500',
    MAX_IN_FLIGHT: '2000',
  });
  await start('admission-worker', { LOG_LEVEL: 'info' });
}

async function tearDown(): Promise<void> {
  stopped = true;
  await dropSlowCommits().catch(() => undefined);
  for (const service of services) service.child.kill('SIGTERM');
  await Promise.all(services.map((service) => service.exited));
  redis?.disconnect();
  await db?.close();
  if (keysDir) rmSync(keysDir, { recursive: true, force: true });
}

/**
 * Every booking insert takes one shared lock and then sleeps: commits are serialised, so the
 * database serves at most 1 / slowCommitSeconds of them a second, below what the admitted
 * visitors ask for. A capacity drop, as a saturated or locked database shows it: commits queue
 * for the pool and their latency climbs with the load.
 */
async function installSlowCommits(): Promise<void> {
  await db.pool.query(`
    create or replace function surge_slow_commit() returns trigger language plpgsql as $$
    begin
      perform pg_advisory_xact_lock(7319001);
      perform pg_sleep(${slowCommitSeconds});
      return new;
    end $$`);
  await db.pool.query(`
    create trigger surge_slow_commit before insert on bookings
      for each row execute function surge_slow_commit()`);
}

async function dropSlowCommits(): Promise<void> {
  await db.pool.query('drop trigger if exists surge_slow_commit on bookings');
}

interface Answer {
  status: number;
  body: Record<string, unknown>;
}

async function call(
  base: string,
  method: string,
  path: string,
  headers: Record<string, string>,
  body?: unknown,
): Promise<Answer> {
  const response = await fetch(`${base}${path}`, {
    method,
    headers: { ...headers, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    signal: AbortSignal.timeout(30_000),
  });
  const text = await response.text();
  return {
    status: response.status,
    body: text ? (JSON.parse(text) as Record<string, unknown>) : {},
  };
}

/** Set when the test ends early, so visitors still polling stop quietly. */
let stopped = false;

/** One line per phase on stderr, so a slow or failed CI run shows where the time went. */
function progress(startedAt: number, what: string): void {
  process.stderr.write(`[surge e2e] +${((Date.now() - startedAt) / 1000).toFixed(1)} s: ${what}\n`);
}

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

interface Tally {
  joined: number;
  admitted: number;
  held: number;
  booked: number;
  paid: number;
  soldOut: number;
  unexpected: Array<{ step: string; answer: Answer }>;
}

/** A deterministic per-visitor draw, so a failing run can be reasoned about. */
function draw(n: number, salt: number): number {
  const x = Math.sin(n * 12.9898 + salt * 78.233) * 43_758.5453;
  return x - Math.floor(x);
}

const classes = ['SL', '3A', '2A'] as const;

/** One visitor's life after joining: poll as told, then hold, book and maybe pay. */
async function visitor(n: number, ticket: string, tally: Tally, deadline: number): Promise<void> {
  const ticketHeader = { 'x-queue-ticket': ticket };
  let token: string | undefined;
  while (Date.now() < deadline && !stopped) {
    const status = await call(waitingRoomUrl, 'GET', `/v1/rooms/${roomId}/status`, ticketHeader);
    if (status.status !== 200) {
      tally.unexpected.push({ step: 'status', answer: status });
      return;
    }
    const admission = status.body.admission as { token: string } | null;
    if (admission) {
      token = admission.token;
      break;
    }
    // As the queue page does, but never longer than 5 s, so nobody is taken for abandoned.
    const next = Math.min(5, Math.max(0.5, Number(status.body.nextPollSeconds)));
    await pause(next * 1000);
  }
  if (!token || stopped) return;
  tally.admitted++;
  const bearer = { authorization: `Bearer ${token}` };
  const classCode = classes[Math.floor(draw(n, 1) * classes.length)] ?? 'SL';
  const held = await call(
    bookingUrl,
    'POST',
    '/v1/holds',
    { ...bearer, 'idempotency-key': `surge-${n}-hold` },
    { journeyId, classCode, quota: 'TQ', berths: { count: 1, preferences: [null] } },
  );
  if (held.status === 409) {
    tally.soldOut++;
    return;
  }
  if (held.status !== 201) {
    tally.unexpected.push({ step: 'hold', answer: held });
    return;
  }
  tally.held++;
  const booked = await call(
    bookingUrl,
    'POST',
    '/v1/bookings',
    { ...bearer, 'idempotency-key': `surge-${n}-book` },
    {
      holdId: held.body.holdId,
      passengers: [{ name: `Surge ${n}`, age: 30, gender: 'F', berthPreference: null }],
    },
  );
  if (booked.status !== 201) {
    tally.unexpected.push({ step: 'book', answer: booked });
    return;
  }
  tally.booked++;
  if (draw(n, 2) < 0.2) return;
  const paid = await call(bookingUrl, 'POST', `/v1/bookings/${String(booked.body.pnr)}/pay`, {
    ...bearer,
    'idempotency-key': `surge-${n}-pay`,
  });
  if (paid.status !== 202) {
    tally.unexpected.push({ step: 'pay', answer: paid });
    return;
  }
  tally.paid++;
}

async function decisions(): Promise<DecisionRecord[]> {
  const entries = await redis.xrange(decisionStreamKey(prefix, roomId), '-', '+');
  return entries.map(([, fields]) => JSON.parse(fields[1] ?? '{}') as DecisionRecord);
}

/** The last few ticks, for failure messages. */
async function lastDecisions(): Promise<string> {
  const tail = (await decisions()).filter((_, i, all) => i >= all.length - 48 && i % 4 === 0);
  return JSON.stringify(
    tail.map((record) => ({
      decision: record.decision,
      booking: record.inputs.booking,
      queue: record.inputs.queue,
      sessions: record.inputs.sessions,
      batch: record.batch,
    })),
  );
}

async function untilDecision(
  test: (record: DecisionRecord) => boolean,
  sinceMs: number,
  timeoutMs: number,
): Promise<DecisionRecord | undefined> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const found = (await decisions()).find((record) => record.atMs >= sinceMs && test(record));
    if (found) return found;
    await pause(250);
  }
  return undefined;
}

// Three services, 2,000 polling visitors and a slowed database load the whole machine, so this
// file is in the e2e project, which runs after the others, one file at a time.
describe('Tatkal surge through the whole stack', () => {
  beforeAll(setUp, 90_000);
  afterAll(tearDown);

  it('admits 2,000 visitors in order, sells every seat at most once, and backs off when commits slow down', async () => {
    const startedAt = Date.now();
    const deadline = startedAt + runBudgetMs;
    const tally: Tally = {
      joined: 0,
      admitted: 0,
      held: 0,
      booked: 0,
      paid: 0,
      soldOut: 0,
      unexpected: [],
    };

    // Join in order of n, 50 at a time, so queue numbers follow n closely.
    const tickets: string[] = [];
    for (let from = 0; from < visitorCount; from += 50) {
      const batch = await Promise.all(
        Array.from({ length: Math.min(50, visitorCount - from) }, () =>
          call(waitingRoomUrl, 'POST', `/v1/rooms/${roomId}/join`, {}, {}),
        ),
      );
      for (const joined of batch) {
        expect(joined.status, JSON.stringify(joined.body)).toBe(201);
        tickets.push(String(joined.body.ticket));
      }
    }
    tally.joined = tickets.length;
    progress(startedAt, `${tally.joined} joined`);
    const visits = tickets.map((ticket, n) =>
      visitor(n, ticket, tally, deadline).catch((error: unknown) => {
        if (!stopped)
          tally.unexpected.push({
            step: 'fetch',
            answer: { status: 0, body: { error: String(error) } },
          });
      }),
    );

    // Once the booking API reports fast commits with enough samples and the controller has
    // raised admissions on that evidence above the operator's minimum (10/s), make commits
    // slow. Not much above it: on a first approach the rate may lead the goodput by at most
    // 30 %, and here some of the admitted find their class sold out and never commit. Until
    // the controller has measured that conversion (after a steady spell of a dead time and
    // 30 s), the rate can settle below 12/s (it held at 11.8/s in one CI run).
    const fast = await untilDecision(
      (record) =>
        record.inputs.booking.commitP95Ms !== null &&
        record.inputs.booking.commitP95Ms < latencyTargetMs &&
        record.decision.ratePerSecond >= 11,
      startedAt,
      60_000,
    );
    expect(
      fast,
      `no rise on known, fast commits; ${JSON.stringify({ ...tally, unexpected: tally.unexpected.slice(0, 2) })}; last: ${await lastDecisions()}`,
    ).toBeDefined();
    // Admissions per tick are what the controller lets through: its rate, held back further
    // by the active-session cap it also sets. Judged over three ticks, as one tick is noisy.
    const perTick = (records: DecisionRecord[]) =>
      records.reduce((total, record) => total + record.decision.admit, 0) / records.length;
    const before = perTick((await decisions()).slice(-5));
    const slowFrom = Date.now();
    await installSlowCommits();
    progress(startedAt, `commits slowed at ${before.toFixed(1)} admissions/tick`);

    // The booking API's window reports the slow commits; admissions must fall within a few ticks.
    const overloaded = await untilDecision(
      (record) =>
        (record.inputs.booking.commitP95Ms ?? 0) > latencyTargetMs ||
        (record.inputs.booking.poolWaiting ?? 0) > 0,
      slowFrom,
      30_000,
    );
    expect(overloaded, 'the slow commits never showed in the recorded inputs').toBeDefined();
    const seen = overloaded?.atMs ?? 0;
    await pause(8_000);
    const afterSeen = (await decisions()).filter((record) => record.atMs >= seen);
    const fellAt = afterSeen.findIndex(
      (_, i) => i >= 2 && perTick(afterSeen.slice(i - 2, i + 1)) < 0.6 * before,
    );
    expect(
      fellAt,
      `admissions did not fall below 60 % of ${before}/tick; last: ${await lastDecisions()}`,
    ).toBeGreaterThanOrEqual(0);
    // Within a few ticks of the slow commits showing (the third of the three ticks judged).
    expect(fellAt).toBeLessThanOrEqual(5);

    // Commits fast again: admissions rise from where the slowdown left them.
    await pause(5_000);
    const low = perTick((await decisions()).slice(-5));
    const fastFrom = Date.now();
    await dropSlowCommits();
    progress(startedAt, `commits fast again at ${low.toFixed(1)} admissions/tick`);
    // Back to most of where they stood before the slowdown, and clearly above the low point
    // (twice the low point when the cut was deep; with a shallow cut, twice the low point could
    // ask for more than before the slowdown).
    const target = Math.max(Math.min(2 * low, 0.8 * before), low + 2, 8);
    let raised = false;
    for (let waited = 0; waited < 60_000 && !raised; waited += 1_000) {
      await pause(1_000);
      const since = (await decisions()).filter((record) => record.atMs >= fastFrom);
      raised = since.some((_, i) => i >= 2 && perTick(since.slice(i - 2, i + 1)) >= target);
    }
    expect(
      raised,
      `admissions never rose from ${low}/tick to ${target}/tick after commits were fast again; last: ${await lastDecisions()}`,
    ).toBe(true);

    // Which rules held admissions while they rose, so a slow rise in a CI log says why.
    const rules = new Map<string, number>();
    for (const record of (await decisions()).filter((r) => r.atMs >= fastFrom)) {
      rules.set(record.decision.rule, (rules.get(record.decision.rule) ?? 0) + 1);
    }
    progress(
      startedAt,
      `admissions rose again; ticks by rule: ${JSON.stringify(Object.fromEntries(rules))}`,
    );
    // The controller's part is shown. An operator's minimum outranks the controller: raising it
    // lets the rest of the queue (mostly visitors who will find the train sold out) through in
    // seconds rather than minutes, so the run stays short.
    await db.pool.query('update rooms set min_admit_per_second = 80 where id = $1', [roomId]);
    await Promise.all(visits);
    progress(
      startedAt,
      `visitors done: ${JSON.stringify({ ...tally, unexpected: tally.unexpected.length })}`,
    );
    // Stop the worker (it flushes its audit batches on the way out) so nothing moves below.
    const worker = services.find((service) =>
      service.child.spawnargs.join(' ').includes('admission-worker'),
    );
    worker?.child.kill('SIGTERM');
    expect(await worker?.exited).toBe(0);
    const context = JSON.stringify({ ...tally, unexpected: tally.unexpected.slice(0, 3) });
    expect(tally.unexpected, context).toEqual([]);
    expect(tally.admitted, context).toBeGreaterThan(visitorCount / 2);
    expect(tally.booked, context).toBeGreaterThan(100);

    // Every seat sold at most once; bookings and Redis agree with PostgreSQL.
    const twice = await db.pool.query(
      `select seat_id from seat_assignments where journey_id = $1 and status in ('PENDING', 'CONFIRMED')
        group by seat_id having count(*) > 1`,
      [journeyId],
    );
    expect(twice.rows).toEqual([]);
    expect(await auditBookings(db.db, journeyId)).toEqual([]);
    const audit = await auditInventory(db.db, redis, prefix, journeyId, Date.now());
    expect(audit).toEqual({ mismatches: [], countMismatches: [] });

    // FIFO: nobody skipped, and admission times never go down as queue numbers go up.
    const keys = roomKeys(prefix, roomId);
    const admitted = Object.entries(await redis.hgetall(keys.admitted))
      .map(([number, at]) => [Number(number), Number(at)] as const)
      .sort((a, b) => a[0] - b[0]);
    const admittedTotal = Number(await redis.hget(keys.state, 'admittedTotal'));
    expect(admitted.length).toBe(admittedTotal);
    expect(tally.admitted).toBeLessThanOrEqual(admittedTotal);
    const inversions = admitted.filter(
      (entry, i) => i > 0 && entry[1] < (admitted[i - 1]?.[1] ?? 0),
    );
    expect(inversions).toEqual([]);
    expect(admitted.map(([number]) => number)).toEqual(admitted.map((_, i) => i + 1));

    // Decisions recorded: the stream has the ticks; PostgreSQL's batches cover exactly the
    // admitted numbers, contiguous and without overlap.
    const records = await decisions();
    expect(records.length).toBeGreaterThan(20);
    const batches = await db.pool.query<{ first: string; last: string; n: number }>(
      `select first_number as first, last_number as last, admitted_count as n
         from admission_batches where room_id = $1 and first_number is not null
        order by first_number`,
      [roomId],
    );
    let expected = 1;
    for (const batch of batches.rows) {
      expect(Number(batch.first)).toBe(expected);
      expected = Number(batch.last) + 1;
    }
    expect(expected - 1).toBe(admitted.length);
  }, 300_000);
});
