// ACCEPTANCE (issue 6, point 3): the artillery journey scenario's smoke variant runs against the
// three services started as processes (waiting room, booking API, admission worker) and passes
// its thresholds; with the booking endpoint slowed (a loopback proxy holds every booking request
// back) it fails, on the booking step's latency thresholds and on nothing else.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createDbClient, type DbClient, seedDemoSale } from '@tatkal/drizzle';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  isolatedServiceEnv,
  type ServiceName,
  type ServiceProcess,
  spawnService,
  waitForListening,
} from '../../../infra/testing/service-process.ts';
import { type ArtilleryRun, runArtillery } from '../../artillery/run-artillery.ts';
import { writeSeatMap } from '../../artillery/visitor/seat-map.ts';
import { startSlowProxy } from './artillery-slow-proxy.ts';

const roomId = 'demo';
/** Longer than the smoke environment's book.p99 threshold (5 s), so both book checks fail. */
const bookingDelayMs = 6_000;
const repoRoot = new URL('../../../', import.meta.url).pathname;

let db: DbClient;
let journeyId: number;
let workDir: string;
let seatMapFile: string;
const services: ServiceProcess[] = [];
let waitingRoomUrl: string;
let bookingUrl: string;

async function start(name: ServiceName, env: Record<string, string>): Promise<string> {
  const service = spawnService(name, { ...isolatedServiceEnv(), LOG_LEVEL: 'info', ...env });
  services.push(service);
  return waitForListening(service, 30_000);
}

async function setUp(): Promise<void> {
  db = createDbClient({ url: process.env.DATABASE_URL ?? '', poolMax: 2 });
  // Seeded two minutes ago, so the demo room's sale (a minute after the seed) is open.
  const seeded = await seedDemoSale(db.db, { now: new Date(Date.now() - 120_000) });
  journeyId = seeded.journey.id;
  // Bounds an operator would set for a small sale: the minimum admits the smoke crowd within
  // seconds; short sessions free the places of visitors who never pay.
  await db.pool.query(
    `update rooms set min_admit_per_second = 10, max_admit_per_second = 80,
            max_active_sessions = 600, session_seconds = 30 where id = $1`,
    [roomId],
  );
  workDir = mkdtempSync(join(tmpdir(), 'tatkal-artillery-smoke-'));
  seatMapFile = join(workDir, 'seats.json');
  await writeSeatMap(db.pool, journeyId, ['TQ', 'PT'], seatMapFile);
  const keysFile = join(workDir, 'admission-keys.json');
  execFileSync(process.execPath, ['waiting-room/src/commands/keys.ts', 'generate', keysFile], {
    cwd: repoRoot,
  });
  waitingRoomUrl = await start('waiting-room', {
    QUEUE_TICKET_SECRET: 'artillery-smoke-ticket-secret-of-at-least-32-characters',
    ADMISSION_KEYS_FILE: keysFile,
    BOOKING_URL: 'http://127.0.0.1:9/book',
    // Tighter than the default per-address limit: the crowd must arrive from many addresses
    // (the scenario gives each visitor its own loopback address) or its joins are refused.
    JOIN_LIMIT_IP_BURST: '5',
    JOIN_LIMIT_IP_PER_MINUTE: '6',
    HEARTBEAT_FLUSH_MS: '1000',
  });
  bookingUrl = await start('booking-api', {
    ADMISSION_JWKS_URL: `${waitingRoomUrl}/.well-known/jwks.json`,
    PAYMENT_WEBHOOK_SECRETS: 'artillery-smoke-webhook-secret-of-at-least-32-characters',
    PAYMENT_SIMULATOR_DELAY_MS: '50',
    HEALTH_PUBLISH_MS: '500',
  });
  await start('admission-worker', {});
}

async function tearDown(): Promise<void> {
  for (const service of services) service.child.kill('SIGTERM');
  await Promise.all(services.map((service) => service.exited));
  await db?.close();
  if (workDir) rmSync(workDir, { recursive: true, force: true });
}

