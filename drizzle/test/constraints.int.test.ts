// Table-driven proof that the schema's constraints refuse bad rows. Each case
// starts from a row that PostgreSQL accepts (checked first) and changes one
// thing, so the refusal can only come from the named constraint.
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DbClient } from '../src/client.ts';
import { seedDemoSale } from '../src/seed/demo-sale.ts';
import { createBookingWithPassenger, nextPnr, openTestDb, pgErrorOf } from './support/database.ts';
import { refusedRows as cases, type Row } from './support/refused-rows.ts';
import { type Fixture, validRows } from './support/valid-rows.ts';

let client: DbClient;
let connection: pg.PoolClient;
let fixture: Fixture;

function insertStatement(table: string, row: Row): [string, unknown[]] {
  const columns = Object.keys(row);
  const values = Object.values(row).map((value) =>
    // pg sends JS arrays as PostgreSQL arrays; other objects are jsonb here.
    typeof value === 'object' && value !== null && !Array.isArray(value)
      ? JSON.stringify(value)
      : value,
  );
  const placeholders = columns.map((_, i) => `$${i + 1}`).join(', ');
  return [`insert into ${table} (${columns.join(', ')}) values (${placeholders})`, values];
}

/** Inserts `row` inside a transaction that is always rolled back, so cases never interact. */
async function tryInsert(table: string, row: Row): Promise<void> {
  await connection.query('begin');
  try {
    await connection.query(...insertStatement(table, row));
  } finally {
    await connection.query('rollback');
  }
}

beforeAll(async () => {
  client = openTestDb(2);
  const sale = await seedDemoSale(client.db, { now: new Date('2025-01-15T03:00:00Z') });
  const { bookingId } = await createBookingWithPassenger(client.db, { journeyId: sale.journey.id });
  connection = await client.pool.connect();
  const s1 = await connection.query<{ id: number }>(
    "select id from coaches where train_number = '12381' and code = 'S1'",
  );
  const slCoachId = s1.rows[0]?.id;
  if (slCoachId === undefined) throw new Error('seed made no S1 coach');
  fixture = {
    journeyId: sale.journey.id,
    slCoachId,
    farelessTrain: '12302',
    roomId: 'demo',
    bookingId,
    pnr: nextPnr(),
  };
  const valid = validRows(fixture);
  // Rows that the unique-constraint cases collide with.
  const committed: [string, Row][] = [
    [
      'trains',
      {
        number: '12302',
        name: 'Howrah Rajdhani',
        from_station_code: 'NDLS',
        to_station_code: 'HWH',
      },
    ],
    ['bookings', { ...valid.bookings, pnr: nextPnr(), status: 'WAITLISTED', waitlist_number: 1 }],
    ['payments', { ...valid.payments, provider_ref: 'sim_existing' }],
    ['admission_batches', { ...valid.admission_batches, first_number: 1, last_number: 5 }],
  ];
  for (const [table, row] of committed) await connection.query(...insertStatement(table, row));
});

afterAll(async () => {
  connection?.release();
  await client?.close();
});

describe('the valid rows the cases start from', () => {
  const tables = [...new Set(cases.map((c) => c.table))];
  it.each(tables)('%s accepts its valid row', async (table) => {
    const row = validRows(fixture)[table];
    if (!row) throw new Error(`no valid row for ${table}`);
    await expect(tryInsert(table, row)).resolves.toBeUndefined();
  });
});

describe('bad rows are refused by the named constraint', () => {
  it.each(cases)(
    '$table $change → $constraint',
    async ({ table, change, constraint, code = '23514' }) => {
      const row = validRows(fixture)[table];
      if (!row) throw new Error(`no valid row for ${table}`);
      let refused: unknown;
      await tryInsert(table, { ...row, ...change }).catch((error: unknown) => {
        refused = error;
      });
      expect(refused, 'PostgreSQL accepted the row').toBeDefined();
      expect(pgErrorOf(refused)).toEqual({ code, constraint });
    },
  );
});
