// The booking commit's statements as parameterised SQL on the pg connection,
// each a named prepared statement: PostgreSQL parses and plans each once per
// connection, and no query builder runs per statement. The texts are the ones
// drizzle builds for the same queries (loadtest's pgbench script sends them),
// so the semantics, the locks and the constraint names seen on errors are
// unchanged; only the client-side cost of issuing them is gone.
import type { Database } from '@tatkal/drizzle';
import type { BerthType, ClassCode, Quota, SeatAssignmentStatus } from '@tatkal/drizzle/schema';
import pg from 'pg';
import type { FareTable, QuotaFill } from '../fares/index.ts';
import { generatePnr } from './pnr.ts';
import type { SaleRoom } from './sale-rules.ts';
import type { SeatLocking, SeatRow } from './seat-rows.ts';
import type { PassengerInput } from './validation.ts';

/** One connection's query method: a pool client inside a transaction, or the pool. */
export interface SqlConnection {
  query<Row extends pg.QueryResultRow>(config: pg.QueryConfig): Promise<pg.QueryResult<Row>>;
}

/**
 * The pg pool (or client) under a drizzle database: `drizzle(pool)` keeps it
 * as `$client`, which the exported Database type does not spell out.
 */
export function pgSource(db: Database): pg.Pool | pg.Client | pg.PoolClient {
  const source = (db as Database & { $client?: unknown }).$client;
  if (source instanceof pg.Pool || source instanceof pg.Client) return source;
  throw new Error('createBooking needs a drizzle database over a pg Pool or Client');
}

/**
 * Runs `work` in one transaction on one connection of the database's pool:
 * begin, work, commit; rollback and rethrow on any error (as drizzle's
 * `transaction` does, whose pool this is).
 */
export async function inTransaction<T>(
  db: Database,
  work: (connection: SqlConnection) => Promise<T>,
): Promise<T> {
  const source = pgSource(db);
  const pooled = source instanceof pg.Pool ? await source.connect() : null;
  const connection: SqlConnection = pooled ?? source;
  let broken: Error | undefined;
  try {
    await connection.query({ text: 'begin' });
    const result = await work(connection);
    await connection.query({ text: 'commit' });
    return result;
  } catch (error) {
    await connection.query({ text: 'rollback' }).catch((rollbackError: unknown) => {
      // A connection that cannot roll back is not handed to the next caller.
      broken = rollbackError instanceof Error ? rollbackError : new Error(String(rollbackError));
    });
    throw error;
  } finally {
    pooled?.release(broken);
  }
}

/** `$first, $first+1, …` for `count` parameters. */
function markers(first: number, count: number): string {
  return Array.from({ length: count }, (_, i) => `$${first + i}`).join(', ');
}

/** Whether this hold already became a booking. */
export async function bookedHold(db: SqlConnection, holdId: string): Promise<boolean> {
  const result = await db.query({
    name: 'tatkal_hold_booked',
    text: 'select "id" from "bookings" where "bookings"."hold_id" = $1',
    values: [holdId],
  });
  return result.rows.length > 0;
}

export async function selectJourneyTrain(
  tx: SqlConnection,
  journeyId: number,
): Promise<string | undefined> {
  const result = await tx.query<{ train_number: string }>({
    name: 'tatkal_journey_train',
    text: 'select "train_number" from "journeys" where "journeys"."id" = $1',
    values: [journeyId],
  });
  return result.rows[0]?.train_number;
}

export async function selectSaleRoom(
  tx: SqlConnection,
  roomId: string,
): Promise<SaleRoom | undefined> {
  const result = await tx.query<{
    journey_id: number | null;
    class_codes: string[];
    quotas: string[];
    status: string;
    sale_opens_at: Date;
    closes_at: Date;
  }>({
    name: 'tatkal_sale_room',
    text: 'select "id", "name", "journey_id", "class_codes", "quotas", "mode", "status", "prequeue_opens_at", "sale_opens_at", "closes_at", "session_seconds", "abandon_after_seconds", "tick_interval_ms", "min_admit_per_second", "max_admit_per_second", "max_active_sessions", "latency_target_ms", "pow_difficulty", "shuffle_seed_hash", "shuffle_seed", "created_at", "updated_at" from "rooms" where "rooms"."id" = $1',
    values: [roomId],
  });
  const row = result.rows[0];
  if (!row) return undefined;
  return {
    journeyId: row.journey_id,
    classCodes: row.class_codes,
    quotas: row.quotas,
    status: row.status,
    saleOpensAt: row.sale_opens_at,
    closesAt: row.closes_at,
  };
}

/** Same key as locks.ts's `lockTatkalSubject` (space 7318101, the window and the subject). */
export async function lockSubject(
  tx: SqlConnection,
  scope: { roomId: string | null; journeyId: number; subject: string },
): Promise<void> {
  const window = scope.roomId === null ? `journey:${scope.journeyId}` : `room:${scope.roomId}`;
  await tx.query({
    name: 'tatkal_lock_subject',
    text: 'select pg_advisory_xact_lock(7318101, hashtext($1))',
    values: [`${window}|${scope.subject}`],
  });
}