function smoke(bookingApiUrl: string): Promise<ArtilleryRun> {
  return runArtillery({
    environment: 'smoke',
    env: {
      TATKAL_WAITING_ROOM_URL: waitingRoomUrl,
      TATKAL_BOOKING_URL: bookingApiUrl,
      TATKAL_ROOM: roomId,
      TATKAL_SEAT_MAP: seatMapFile,
      TATKAL_MAX_WAIT_SECONDS: '120',
    },
    deadlineMs: 150_000,
  });
}

/** The run in a failure message: its checks, errors and outcomes. */
function summary(run: ArtilleryRun): string {
  const counters = Object.entries(run.counters).filter(([name]) =>
    /^(errors\.|vusers\.(created|completed|failed)$|tatkal\.outcome\.)/.test(name),
  );
  return JSON.stringify({
    exitCode: run.exitCode,
    checks: run.checks,
    counters: Object.fromEntries(counters),
    tail: run.output.slice(-1500),
  });
}

describe('artillery smoke scenario against the running stack', () => {
  beforeAll(setUp, 90_000);
  afterAll(tearDown);

  it('passes every threshold and completes the journey', async () => {
    const run = await smoke(bookingUrl);
    const context = summary(run);
    expect(run.killedAtDeadline, context).toBe(false);
    expect(run.exitCode, context).toBe(0);
    // One check per threshold of journey.yml's smoke environment, plus the error rate.
    expect(run.checks, context).toHaveLength(13);
    expect(
      run.checks.every((check) => check.startsWith('ok: ')),
      context,
    ).toBe(true);

    const count = (name: string) => run.counters[name] ?? 0;
    expect(count('vusers.created'), context).toBe(60);
    expect(count('vusers.failed'), context).toBe(0);
    expect(count('tatkal.outcome.confirmed'), context).toBeGreaterThan(10);
    expect(count('tatkal.outcome.paid'), context).toBe(count('tatkal.outcome.confirmed'));
    // Every dishonest visitor who got a token was refused four times and booked honestly.
    const dishonest = count('tatkal.visitors.dishonest');
    for (const refusal of ['forged_token', 'unsigned_token', 'out_of_scope', 'reused_token']) {
      expect(count(`tatkal.outcome.${refusal}_refused`), context).toBe(dishonest);
    }
    expect(count('tatkal.outcome.rejoined_same_place'), context).toBe(
      count('tatkal.visitors.retries'),
    );

    // What the visitors saw is what PostgreSQL holds: as many confirmed bookings, no seat twice.
    const confirmed = await db.pool.query<{ n: string }>(
      `select count(*) as n from bookings where journey_id = $1 and status = 'CONFIRMED'`,
      [journeyId],
    );
    expect(Number(confirmed.rows[0]?.n), context).toBe(count('tatkal.outcome.confirmed'));
    const twice = await db.pool.query(
      `select seat_id from seat_assignments where journey_id = $1
          and status in ('PENDING', 'CONFIRMED') group by seat_id having count(*) > 1`,
      [journeyId],
    );
    expect(twice.rows).toEqual([]);
  }, 180_000);

  it('fails the run on the booking step when the booking endpoint is slowed', async () => {
    const proxy = await startSlowProxy(bookingUrl, {
      method: 'POST',
      path: '/v1/bookings',
      delayMs: bookingDelayMs,
    });
    const run = await smoke(proxy.url).finally(() => proxy.close());
    const context = summary(run);
    expect(run.killedAtDeadline, context).toBe(false);
    expect(run.exitCode, context).not.toBe(0);
    expect(run.checks, context).toHaveLength(13);
    const failed = run.checks.filter((check) => check.startsWith('fail: '));
    expect(
      failed.map((check) => check.replace(/^fail: /, '').replace(/ < .*/, '')).sort(),
      context,
    ).toEqual(['tatkal.response_time.book.p95', 'tatkal.response_time.book.p99']);
    // The breach is slowness, not failure: every booking went through the proxy, late, and the
    // visitors still booked.
    const booked = run.counters['tatkal.outcome.booked'] ?? 0;
    expect(booked, context).toBeGreaterThan(10);
    expect(proxy.delayed(), context).toBe(run.counters['tatkal.book.codes.201'] ?? 0);
    expect(run.summaries['tatkal.response_time.book']?.min ?? 0, context).toBeGreaterThanOrEqual(
      bookingDelayMs,
    );
  }, 180_000);
});
