// After a run: what PostgreSQL says was sold, whether any seat was sold twice (SQL), the booking
// API's own audits of bookings and of the Redis inventory against PostgreSQL, and the room's
// admission log from Redis.
import { auditBookings } from '@tatkal/booking-api/bookings';
import { auditInventory } from '@tatkal/booking-api/inventory';
import { roomKeys } from '@tatkal/waiting-room';
import type { Redis } from 'ioredis';
import type { SurgeWorld } from './world.ts';
import { surgeRoomId } from './world.ts';

export interface RunAudit {
  /** Tatkal seats on sale. */
  seats: number;
  /** Seats with a live assignment (PENDING or CONFIRMED), and of them confirmed. */
  sold: number;
  confirmed: number;
  /** Live assignments beyond one per seat: seats sold more than once. */
  oversold: number;
  bookingViolations: number;
  bookingViolationKinds: string[];
  inventoryMismatches: number;
  /** Epoch ms of the booking that took the last seat, when every seat went. */
  lastSeatAtMs: number | null;
  /** The room's admission log: queue number -> admitted-at epoch ms. */
  admittedAtByNumber: Map<number, number>;
}

export async function auditRun(redis: Redis, world: SurgeWorld): Promise<RunAudit> {
  const pool = world.db.pool;
  const journeyId = world.journeyId;
  const seats = await pool.query<{ n: number }>(
    `select count(*)::int as n from seats where journey_id = $1 and quota = 'TQ'`,
    [journeyId],
  );
  const sold = await pool.query<{ live: number; confirmed: number; seats: number }>(
    `select count(*)::int as live,
            count(*) filter (where status = 'CONFIRMED')::int as confirmed,
            count(distinct seat_id)::int as seats
       from seat_assignments where journey_id = $1 and status in ('PENDING', 'CONFIRMED')`,
    [journeyId],
  );
  const live = sold.rows[0] ?? { live: 0, confirmed: 0, seats: 0 };
  const seatCount = seats.rows[0]?.n ?? 0;
  const last = await pool.query<{ at: Date | null }>(
    `select max(b.created_at) as at from bookings b
      where b.journey_id = $1 and exists (
        select 1 from seat_assignments a where a.booking_id = b.id and a.status in ('PENDING', 'CONFIRMED'))`,
    [journeyId],
  );
  const violations = await auditBookings(world.db.db, journeyId);
  const inventory = await auditInventory(world.db.db, redis, world.prefix, journeyId, Date.now());
  const admitted = await redis.hgetall(roomKeys(world.prefix, surgeRoomId).admitted);
  return {
    seats: seatCount,
    sold: live.seats,
    confirmed: live.confirmed,
    oversold: live.live - live.seats,
    bookingViolations: violations.length,
    bookingViolationKinds: [...new Set(violations.map((v) => v.kind))],
    inventoryMismatches: inventory.mismatches.length + inventory.countMismatches.length,
    lastSeatAtMs: live.seats >= seatCount && last.rows[0]?.at ? last.rows[0].at.getTime() : null,
    admittedAtByNumber: new Map(
      Object.entries(admitted).map(([number, at]) => [Number(number), Number(at)]),
    ),
  };
}