interface SeatRecord {
  /** bigint: pg returns it as a string. */
  id: string;
  class_code: ClassCode;
  quota: Quota;
  code: string;
  berth_number: number;
  berth_type: BerthType;
}

function seatQuery(journeyId: number, seatIds: readonly number[], forUpdate: boolean) {
  const lock = forUpdate ? ' for update of "seats"' : '';
  return {
    name: `tatkal_seats_${forUpdate ? 'lock' : 'read'}_${seatIds.length}`,
    text: `select "seats"."id", "seats"."class_code", "seats"."quota", "coaches"."code", "seats"."berth_number", "seats"."berth_type" from "seats" inner join "coaches" on "coaches"."id" = "seats"."coach_id" where ("seats"."journey_id" = $1 and "seats"."id" in (${markers(2, seatIds.length)})) order by "seats"."id"${lock}`,
    values: [journeyId, ...seatIds],
  };
}

/**
 * seat-rows.ts's `lockSeats` on the connection: one `… ORDER BY id FOR UPDATE`
 * in production; one seat at a time, or no lock, for the tests' negative controls.
 */
export async function lockSeatRows(
  tx: SqlConnection,
  journeyId: number,
  seatIds: readonly number[],
  locking: SeatLocking,
): Promise<SeatRow[]> {
  if (locking === 'as-requested') {
    const rows: SeatRow[] = [];
    for (const seatId of seatIds)
      rows.push(...(await lockSeatRows(tx, journeyId, [seatId], 'id-order')));
    return rows.sort((a, b) => a.seatId - b.seatId);
  }
  const result = await tx.query<SeatRecord>(seatQuery(journeyId, seatIds, locking === 'id-order'));
  return result.rows.map((row) => ({
    seatId: Number(row.id),
    classCode: row.class_code,
    quota: row.quota,
    coach: row.code,
    berthNumber: row.berth_number,
    berthType: row.berth_type,
  }));
}

/** Live Tatkal PNRs of the subject in the sale window (sale-rules.ts's `enforceTatkalLimit`). */
export async function countLiveTatkal(
  tx: SqlConnection,
  scope: { roomId: string | null; journeyId: number; subject: string },
): Promise<number> {
  const byRoom = scope.roomId !== null;
  const result = await tx.query<{ count: string }>({
    name: byRoom ? 'tatkal_live_by_room' : 'tatkal_live_by_journey',
    text: `select count(*) from "bookings" where ("bookings"."subject" = $1 and "bookings"."quota" in ($2, $3) and "bookings"."status" in ($4, $5, $6) and ${byRoom ? '"bookings"."room_id" = $7' : '("bookings"."room_id" is null and "bookings"."journey_id" = $7)'})`,
    values: [
      scope.subject,
      'TQ',
      'PT',
      'PENDING_PAYMENT',
      'CONFIRMED',
      'WAITLISTED',
      scope.roomId ?? scope.journeyId,
    ],
  });
  return Number(result.rows[0]?.count ?? 0);
}

/** seat-rows.ts's `occupiedSeatIds` on the connection. */
export async function occupiedSeats(
  tx: SqlConnection,
  journeyId: number,
  seatIds: readonly number[],
): Promise<number[]> {
  const result = await tx.query<{ seat_id: string }>({
    name: `tatkal_occupied_${seatIds.length}`,
    text: `select "seat_id" from "seat_assignments" where ("seat_assignments"."journey_id" = $1 and "seat_assignments"."seat_id" in (${markers(2, seatIds.length)}) and "seat_assignments"."status" in ($${seatIds.length + 2}, $${seatIds.length + 3})) order by "seat_assignments"."seat_id"`,
    values: [journeyId, ...seatIds, 'PENDING', 'CONFIRMED'],
  });
  return [...new Set(result.rows.map((row) => Number(row.seat_id)))];
}

/** fares/quota-fill.ts's `readQuotaFill` on the connection. */
export async function quotaFill(
  tx: SqlConnection,
  input: { journeyId: number; classCode: ClassCode; quota: Quota },
): Promise<QuotaFill> {
  const result = await tx.query<{ sold: number; capacity: number }>({
    name: 'tatkal_quota_fill',
    text: `select count(*)::int as capacity,
           count(*) filter (where exists (
             select 1 from seat_assignments a
              where a.journey_id = s.journey_id and a.seat_id = s.id
                and a.status in ('PENDING', 'CONFIRMED')))::int as sold
      from seats s
     where s.journey_id = $1
       and s.class_code = $2
       and s.quota = $3`,
    values: [input.journeyId, input.classCode, input.quota],
  });
  const row = result.rows[0];
  return { sold: row?.sold ?? 0, capacity: row?.capacity ?? 0 };
}

