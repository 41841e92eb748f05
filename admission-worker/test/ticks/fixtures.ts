// Shared by the tick tests: a seeded open room, joined visitors, a healthy booking-api
// summary, and the audit checks every concurrency test applies to what the ticks recorded.
import { healthKey } from '@tatkal/booking-api/health';
import { createDbClient, type DbClient, rooms, seedDemoSale } from '@tatkal/drizzle';
import { joinQueue, roomKeys } from '@tatkal/waiting-room';
import { eq } from 'drizzle-orm';
import { Redis } from 'ioredis';
import { decide } from '../../src/controller/index.ts';
import { decisionStreamKey } from '../../src/decisions/record.ts';
import { parseDecisionEntry, type StreamedDecision } from '../../src/decisions/stream.ts';
import { recoveredMarker } from '../../src/ticks/pending-tick.ts';
import type { TickDeps } from '../../src/ticks/run-tick.ts';

export interface TestEnv {
  redis: Redis;
  db: DbClient;
  prefix: string;
  close(): Promise<void>;
}

export function openTestEnv(): TestEnv {
  const { DATABASE_URL, REDIS_URL, REDIS_KEY_PREFIX } = process.env;
  if (!DATABASE_URL || !REDIS_URL || !REDIS_KEY_PREFIX) throw new Error('no isolated test env');
  const redis = new Redis(REDIS_URL);
  const db = createDbClient({ url: DATABASE_URL, poolMax: 4 });
  return {
    redis,
    db,
    prefix: REDIS_KEY_PREFIX,
    async close() {
      redis.disconnect();
      await db.close();
    },
  };
}

/** A tick's dependencies on the test's own PostgreSQL and Redis, with the production controller. */
export function testTickDeps(
  env: Pick<TestEnv, 'redis' | 'db' | 'prefix'>,
  workerId: string,
  overrides: Partial<TickDeps> = {},
): TickDeps {
  return {
    redis: env.redis,
    db: env.db.db,
    pool: env.db.pool,
    prefix: env.prefix,
    workerId,
    decide: (inputs, state) => decide(inputs, state),
    now: Date.now,
    lockTtlMs: 5_000,
    healthStaleMs: 5_000,
    databaseTimeoutMs: 1_000,
    ...overrides,
  };
}

/** Seeds the demo sale with its `demo` room already open, and sets the room's bounds. */
export async function seedOpenRoom(
  db: DbClient,
  set: Partial<typeof rooms.$inferInsert> = {},
): Promise<string> {
  // Seeded "two minutes ago": the demo room's sale opened a minute ago.
  await seedDemoSale(db.db, { now: new Date(Date.now() - 120_000) });
  await db.db
    .update(rooms)
    .set({ maxActiveSessions: 100_000, ...set })
    .where(eq(rooms.id, 'demo'));
  return 'demo';
}

export async function joinVisitors(
  redis: Redis,
  prefix: string,
  roomId: string,
  count: number,
): Promise<void> {
  const keys = roomKeys(prefix, roomId);
  for (let i = 0; i < count; i += 200) {
    const batch = Array.from(
      { length: Math.min(200, count - i) },
      (_, k) => `visitor-${i + k + 1}`,
    );
    // In order: visitor-k takes queue number k.
    for (const visitor of batch) {
      await joinQueue(redis, keys, { visitor, nowMs: Date.now(), mode: 'fifo' });
    }
  }
}

/** One booking-api process reporting a healthy, well-sampled window. */
export async function publishHealthyBooking(redis: Redis, prefix: string): Promise<void> {
  await redis.hset(
    healthKey(prefix),
    'test-instance',
    JSON.stringify({
      instance: 'test-instance',
      atMs: Date.now(),
      windowMs: 10_000,
      commit: { count: 400, p50Ms: 8, p95Ms: 20 },
      pool: { total: 10, busy: 2, waiting: 0 },
      inFlight: 3,
      errors5xx: 0,
      timeouts: 0,
      requests: 800,
    }),
  );
}

export async function readAllDecisions(
  redis: Redis,
  prefix: string,
  roomId: string,
): Promise<StreamedDecision[]> {
  const entries = await redis.xrange(decisionStreamKey(prefix, roomId), '-', '+');
  return entries.map(parseDecisionEntry).filter((entry) => entry !== null);
}

/**
 * What must hold of a room's tick records, whatever the workers did: fences unique and
 * increasing along the stream, no two ticks overlapping in time (a tick runs from taking
 * the lock, its atMs, to writing its record, the stream entry's time; the same machine's
 * clock in tests), and admission batches contiguous and non-overlapping. Returns the
 * violations found (empty when none).
 */
export function tickRecordViolations(entries: readonly StreamedDecision[]): string[] {
  const violations: string[] = [];
  for (let i = 1; i < entries.length; i++) {
    const before = entries[i - 1]?.record;
    const after = entries[i]?.record;
    if (before && after && after.fence <= before.fence) {
      violations.push(`fence ${after.fence} recorded after fence ${before.fence}`);
    }
  }
  const spans = entries
    .map(({ id, record }) => ({
      fence: record.fence,
      start: record.atMs,
      // A successor's record of a tick that died: when it stopped is not known.
      end: record.workerId.includes(recoveredMarker) ? record.atMs : Number(id.split('-')[0]),
    }))
    .sort((a, b) => a.start - b.start);
  for (let i = 1; i < spans.length; i++) {
    const before = spans[i - 1];
    const after = spans[i];
    if (before && after && after.start < before.end) {
      violations.push(`tick of fence ${after.fence} started while fence ${before.fence} ran`);
    }
  }
  violations.push(...rangeViolations(entries.map(({ record }) => record.batch)));
  return violations;
}

/** Batch ranges: each starts right after the previous one ends (numbers are never reused). */
export function rangeViolations(
  batches: ReadonlyArray<{ firstNumber: number | null; lastNumber: number | null }>,
): string[] {
  const ranges = batches
    .filter((b) => b.firstNumber !== null && b.lastNumber !== null)
    .map((b) => [b.firstNumber ?? 0, b.lastNumber ?? 0] as const)
    .sort((a, b) => a[0] - b[0]);
  const violations: string[] = [];
  for (let i = 1; i < ranges.length; i++) {
    const [, lastBefore] = ranges[i - 1] ?? [0, 0];
    const [first] = ranges[i] ?? [0, 0];
    if (first !== lastBefore + 1)
      violations.push(`range starting ${first} follows one ending ${lastBefore}`);
  }
  return violations;
}

/** The room's admitted hash: queue number -> admitted-at ms. */
export async function admittedNumbers(
  redis: Redis,
  prefix: string,
  roomId: string,
): Promise<Map<number, number>> {
  const raw = await redis.hgetall(roomKeys(prefix, roomId).admitted);
  return new Map(Object.entries(raw).map(([number, at]) => [Number(number), Number(at)]));
}

/** Queue numbers admitted later than a higher number: zero when admission was FIFO. */
export function fifoInversions(admitted: ReadonlyMap<number, number>): number {
  const byNumber = [...admitted.entries()].sort((a, b) => a[0] - b[0]);
  let inversions = 0;
  for (let i = 1; i < byNumber.length; i++) {
    if ((byNumber[i]?.[1] ?? 0) < (byNumber[i - 1]?.[1] ?? 0)) inversions++;
  }
  return inversions;
}
