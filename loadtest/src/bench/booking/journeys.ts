// The bench's journeys in its throwaway database: clones of the seeded journey
// laid out so a booking's seats are arithmetic (layout.ts), a room that sells
// any of them, and the reset that frees their seats between runs.
import { type DbClient, rooms } from '@tatkal/drizzle';
import type { JourneyBlock } from './layout.ts';

export const benchRoomId = 'bench-booking';

/** A room open for the next two hours that sells sleeper Tatkal on every journey. */
export async function addBenchRoom(client: DbClient): Promise<string> {
  const nowMs = Date.now();
  await client.db.insert(rooms).values({
    id: benchRoomId,
    name: 'Booking bench',
    journeyId: null,
    classCodes: ['SL'],
    quotas: ['TQ'],
    status: 'open',
    prequeueOpensAt: new Date(nowMs - 120_000),
    saleOpensAt: new Date(nowMs - 60_000),
    closesAt: new Date(nowMs + 2 * 3_600_000),
  });
  return benchRoomId;
}

/**
 * `count` copies of `templateJourneyId` on later dates, with consecutive
 * journey ids and, per journey, the template's seats at consecutive ids:
 * sleeper Tatkal first, then the rest, each in the template's id order.
 */
export async function cloneJourneys(
  client: DbClient,
  templateJourneyId: number,
  count: number,
): Promise<JourneyBlock> {
  const connection = await client.pool.connect();
  let block: JourneyBlock;
  try {
    await connection.query('begin');
    const { rows } = await connection.query<{
      next_journey: number;
      next_seat: string;
      seats: number;
      leading: number;
    }>(
      `select (select coalesce(max(id), 0) + 1 from journeys)::int as next_journey,
              (select coalesce(max(id), 0) + 1 from seats)::text as next_seat,
              count(*)::int as seats,
              (count(*) filter (where class_code = 'SL' and quota = 'TQ'))::int as leading
         from seats where journey_id = $1`,
      [templateJourneyId],
    );
    const shape = rows[0];
    if (!shape || shape.seats === 0) throw new Error(`journey ${templateJourneyId} has no seats`);
    block = {
      firstJourneyId: shape.next_journey,
      journeys: count,
      firstSeatId: Number(shape.next_seat),
      seatsPerJourney: shape.seats,
      leadingSeats: shape.leading,
    };
    // Dates far past the seed's (1000 days + the new id) keep (train, date) unique.
    await connection.query(
      `insert into journeys (id, train_number, travel_date, departs_at) overriding system value
       select $2::int + n - 1, j.train_number, j.travel_date + (1000 + $2::int + n - 1),
              j.departs_at + make_interval(days => 1000 + $2::int + n - 1)
         from journeys j, generate_series(1, $3::int) n
        where j.id = $1`,
      [templateJourneyId, block.firstJourneyId, count],
    );
    await connection.query(
      `insert into seats (id, journey_id, train_number, coach_id, class_code, berth_number, berth_type, quota)
       overriding system value
       select $3::bigint + (n - 1) * $5::int + s.pos, $2::int + n - 1,
              s.train_number, s.coach_id, s.class_code, s.berth_number, s.berth_type, s.quota
         from generate_series(1, $4::int) n,
              (select t.*, row_number() over (
                        order by (t.class_code = 'SL' and t.quota = 'TQ') desc, t.id) - 1 as pos
                 from seats t where t.journey_id = $1) s`,
      [templateJourneyId, block.firstJourneyId, block.firstSeatId, count, block.seatsPerJourney],
    );
    for (const table of ['journeys', 'seats']) {
      await connection.query(
        `select setval(pg_get_serial_sequence('${table}', 'id'), (select max(id) from ${table}))`,
      );
    }
    await connection.query('commit');
  } catch (error) {
    await connection.query('rollback').catch(() => undefined);
    throw error;
  } finally {
    connection.release();
  }
  await client.pool.query('analyze journeys, seats');
  return block;
}

/** Checks the arithmetic of layout.ts against the rows (first and last journey). */
export async function verifyBlock(client: DbClient, block: JourneyBlock): Promise<void> {
  for (const journeyIndex of [0, block.journeys - 1]) {
    const journeyId = block.firstJourneyId + journeyIndex;
    const first = block.firstSeatId + journeyIndex * block.seatsPerJourney;
    // Named seat_id: `order by id` must sort the bigint, not its text.
    const { rows } = await client.pool.query<{ seat_id: string; sl_tq: boolean }>(
      `select id::text as seat_id, (class_code = 'SL' and quota = 'TQ') as sl_tq
         from seats where journey_id = $1 order by id`,
      [journeyId],
    );
    const bad = rows.findIndex(
      (row, i) => Number(row.seat_id) !== first + i || row.sl_tq !== i < block.leadingSeats,
    );
    if (rows.length !== block.seatsPerJourney || bad >= 0) {
      throw new Error(`journey ${journeyId}'s seats are not laid out as expected (row ${bad})`);
    }
  }
}

/**
 * Frees every seat the runs booked on the block (assignments and bookings
 * cancelled, as cancelBooking leaves them), then vacuums and checkpoints, so
 * each run starts from the same tables whichever side ran before it.
 */
export async function freeBlock(client: DbClient, block: JourneyBlock): Promise<number> {
  const range = [block.firstJourneyId, block.firstJourneyId + block.journeys - 1];
  const freed = await client.pool.query(
    `update seat_assignments set status = 'CANCELLED', updated_at = now()
      where journey_id between $1 and $2 and status in ('PENDING', 'CONFIRMED')`,
    range,
  );
  await client.pool.query(
    `update bookings set status = 'CANCELLED', cancelled_at = now(), updated_at = now()
      where journey_id between $1 and $2 and status in ('PENDING_PAYMENT', 'CONFIRMED')`,
    range,
  );
  await client.pool.query('vacuum (analyze) bookings, passengers, seat_assignments');
  await client.pool.query('checkpoint');
  return freed.rowCount ?? 0;
}

/** The template journey's seats in two-seat pairs of one class and quota (for named holds). */
export async function seatPairs(client: DbClient, journeyId: number): Promise<number[][]> {
  const { rows } = await client.pool.query<{ seat_id: string; pool: string }>(
    `select id::text as seat_id, class_code || '|' || quota as pool
       from seats where journey_id = $1 order by class_code, quota, id`,
    [journeyId],
  );
  const pairs: number[][] = [];
  for (let i = 0; i + 1 < rows.length; i += 1) {
    const a = rows[i];
    const b = rows[i + 1];
    if (a && b && a.pool === b.pool) {
      pairs.push([Number(a.seat_id), Number(b.seat_id)]);
      i += 1;
    }
  }
  return pairs;
}
