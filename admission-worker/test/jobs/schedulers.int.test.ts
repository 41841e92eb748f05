// The jobs as BullMQ job schedulers in two workers at once, over a prepared set: N expired
// holds, M unpaid due bookings, a waitlist of K. Afterwards every count is exact (from both
// workers' metrics), every notification reached the local receiver once and signed, Redis
// agrees with PostgreSQL, and BullMQ's keys share one hash tag.
import { randomUUID } from 'node:crypto';
import { holdSeats, inventoryKeys } from '@tatkal/booking-api/inventory';
import { createDbClient } from '@tatkal/drizzle';
import { Queue } from 'bullmq';
import { sql } from 'drizzle-orm';
import { Redis } from 'ioredis';
import { pino } from 'pino';
import { Registry } from 'prom-client';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createWebhookNotifier, jobNames, startJobs } from '../../src/jobs/index.ts';
import { expectedPromotions, inventoryViolations, outbox, statuses } from './support/checks.ts';
import { promotedCount, type SoldOutPlan, soldOutWithWaitlist } from './support/plan.ts';
import { type Receiver, receiverSecret, startReceiver } from './support/receiver.ts';
import { createJobsWorld, type JobsWorld, paymentWindowMs } from './support/world.ts';

const expiredHolds = 30;
let world: JobsWorld;
let receiver: Receiver;
let plan: SoldOutPlan;
const registries: Registry[] = [];
const stops: Array<() => Promise<void>> = [];
const closers: Array<() => Promise<unknown>> = [];

async function startWorker(): Promise<void> {
  const db = createDbClient({ url: process.env.DATABASE_URL ?? '', poolMax: 4 });
  const redis = new Redis(process.env.REDIS_URL ?? '');
  const registry = new Registry();
  registries.push(registry);
  closers.push(
    () => db.close(),
    async () => redis.disconnect(),
  );
  const stop = await startJobs(
    {
      db,
      redis,
      prefix: world.prefix,
      logger: pino({ level: 'silent' }),
      registry,
      notifier: createWebhookNotifier({ url: receiver.url, secrets: [receiverSecret] }),
      expiry: {
        schedule: async (bookingId, atMs) => {
          world.scheduled.push({ bookingId, atMs });
        },
      },
    },
    {
      paymentWindowMs,
      everyMs: {
        'release-expired-holds': 200,
        'expire-unpaid-bookings': 200,
        'promote-waitlist': 300,
        'send-notifications': 200,
        'reconcile-inventory': 1_000,
      },
      concurrency: 3,
    },
  );
  stops.push(stop);
}

/** What both workers' jobs reported, summed: tatkal_background_job_items_total{job, kind}. */
async function items(job: string, kind: string): Promise<number> {
  let total = 0;
  for (const registry of registries) {
    const metric = await registry.getSingleMetric('tatkal_background_job_items_total')?.get();
    for (const value of metric?.values ?? []) {
      if (value.labels.job === job && value.labels.kind === kind) total += value.value;
    }
  }
  return total;
}

