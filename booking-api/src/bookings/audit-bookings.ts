// The SQL audit run after every concurrency test (and available to operators):
// it re-derives the invariants from the rows alone, so it catches an oversell
// whatever layer let it through.
import { sql } from 'drizzle-orm';
import type { Executor } from '../domain/index.ts';

export type ViolationKind =
  | 'seat_sold_twice'
  | 'confirmed_seats_mismatch'
  | 'pending_seats_mismatch'
  | 'pending_assignment_on_settled_booking'
  | 'confirmed_assignment_on_unconfirmed_booking'
  | 'seat_outside_booking_class'
  | 'total_mismatch'
  | 'base_fare_mismatch'
  | 'confirmed_without_payment';

export interface Violation {
  kind: ViolationKind;
  bookingId: number | null;
  seatId: number | null;
  detail: string;
}

// Each check selects (booking_id, seat_id, detail) rows that break one rule.
const checks: Record<ViolationKind, (journeyId: number) => ReturnType<typeof sql>> = {
  seat_sold_twice: (j) => sql`
    select null::bigint as booking_id, seat_id,
           count(*) || ' live assignments: bookings ' || string_agg(booking_id::text, ',' order by booking_id) as detail
      from seat_assignments
     where journey_id = ${j} and status in ('PENDING', 'CONFIRMED')
     group by seat_id having count(*) > 1`,
  // A confirmed booking holds exactly one confirmed seat per passenger and nothing else live.
  confirmed_seats_mismatch: (j) => sql`
    select b.id, null::bigint, format('%s passengers, %s confirmed seats for %s passengers, %s pending',
             (select count(*) from passengers p where p.booking_id = b.id),
             count(a.id) filter (where a.status = 'CONFIRMED'),
             count(distinct a.passenger_id) filter (where a.status = 'CONFIRMED'),
             count(a.id) filter (where a.status = 'PENDING'))
      from bookings b left join seat_assignments a on a.booking_id = b.id
     where b.journey_id = ${j} and b.status = 'CONFIRMED'
     group by b.id
    having count(a.id) filter (where a.status = 'CONFIRMED') <> (select count(*) from passengers p where p.booking_id = b.id)
        or count(distinct a.passenger_id) filter (where a.status = 'CONFIRMED') <> (select count(*) from passengers p where p.booking_id = b.id)
        or count(a.id) filter (where a.status = 'PENDING') > 0`,
  pending_seats_mismatch: (j) => sql`
    select b.id, null::bigint, format('%s passengers, %s pending seats',
             (select count(*) from passengers p where p.booking_id = b.id),
             count(a.id) filter (where a.status = 'PENDING'))
      from bookings b left join seat_assignments a on a.booking_id = b.id
     where b.journey_id = ${j} and b.status = 'PENDING_PAYMENT'
     group by b.id
    having count(a.id) filter (where a.status = 'PENDING') <> (select count(*) from passengers p where p.booking_id = b.id)
        or count(distinct a.passenger_id) filter (where a.status = 'PENDING') <> (select count(*) from passengers p where p.booking_id = b.id)
        or count(a.id) filter (where a.status = 'CONFIRMED') > 0`,
  pending_assignment_on_settled_booking: (j) => sql`
    select a.booking_id, a.seat_id, 'PENDING seat on a ' || b.status || ' booking'
      from seat_assignments a join bookings b on b.id = a.booking_id
     where a.journey_id = ${j} and a.status = 'PENDING' and b.status <> 'PENDING_PAYMENT'`,
  confirmed_assignment_on_unconfirmed_booking: (j) => sql`
    select a.booking_id, a.seat_id, 'CONFIRMED seat on a ' || b.status || ' booking'
      from seat_assignments a join bookings b on b.id = a.booking_id
     where a.journey_id = ${j} and a.status = 'CONFIRMED' and b.status <> 'CONFIRMED'`,
  seat_outside_booking_class: (j) => sql`
    select a.booking_id, a.seat_id,
           format('seat is %s/%s, booking is %s/%s', s.class_code, s.quota, b.class_code, b.quota)
      from seat_assignments a
      join bookings b on b.id = a.booking_id
      join seats s on s.id = a.seat_id
     where a.journey_id = ${j} and (s.class_code <> b.class_code or s.quota <> b.quota)`,
  total_mismatch: (j) => sql`
    select id, null::bigint, format('total %s <> %s + %s + %s', total_paise, base_fare_paise,
             tatkal_charge_paise, premium_surcharge_paise)
      from bookings
     where journey_id = ${j}
       and total_paise <> base_fare_paise + tatkal_charge_paise + premium_surcharge_paise`,
  base_fare_mismatch: (j) => sql`
    select b.id, null::bigint, format('base %s <> %s x %s passengers', b.base_fare_paise,
             f.base_fare_paise, (select count(*) from passengers p where p.booking_id = b.id))
      from bookings b
      join journeys jo on jo.id = b.journey_id
      join fares f on f.train_number = jo.train_number and f.class_code = b.class_code
     where b.journey_id = ${j}
       and b.base_fare_paise <> f.base_fare_paise * (select count(*) from passengers p where p.booking_id = b.id)`,
  confirmed_without_payment: (j) => sql`
    select b.id, null::bigint, 'no succeeded payment of ' || b.total_paise || ' paise'
      from bookings b
     where b.journey_id = ${j} and b.status = 'CONFIRMED'
       and not exists (select 1 from payments p where p.booking_id = b.id
                          and p.status = 'SUCCEEDED' and p.amount_paise = b.total_paise)`,
};

/** Every rule the journey's bookings break; an empty list means the books balance. */
export async function auditBookings(db: Executor, journeyId: number): Promise<Violation[]> {
  const violations: Violation[] = [];
  for (const [kind, check] of Object.entries(checks) as Array<
    [ViolationKind, typeof checks.seat_sold_twice]
  >) {
    const result = await db.execute<{
      booking_id: string | null;
      seat_id: string | null;
      detail: string;
    }>(sql`select q.* from (${check(journeyId)}) as q(booking_id, seat_id, detail)`);
    for (const row of result.rows) {
      violations.push({
        kind,
        bookingId: row.booking_id === null ? null : Number(row.booking_id),
        seatId: row.seat_id === null ? null : Number(row.seat_id),
        detail: row.detail,
      });
    }
  }
  return violations;
}
