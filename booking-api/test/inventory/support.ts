// What the inventory's integration tests share: connections (standalone Redis and a private
// 3-master cluster), the file's PostgreSQL database with the demo sale seeded, and a way to
// write seat assignments the way a booking would. REDIS_URL, REDIS_KEY_PREFIX and
// DATABASE_URL are set by the integration setup in a beforeAll hook, so they are read when a
// test needs them, never at import time.
import { createDbClient, type DbClient, seedDemoSale } from '@tatkal/drizzle';
import * as sharedClients from '../../../infra/testing/redis-clients.ts';
import { inventoryKeyList, inventoryKeys, type RedisLike } from '../../src/inventory/index.ts';

function env(name: 'REDIS_URL' | 'REDIS_KEY_PREFIX' | 'DATABASE_URL'): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set: run this file in the integration project`);
  return value;
}

export const testPrefix = () => env('REDIS_KEY_PREFIX');

export type { Clients } from '../../../infra/testing/redis-clients.ts';
export const standaloneClients = (count = 4) => sharedClients.standaloneClients(count);
export const clusterClients = (count = 4) => sharedClients.clusterClients(count);

export interface SeededSale {
  client: DbClient;
  journeyId: number;
  close(): Promise<void>;
}

/** The file's database with the demo sale (952 seats) seeded. */
export async function seededSale(): Promise<SeededSale> {
  const client = createDbClient({ url: env('DATABASE_URL'), poolMax: 4 });
  const { journey } = await seedDemoSale(client.db);
  return { client, journeyId: journey.id, close: () => client.close() };
}

/** Forgets the journey's whole inventory (every key), as a flushed Redis would. */
export async function dropInventory(redis: RedisLike, prefix: string, journeyId: number) {
  await redis.del(...inventoryKeyList(inventoryKeys(prefix, journeyId)));
}

export interface SeatRow {
  seatId: number;
  coach: string;
  berthNumber: number;
  berthType: string;
  classCode: string;
  quota: string;
}

/** Seats of the journey, by coach and berth, in allocation order. */
export async function seatRows(client: DbClient, journeyId: number): Promise<SeatRow[]> {
  const { rows } = await client.pool.query<SeatRow>(
    `select s.id::int as "seatId", c.code as coach, s.berth_number as "berthNumber",
            s.berth_type as "berthType", s.class_code as "classCode", s.quota
       from seats s join coaches c on c.id = s.coach_id
      where s.journey_id = $1
      order by s.class_code, s.quota, c.position, s.berth_number`,
    [journeyId],
  );
  return rows;
}

/** Seat ids by "<coach>/<berth>", e.g. "B1/17". */
export function seatIndex(rows: readonly SeatRow[]): (label: string) => number {
  const byLabel = new Map(rows.map((row) => [`${row.coach}/${row.berthNumber}`, row.seatId]));
  return (label) => {
    const seatId = byLabel.get(label);
    if (seatId === undefined) throw new Error(`no seat ${label}`);
    return seatId;
  };
}

let pnrCounter = 0;

/**
 * A booking with one passenger per seat and one assignment each, written with SQL in one
 * transaction, as the booking flow would: PENDING (unpaid), CONFIRMED or CANCELLED.
 */
export async function insertBooking(
  client: DbClient,
  journeyId: number,
  seatIds: readonly number[],
  status: 'PENDING' | 'CONFIRMED' | 'CANCELLED',
): Promise<number> {
  const db = await client.pool.connect();
  try {
    await db.query('begin');
    const { rows: seatInfo } = await db.query<{ class_code: string; quota: string }>(
      'select class_code, quota from seats where id = $1',
      [seatIds[0]],
    );
    const bookingStatus = {
      PENDING: 'PENDING_PAYMENT',
      CONFIRMED: 'CONFIRMED',
      CANCELLED: 'CANCELLED',
    }[status];
    pnrCounter += 1;
    const pnr = String(4_000_000_000 + process.pid * 1000 + pnrCounter)
      .slice(-10)
      .padStart(10, '0');
    const { rows } = await db.query<{ id: string }>(
      `insert into bookings (pnr, journey_id, subject, class_code, quota, status, base_fare_paise,
                             total_paise, expires_at, confirmed_at, cancelled_at)
       values ($1, $2, 'test-subject', $3, $4, $5, 100000, 100000,
               case when $5 = 'PENDING_PAYMENT' then now() + interval '15 minutes' end,
               case when $5 = 'CONFIRMED' then now() end,
               case when $5 = 'CANCELLED' then now() end)
       returning id`,
      [pnr, journeyId, seatInfo[0]?.class_code, seatInfo[0]?.quota, bookingStatus],
    );
    const bookingId = Number(rows[0]?.id);
    for (const [i, seatId] of seatIds.entries()) {
      const { rows: passenger } = await db.query<{ id: string }>(
        `insert into passengers (booking_id, ordinal, name, age, gender)
         values ($1, $2, $3, 30, 'F') returning id`,
        [bookingId, i + 1, `Passenger ${i + 1}`],
      );
      await db.query(
        `insert into seat_assignments (booking_id, passenger_id, journey_id, seat_id, status)
         values ($1, $2, $3, $4, $5)`,
        [bookingId, Number(passenger[0]?.id), journeyId, seatId, status],
      );
    }
    await db.query('commit');
    return bookingId;
  } catch (error) {
    await db.query('rollback');
    throw error;
  } finally {
    db.release();
  }
}

/** Moves a booking's assignments to CANCELLED, as a cancellation would. */
export async function cancelBooking(client: DbClient, bookingId: number): Promise<void> {
  await client.pool.query(
    `update seat_assignments set status = 'CANCELLED', updated_at = now() where booking_id = $1`,
    [bookingId],
  );
}
