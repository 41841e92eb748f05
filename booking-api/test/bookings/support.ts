// A seeded sale in the test file's own database, and the helpers the booking
// tests share: request builders, a seeded PRNG, table fingerprints, error tallies.
import { randomUUID } from 'node:crypto';
import { createDbClient, type DbClient, seats, seedDemoSale } from '@tatkal/drizzle';
import type { ClassCode, Quota } from '@tatkal/drizzle/schema';
import { and, asc, eq, sql } from 'drizzle-orm';
import type { CreateBookingInput, PassengerInput } from '../../src/bookings/index.ts';
import { pgErrorOf, SeatUnavailable } from '../../src/domain/index.ts';

export interface Sale {
  client: DbClient;
  deps: { db: DbClient['db'] };
  journeyId: number;
  /** The demo room: TQ and PT of 2A, 3A and SL. */
  roomId: string;
  /** A moment inside the demo room's sale window. */
  nowMs: number;
  seatIds(classCode: ClassCode, quota: Quota): Promise<number[]>;
  close(): Promise<void>;
}

export async function openSale(options: { poolMax?: number } = {}): Promise<Sale> {
  const url = process.env.DATABASE_URL;
  if (!url) throw new Error('DATABASE_URL is not set; run through the integration project');
  const client = createDbClient({ url, poolMax: options.poolMax ?? 10 });
  const seeded = await seedDemoSale(client.db);
  const demo = seeded.rooms.find((room) => room.id === 'demo');
  if (!demo) throw new Error('the demo seed has no demo room');
  return {
    client,
    deps: { db: client.db },
    journeyId: seeded.journey.id,
    roomId: demo.id,
    nowMs: demo.saleOpensAt.getTime() + 1_000,
    async seatIds(classCode, quota) {
      const rows = await client.db
        .select({ id: seats.id })
        .from(seats)
        .where(
          and(
            eq(seats.journeyId, seeded.journey.id),
            eq(seats.classCode, classCode),
            eq(seats.quota, quota),
          ),
        )
        .orderBy(asc(seats.id));
      return rows.map((row) => row.id);
    },
    close: () => client.close(),
  };
}

export function passengers(n: number, overrides: Partial<PassengerInput> = {}): PassengerInput[] {
  return Array.from({ length: n }, (_, i) => ({
    name: `Passenger ${i + 1}`,
    age: 30 + i,
    gender: i % 2 === 0 ? 'F' : 'M',
    berthPreference: null,
    ...overrides,
  }));
}

/** A valid TQ request for `seatIds` through the demo room; override anything. */
export function bookingRequest(
  sale: Sale,
  seatIds: number[],
  overrides: Partial<CreateBookingInput> = {},
): CreateBookingInput {
  return {
    journeyId: sale.journeyId,
    roomId: sale.roomId,
    subject: `visitor-${randomUUID()}`,
    tokenJti: randomUUID(),
    classCode: '3A',
    quota: 'TQ',
    seatIds,
    holdId: `hold-${randomUUID()}`,
    passengers: passengers(seatIds.length),
    paymentWindowMs: 300_000,
    nowMs: sale.nowMs,
    ...overrides,
  };
}

/** mulberry32: a small seeded PRNG, so a failing run can be replayed from its seed. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

export function shuffled<T>(items: readonly T[], random: () => number): T[] {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [out[i], out[j]] = [out[j] as T, out[i] as T];
  }
  return out;
}

export const pause = (ms: number) => () => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** How each settled call ended: kept apart so a test can assert on every kind. */
export function tally(results: ReadonlyArray<PromiseSettledResult<unknown>>) {
  const out = {
    fulfilled: 0,
    seatUnavailableByCheck: 0,
    seatUnavailableByIndex: 0,
    deadlocks: 0,
    otherErrors: [] as unknown[],
  };
  for (const result of results) {
    if (result.status === 'fulfilled') out.fulfilled++;
    else if (result.reason instanceof SeatUnavailable) {
      if (result.reason.detectedBy === 'unique_index') out.seatUnavailableByIndex++;
      else out.seatUnavailableByCheck++;
    } else if (pgErrorOf(result.reason)?.code === '40P01') out.deadlocks++;
    else out.otherErrors.push(result.reason);
  }
  return out;
}

const fingerprinted = ['bookings', 'passengers', 'seat_assignments', 'payments'] as const;

/** Row count and an md5 of every row of the booking tables: equal fingerprints, unchanged tables. */
export async function fingerprint(sale: Sale): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const table of fingerprinted) {
    const result = await sale.client.db.execute<{ rows: string; hash: string | null }>(
      sql`select count(*)::text as rows, md5(string_agg(t::text, '|' order by t.id)) as hash
            from ${sql.identifier(table)} t`,
    );
    const row = result.rows[0];
    out[table] = `${row?.rows}:${row?.hash ?? '-'}`;
  }
  return out;
}
