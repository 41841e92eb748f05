import type pg from 'pg';
import { Counter, Gauge, Histogram, type Registry } from 'prom-client';

export type BookingMetrics = ReturnType<typeof createBookingMetrics>;

/** The booking API's own metrics, on the service's injected registry. */
export function createBookingMetrics(registry: Registry, pool: pg.Pool) {
  let inFlight = 0;
  const metrics = {
    holds: new Counter({
      name: 'tatkal_holds_total',
      help: 'Hold attempts by outcome (held, or the refusal reason)',
      labelNames: ['outcome'] as const,
      registers: [registry],
    }),
    seatConflicts: new Counter({
      name: 'tatkal_seat_conflicts_total',
      help: 'Seats found taken, by the layer that found it (redis_hold, postgres_check, unique_index)',
      labelNames: ['layer'] as const,
      registers: [registry],
    }),
    bookings: new Counter({
      name: 'tatkal_bookings_total',
      help: 'Booking transitions by resulting status',
      labelNames: ['status'] as const,
      registers: [registry],
    }),
    commitDuration: new Histogram({
      name: 'tatkal_booking_commit_duration_seconds',
      help: 'PostgreSQL booking commit latency (FOR UPDATE transaction)',
      buckets: [0.005, 0.01, 0.02, 0.05, 0.1, 0.15, 0.25, 0.5, 1, 2.5, 5, 15],
      registers: [registry],
    }),
    inFlight: {
      inc: () => {
        inFlight += 1;
      },
      dec: () => {
        inFlight -= 1;
      },
      value: () => inFlight,
    },
  };
  new Gauge({
    name: 'tatkal_http_in_flight_requests',
    help: 'Requests being served by this process',
    registers: [registry],
    collect() {
      this.set(inFlight);
    },
  });
  new Gauge({
    name: 'tatkal_db_pool_connections',
    help: 'PostgreSQL pool connections by state',
    labelNames: ['state'] as const,
    registers: [registry],
    collect() {
      this.set({ state: 'total' }, pool.totalCount);
      this.set({ state: 'idle' }, pool.idleCount);
      this.set({ state: 'busy' }, pool.totalCount - pool.idleCount);
      this.set({ state: 'waiting' }, pool.waitingCount);
    },
  });
  return metrics;
}