/** fares/fare-table.ts's `loadFareTable` on the connection (same two queries). */
export async function fareTable(tx: SqlConnection, trainNumber: string): Promise<FareTable> {
  const bases = await tx.query<{ class_code: ClassCode; base_fare_paise: number }>({
    name: 'tatkal_fares',
    text: 'select "train_number", "class_code", "base_fare_paise" from "fares" where "fares"."train_number" = $1',
    values: [trainNumber],
  });
  const rules = await tx.query<{
    class_code: ClassCode;
    percent_of_base_fare: number;
    min_charge_paise: number;
    max_charge_paise: number;
  }>({
    name: 'tatkal_charge_rules',
    text: 'select "class_code", "percent_of_base_fare", "min_charge_paise", "max_charge_paise" from "tatkal_charge_rules"',
  });
  const table: FareTable = { trainNumber, baseFarePaise: {}, tatkalCharges: {} };
  for (const row of bases.rows) table.baseFarePaise[row.class_code] = row.base_fare_paise;
  for (const row of rules.rows) {
    table.tatkalCharges[row.class_code] = {
      percentOfBaseFare: row.percent_of_base_fare,
      minChargePaise: row.min_charge_paise,
      maxChargePaise: row.max_charge_paise,
    };
  }
  return table;
}

export interface PendingBooking {
  journeyId: number;
  roomId: string | null;
  subject: string;
  classCode: ClassCode;
  quota: Quota;
  baseFarePaise: number;
  tatkalChargePaise: number;
  premiumSurchargePaise: number;
  totalPaise: number;
  tokenJti: string | null;
  holdId: string;
  expiresAt: Date;
}

const pnrAttempts = 5;

/** booking-rows.ts's `insertBooking` for a PENDING_PAYMENT booking: a PNR clash retries. */
export async function insertPendingBooking(
  tx: SqlConnection,
  values: PendingBooking,
): Promise<{ id: number; pnr: string }> {
  for (let attempt = 0; attempt < pnrAttempts; attempt++) {
    const pnr = generatePnr();
    const result = await tx.query<{ id: string }>({
      name: 'tatkal_insert_booking',
      text: 'insert into "bookings" ("id", "pnr", "journey_id", "room_id", "subject", "class_code", "quota", "status", "base_fare_paise", "tatkal_charge_paise", "premium_surcharge_paise", "total_paise", "waitlist_number", "token_jti", "hold_id", "expires_at", "created_at", "updated_at", "confirmed_at", "cancelled_at") values (default, $1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, default, $12, $13, $14, default, default, default, default) on conflict ("pnr") do nothing returning "id"',
      values: [
        pnr,
        values.journeyId,
        values.roomId,
        values.subject,
        values.classCode,
        values.quota,
        'PENDING_PAYMENT',
        values.baseFarePaise,
        values.tatkalChargePaise,
        values.premiumSurchargePaise,
        values.totalPaise,
        values.tokenJti,
        values.holdId,
        values.expiresAt.toISOString(),
      ],
    });
    const row = result.rows[0];
    if (row) return { id: Number(row.id), pnr };
  }
  throw new Error(`no free PNR after ${pnrAttempts} attempts`);
}

/** All passengers in one multi-row INSERT, ordinals 1…n in input order. */
export async function insertPassengerRows(
  tx: SqlConnection,
  bookingId: number,
  people: readonly PassengerInput[],
): Promise<Array<{ id: number; ordinal: number }>> {
  const rows = people.map((_, i) => `(default, ${markers(1 + i * 6, 6)})`);
  const result = await tx.query<{ id: string; ordinal: number }>({
    name: `tatkal_insert_passengers_${people.length}`,
    text: `insert into "passengers" ("id", "booking_id", "ordinal", "name", "age", "gender", "berth_preference") values ${rows.join(', ')} returning "id", "ordinal"`,
    values: people.flatMap((person, i) => [
      bookingId,
      i + 1,
      person.name,
      person.age,
      person.gender,
      person.berthPreference,
    ]),
  });
  return result.rows.map((row) => ({ id: Number(row.id), ordinal: row.ordinal }));
}

/** booking-rows.ts's `insertAssignments`: one INSERT, rows in ascending seat id. */
export async function insertAssignmentRows(
  tx: SqlConnection,
  booking: { id: number; journeyId: number },
  placements: ReadonlyArray<{ passengerId: number; seatId: number }>,
  status: SeatAssignmentStatus,
): Promise<void> {
  const sorted = [...placements].sort((a, b) => a.seatId - b.seatId);
  const rows = sorted.map((_, i) => `(default, ${markers(1 + i * 5, 5)}, default, default)`);
  await tx.query({
    name: `tatkal_insert_assignments_${sorted.length}`,
    text: `insert into "seat_assignments" ("id", "booking_id", "passenger_id", "journey_id", "seat_id", "status", "created_at", "updated_at") values ${rows.join(', ')}`,
    values: sorted.flatMap((placement) => [
      booking.id,
      placement.passengerId,
      booking.journeyId,
      placement.seatId,
      status,
    ]),
  });
}
