// The demo sale seed: idempotent, realistic berth layouts, and the Tatkal
// windows at the right Indian times relative to --now.
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { type SQL, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database, DbClient } from '../src/client.ts';
import { type DemoSaleSummary, seedDemoSale } from '../src/seed/demo-sale.ts';
import { openTestDb } from './support/database.ts';

const run = promisify(execFile);
const seedCommand = fileURLToPath(new URL('../src/commands/seed.ts', import.meta.url));
const tables = [
  'stations',
  'trains',
  'coaches',
  'fares',
  'tatkal_charge_rules',
  'journeys',
  'seats',
  'rooms',
];

// 20:00 UTC is 01:30 the next morning in India: the journey must follow the
// Indian date (17 Jan), not the UTC one.
const now = new Date('2025-01-15T20:00:00Z');

let client: DbClient;
let db: Database;
let first: DemoSaleSummary;

async function rowCounts(): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  for (const table of tables) {
    const result = await db.execute<{ n: string }>(sql.raw(`select count(*) as n from ${table}`));
    counts[table] = Number(result.rows[0]?.n);
  }
  return counts;
}

async function rows<T>(query: SQL): Promise<T[]> {
  return (await db.execute(query)).rows as T[];
}

beforeAll(async () => {
  client = openTestDb();
  db = client.db;
  first = await seedDemoSale(db, { now });
});

afterAll(() => client?.close());

describe('seedDemoSale', () => {
  it('creates the sale once and changes nothing when run again', async () => {
    expect(first.created).toEqual({
      stations: 6,
      trains: 1,
      coaches: 15,
      fares: 4,
      tatkalChargeRules: 3,
      journeys: 1,
      seats: 952,
      rooms: 3,
    });
    const before = await rowCounts();
    const roomsBefore = await rows<unknown>(sql`select * from rooms order by id`);
    const again = await seedDemoSale(db, { now });
    expect(Object.values(again.created).every((count) => count === 0)).toBe(true);
    expect(again.rearmedRooms).toBe(0);
    expect(await rowCounts()).toEqual(before);
    expect(await rows<unknown>(sql`select * from rooms order by id`)).toEqual(roomsBefore);
    expect(again.journey).toEqual(first.journey);
  });

  it('puts the journey on the next Indian calendar day, departing 08:05 IST', () => {
    expect(first.journey.travelDate).toBe('2025-01-17');
    expect(first.journey.departsAt.toISOString()).toBe('2025-01-17T02:35:00.000Z');
  });

  it('opens the AC window at 10:00 IST and sleeper at 11:00 IST the day before the journey', () => {
    const byId = Object.fromEntries(first.rooms.map((room) => [room.id, room]));
    expect(byId['tatkal-ac-2025-01-17']).toEqual({
      id: 'tatkal-ac-2025-01-17',
      prequeueOpensAt: new Date('2025-01-16T04:15:00Z'),
      saleOpensAt: new Date('2025-01-16T04:30:00Z'),
      closesAt: new Date('2025-01-16T06:30:00Z'),
    });
    expect(byId['tatkal-sl-2025-01-17']).toEqual({
      id: 'tatkal-sl-2025-01-17',
      prequeueOpensAt: new Date('2025-01-16T05:15:00Z'),
      saleOpensAt: new Date('2025-01-16T05:30:00Z'),
      closesAt: new Date('2025-01-16T07:30:00Z'),
    });
  });

  it('opens the demo room one minute after --now, pre-queue from --now', () => {
    const demo = first.rooms.find((room) => room.id === 'demo');
    expect(demo?.prequeueOpensAt).toEqual(now);
    expect(demo?.saleOpensAt.getTime()).toBe(now.getTime() + 60_000);
    expect(demo?.closesAt.getTime()).toBe(now.getTime() + 3 * 3_600_000);
  });

  it('scopes every room to the journey and the Tatkal quotas; 1A is never in Tatkal', async () => {
    const scopes = await rows<{
      id: string;
      journey_id: number;
      class_codes: string[];
      quotas: string[];
    }>(sql`select id, journey_id, class_codes, quotas from rooms order by id`);
    expect(scopes).toEqual([
      {
        id: 'demo',
        journey_id: first.journey.id,
        class_codes: ['2A', '3A', 'SL'],
        quotas: ['TQ', 'PT'],
      },
      {
        id: 'tatkal-ac-2025-01-17',
        journey_id: first.journey.id,
        class_codes: ['2A', '3A'],
        quotas: ['TQ', 'PT'],
      },
      {
        id: 'tatkal-sl-2025-01-17',
        journey_id: first.journey.id,
        class_codes: ['SL'],
        quotas: ['TQ', 'PT'],
      },
    ]);
  });
});