async function until(condition: () => Promise<boolean>, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error('timed out waiting for the jobs');
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

beforeAll(async () => {
  world = await createJobsWorld();
  receiver = await startReceiver();
  plan = await soldOutWithWaitlist(world, world.journeyId);
  await world.rebuild();
  const seats = await world.seatIds('SL', 'TQ');
  for (const seatId of seats.slice(0, expiredHolds)) {
    const held = await holdSeats(world.redis, world.prefix, {
      journeyId: world.journeyId,
      request: { kind: 'seats', seatIds: [seatId] },
      holder: { subject: `s-${seatId}`, tokenJti: randomUUID() },
      ttlMs: 60_000,
      nowMs: Date.now() - 600_000,
    });
    if (!held.ok) throw new Error(held.reason);
  }
});
afterAll(async () => {
  for (const stop of stops) await stop();
  for (const close of closers) await close();
  await receiver.close();
  await world.close();
});

it('two BullMQ workers run every job to exact counts', async () => {
  await Promise.all([startWorker(), startWorker()]);
  const expiries = inventoryKeys(world.prefix, world.journeyId).expiries;
  const outboxSize = 4 + 8 + promotedCount;
  await until(async () => {
    const holdsLeft = await world.redis.zcard(expiries);
    const delivered = await world.db.db.execute<{ n: number }>(
      sql`select count(*)::int as n from notifications where delivered_at is not null`,
    );
    return holdsLeft === 0 && delivered.rows[0]?.n === outboxSize;
  });
  // Let a few more rounds of every job run: they must find nothing more to do.
  await new Promise((resolve) => setTimeout(resolve, 1_200));
  await Promise.all(stops.splice(0).map((stop) => stop()));

  // Both workers took part.
  for (const registry of registries) {
    const runs = await registry.getSingleMetric('tatkal_background_job_runs_total')?.get();
    const ok = (runs?.values ?? []).filter((v) => v.labels.outcome === 'ok');
    expect(ok.reduce((sum, v) => sum + v.value, 0)).toBeGreaterThan(0);
    expect((runs?.values ?? []).filter((v) => v.labels.outcome === 'error')).toEqual([]);
  }
  expect(await items('release-expired-holds', 'released')).toBe(expiredHolds);
  expect(await items('expire-unpaid-bookings', 'expired')).toBe(plan.due.length);
  expect(
    (await items('expire-unpaid-bookings', 'promoted')) +
      (await items('promote-waitlist', 'promoted')),
  ).toBe(promotedCount);
  expect(await items('send-notifications', 'delivered')).toBe(outboxSize);

  const promoted = expectedPromotions(plan.queue, plan.due.length * 2);
  const status = await statuses(world, [...plan.due, ...plan.queue.map((e) => e.bookingId)]);
  expect(plan.due.every((id) => status.get(id) === 'EXPIRED')).toBe(true);
  for (const entry of plan.queue) {
    expect(status.get(entry.bookingId), `WL ${entry.waitlistNumber}`).toBe(
      promoted.includes(entry.bookingId) ? 'PENDING_PAYMENT' : 'WAITLISTED',
    );
  }
  const events = await outbox(world);
  expect(events.size).toBe(outboxSize);
  expect([...events.values()].every((n) => n === 1)).toBe(true);
  const perId = new Map<string, number>();
  for (const d of receiver.deliveries) perId.set(d.eventId, (perId.get(d.eventId) ?? 0) + 1);
  expect(perId.size).toBe(outboxSize);
  expect([...perId.values()].every((n) => n === 1)).toBe(true);
  expect(receiver.deliveries.every((d) => d.verified)).toBe(true);
  expect(await inventoryViolations(world)).toEqual([]);
});

it('keeps every BullMQ key under one hash tag and one scheduler per job', async () => {
  const keys: string[] = [];
  let cursor = '0';
  do {
    const [next, batch] = await world.redis.scan(
      cursor,
      'MATCH',
      `${world.prefix}:*`,
      'COUNT',
      1000,
    );
    cursor = next;
    keys.push(...batch);
  } while (cursor !== '0');
  const bull = keys.filter((key) => key.includes('background-jobs'));
  expect(bull.length).toBeGreaterThan(0);
  expect(bull.every((key) => key.startsWith(`${world.prefix}:{bull}:background-jobs:`))).toBe(true);
  const connection = new Redis(process.env.REDIS_URL ?? '', { maxRetriesPerRequest: null });
  const queue = new Queue('background-jobs', { connection, prefix: `${world.prefix}:{bull}` });
  try {
    const schedulers = await queue.getJobSchedulers();
    expect(schedulers.map((s) => s.key).sort()).toEqual([...jobNames].sort());
    expect(schedulers.find((s) => s.key === 'send-notifications')?.every).toBe(200);
  } finally {
    await queue.close();
    connection.disconnect();
  }
});
