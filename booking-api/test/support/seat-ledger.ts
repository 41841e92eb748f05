// The seat ledger read straight from PostgreSQL with plain SQL, independent of
// auditBookings: which seats have more than one live assignment, which
// CONFIRMED bookings do not hold exactly one confirmed seat per passenger, and
// every booking's status and live seats, to compare with what the API told
// its clients.
import type pg from 'pg';

type Queryable = Pick<pg.Pool | pg.PoolClient, 'query'>;

export interface SeatLedger {
  /** Seats with two or more live (PENDING or CONFIRMED) assignments. */
  soldTwice: Array<{ seatId: number; bookingIds: number[] }>;
  /** CONFIRMED bookings whose seats are not exactly one CONFIRMED seat per passenger. */
  confirmedMismatch: Array<{
    bookingId: number;
    passengers: number;
    confirmedSeats: number;
    pendingSeats: number;
  }>;
  /** Every booking of the journey by PNR: status and live seat ids (sorted). */
  bookings: Map<string, { bookingId: number; status: string; liveSeatIds: number[] }>;
}

export async function readSeatLedger(db: Queryable, journeyId: number): Promise<SeatLedger> {
  const twice = await db.query<{ seat_id: string; booking_ids: string[] }>(
    `select seat_id, array_agg(booking_id::text order by booking_id) as booking_ids
       from seat_assignments
      where journey_id = $1 and status in ('PENDING', 'CONFIRMED')
      group by seat_id having count(*) > 1`,
    [journeyId],
  );
  const mismatch = await db.query<{
    id: string;
    passengers: string;
    confirmed: string;
    pending: string;
  }>(
    `select b.id,
            (select count(*) from passengers p where p.booking_id = b.id) as passengers,
            (select count(distinct a.seat_id) from seat_assignments a
              where a.booking_id = b.id and a.status = 'CONFIRMED') as confirmed,
            (select count(*) from seat_assignments a
              where a.booking_id = b.id and a.status = 'PENDING') as pending
       from bookings b
      where b.journey_id = $1 and b.status = 'CONFIRMED'`,
    [journeyId],
  );
  const all = await db.query<{ id: string; pnr: string; status: string; seats: string[] }>(
    `select b.id, b.pnr, b.status,
            coalesce(array_agg(a.seat_id::text order by a.seat_id)
                       filter (where a.status in ('PENDING', 'CONFIRMED')), '{}') as seats
       from bookings b left join seat_assignments a on a.booking_id = b.id
      where b.journey_id = $1
      group by b.id`,
    [journeyId],
  );
  return {
    soldTwice: twice.rows.map((row) => ({
      seatId: Number(row.seat_id),
      bookingIds: row.booking_ids.map(Number),
    })),
    confirmedMismatch: mismatch.rows
      .map((row) => ({
        bookingId: Number(row.id),
        passengers: Number(row.passengers),
        confirmedSeats: Number(row.confirmed),
        pendingSeats: Number(row.pending),
      }))
      .filter((row) => row.confirmedSeats !== row.passengers || row.pendingSeats > 0),
    bookings: new Map(
      all.rows.map((row) => [
        row.pnr,
        { bookingId: Number(row.id), status: row.status, liveSeatIds: row.seats.map(Number) },
      ]),
    ),
  };
}