describe('berth inventory', () => {
  it('has the railway layouts and quotas per class', async () => {
    const byClass = await rows<{
      class_code: string;
      coaches: number;
      seats: number;
      tq: number;
      pt: number;
    }>(sql`
      select class_code, count(distinct coach_id)::int as coaches, count(*)::int as seats,
        count(*) filter (where quota = 'TQ')::int as tq, count(*) filter (where quota = 'PT')::int as pt
      from seats where journey_id = ${first.journey.id} group by class_code order by class_code`);
    expect(byClass).toEqual([
      { class_code: '1A', coaches: 1, seats: 24, tq: 0, pt: 0 },
      { class_code: '2A', coaches: 2, seats: 96, tq: 24, pt: 8 },
      { class_code: '3A', coaches: 4, seats: 256, tq: 64, pt: 16 },
      { class_code: 'SL', coaches: 8, seats: 576, tq: 160, pt: 32 },
    ]);
  });

  it('numbers a sleeper bay LB MB UB LB MB UB SL SU and a 2A bay LB UB LB UB SL SU', async () => {
    const bay = async (coach: string, berths: number) =>
      (
        await rows<{ berth_type: string }>(sql`
          select s.berth_type from seats s join coaches c on c.id = s.coach_id
          where s.journey_id = ${first.journey.id} and c.code = ${coach} and s.berth_number <= ${berths}
          order by s.berth_number`)
      ).map((row) => row.berth_type);
    expect(await bay('S1', 8)).toEqual(['LB', 'MB', 'UB', 'LB', 'MB', 'UB', 'SL', 'SU']);
    expect(await bay('A1', 6)).toEqual(['LB', 'UB', 'LB', 'UB', 'SL', 'SU']);
    expect(await bay('H1', 4)).toEqual(['LB', 'UB', 'LB', 'UB']);
  });
});

describe('seeding again on a later day', () => {
  it('adds the new journey and rooms and re-arms the demo room', async () => {
    const before = await rowCounts();
    const later = new Date('2025-01-16T20:00:00Z');
    const next = await seedDemoSale(db, { now: later });
    expect(next.journey.travelDate).toBe('2025-01-18');
    expect(next.created).toMatchObject({
      stations: 0,
      coaches: 0,
      journeys: 1,
      seats: 952,
      rooms: 2,
    });
    expect(next.rearmedRooms).toBe(1);
    const after = await rowCounts();
    expect(after.seats).toBe((before.seats ?? 0) + 952);
    const demo = next.rooms.find((room) => room.id === 'demo');
    expect(demo?.saleOpensAt.getTime()).toBe(later.getTime() + 60_000);
  });
});

describe('the seed command', () => {
  it('prints what it created, then nothing new on a second run', async () => {
    const args = [seedCommand, '--now', '2025-02-01T03:00:00Z'];
    const firstRun = await run(process.execPath, args);
    expect(firstRun.stdout).toContain('journey');
    expect(firstRun.stdout).toContain('train 12381 on 2025-02-02');
    expect(firstRun.stdout).toContain('journeys 1, seats 952, rooms 2');
    expect(firstRun.stdout).toMatch(
      /room demo: pre-queue 1 Feb 2025, 8:30 am, sale 1 Feb 2025, 8:31 am/,
    );
    const secondRun = await run(process.execPath, args);
    expect(secondRun.stdout).toContain('journeys 0, seats 0, rooms 0');
  });

  it('refuses a --now that is not an instant, with exit code 2', async () => {
    const failure = await run(process.execPath, [seedCommand, '--now', 'tomorrow']).catch(
      (error: { code: number; stderr: string }) => error,
    );
    expect(failure).toMatchObject({ code: 2 });
    expect((failure as { stderr: string }).stderr).toContain('--now must be an ISO 8601 instant');
  });
});
