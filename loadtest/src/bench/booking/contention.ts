// The contention contrast: one crowd of contenders for the same few seats,
// sent once straight at PostgreSQL (createBooking: lock the seat rows FOR
// UPDATE, check, insert; no Redis) and once through the booking flows the
// HTTP routes call (placeHold in Redis first; only hold winners reach
// bookHold and PostgreSQL). Each design gets a fresh journey and a fresh pool
// of the same size; DB transactions are counted at the pool's drizzle handle.
import { once } from 'node:events';
import { createDbClient, type DbClient } from '@tatkal/drizzle';
import { closeRedis, createRedisClient, Problem } from '@tatkal/waiting-room/service';
import type { Cleanup, Progress } from '../cleanup.ts';
import { round } from '../stats.ts';
import {
  auditBookings,
  auditInventory,
  bookHold,
  createBooking,
  ensureInventory,
  placeHold,
  SeatUnavailable,
} from './booking-api.ts';
import { closedLoop, cursor } from './closed-loop.ts';
import { passengers, paymentWindowMs } from './commit-sides.ts';
import { type Attempt, contentionCrowd } from './crowd.ts';
import { percentile, roundOrNull } from './figures.ts';
import { admissionClaims, countTransactions, flowDeps } from './flow-deps.ts';
import { cloneJourneys, verifyBlock } from './journeys.ts';
import { leadingSeatIds } from './layout.ts';

export interface ContentionSettings {
  attempts: number;
  callers: number;
  seats: number;
  seed: number;
  pgClients: number;
}

export interface ContentionSide {
  attempts: number;
  elapsed_s: number;
  attempts_per_s: number;
  p50_ms: number | null;
  p95_ms: number | null;
  /** drizzle transactions opened: each is BEGIN ... COMMIT/ROLLBACK on a pool connection. */
  db_transactions: number;
  bookings: number;
  seats_sold: number;
  refused_by_redis: number;
  refused_by_postgres: number;
  errors: number;
  error_samples: string[];
  /** Seats with more than one live assignment (auditBookings seat_sold_twice). */
  oversold: number;
  audit_violations: number;
  /** auditInventory mismatches (Redis design only). */
  inventory_mismatches: number | null;
}

export interface ContentionReport {
  seats: number;
  attempts: number;
  callers: number;
  pool_connections: number;
  seed: number;
  direct_pg: ContentionSide;
  redis_holds: ContentionSide;
}

interface Tally {
  bookings: number;
  refusedByRedis: number;
  refusedByPostgres: number;
}

export async function measureContention(
  cleanup: Cleanup,
  context: {
    admin: DbClient;
    databaseUrl: string;
    templateJourneyId: number;
    roomId: string;
    redisUrl: string;
    prefix: string;
  },
  settings: ContentionSettings,
  progress: Progress,
): Promise<ContentionReport> {
  const { admin, roomId } = context;
  const block = await cloneJourneys(admin, context.templateJourneyId, 2);
  await verifyBlock(admin, block);
  const crowd = contentionCrowd(settings.attempts, settings.seats, settings.seed);
  const openPool = async (name: string) => {
    const client = createDbClient({
      url: context.databaseUrl,
      poolMax: settings.pgClients,
      applicationName: `tatkal-bench-${name}`,
    });
    const close = cleanup.defer(`${name} pool`, () => client.close());
    // Connections first, so neither design pays for opening them.
    await Promise.all(
      Array.from({ length: settings.pgClients }, () => client.pool.query('select 1')),
    );
    return { client, close, counted: countTransactions(client.db) };
  };

  // Straight at PostgreSQL.
  const directJourney = block.firstJourneyId;
  const directSeats = leadingSeatIds(block, 0, settings.seats);
  const direct = await openPool('contention-direct');
  const directTally: Tally = { bookings: 0, refusedByRedis: 0, refusedByPostgres: 0 };
  let attemptNumber = 0;
  const directLoop = await closedLoop({
    callers: settings.callers,
    durationMs: 300_000,
    next: cursor(crowd),
    run: async (attempt: Attempt) => {
      attemptNumber += 1;
      const id = `direct-${attemptNumber}`;
      try {
        await createBooking(
          { db: direct.counted.db },
          {
            journeyId: directJourney,
            roomId,
            subject: id,
            tokenJti: id,
            classCode: 'SL',
            quota: 'TQ',
            seatIds: attempt.positions.map((position) => directSeats[position] ?? 0),
            holdId: id,
            passengers,
            paymentWindowMs,
            nowMs: Date.now(),
          },
        );
        directTally.bookings += 1;
      } catch (error) {
        if (!(error instanceof SeatUnavailable)) throw error;
        directTally.refusedByPostgres += 1;
      }
    },
  });
  const directTransactions = direct.counted.transactions();
  await direct.close();
  const directSide = await summarise(
    admin,
    directJourney,
    directLoop,
    directTally,
    directTransactions,
  );
  progress(`contention, straight to PostgreSQL: ${describeSide(directSide)}`);

  // Redis holds first, through the flows the HTTP routes call.
  const holdJourney = block.firstJourneyId + 1;
  const holdSeatIds = leadingSeatIds(block, 1, settings.seats);
  const viaRedis = await openPool('contention-redis');
  const redis = createRedisClient({
    url: context.redisUrl,
    connectionName: 'tatkal-bench-contention',
  });
  const closeConnection = cleanup.defer('contention Redis connection', () => closeRedis(redis));
  if (redis.status !== 'ready') await once(redis, 'ready');
  const deps = flowDeps(viaRedis.client, viaRedis.counted.db, redis, context.prefix);
  await ensureInventory(viaRedis.client.db, redis, context.prefix, holdJourney);
  const redisTally: Tally = { bookings: 0, refusedByRedis: 0, refusedByPostgres: 0 };
  const startTransactions = viaRedis.counted.transactions();
  const redisLoop = await closedLoop({
    callers: settings.callers,
    durationMs: 300_000,
    next: cursor(crowd),
    run: async (attempt: Attempt) => {
      attemptNumber += 1;
      const claims = admissionClaims(`redis-${attemptNumber}`, roomId);
      let holdId: string;
      try {
        const hold = await placeHold(deps, claims, {
          journeyId: holdJourney,
          classCode: 'SL',
          quota: 'TQ',
          seatIds: attempt.positions.map((position) => holdSeatIds[position] ?? 0),
        });
        holdId = hold.holdId;
      } catch (error) {
        if (!(error instanceof Problem && error.status === 409)) throw error;
        redisTally.refusedByRedis += 1;
        return;
      }
      try {
        await bookHold(deps, claims, { holdId, passengers });
        redisTally.bookings += 1;
      } catch (error) {
        if (!(error instanceof SeatUnavailable)) throw error;
        redisTally.refusedByPostgres += 1;
      }
    },
  });
  const redisTransactions = viaRedis.counted.transactions() - startTransactions;
  await viaRedis.close();
  const redisSide = await summarise(admin, holdJourney, redisLoop, redisTally, redisTransactions);
  const inventory = await auditInventory(admin.db, redis, context.prefix, holdJourney, Date.now());
  redisSide.inventory_mismatches = inventory.mismatches.length + inventory.countMismatches.length;
  await closeConnection();
  progress(`contention, Redis holds first: ${describeSide(redisSide)}`);

  return {
    seats: settings.seats,
    attempts: settings.attempts,
    callers: settings.callers,
    pool_connections: settings.pgClients,
    seed: settings.seed,
    direct_pg: directSide,
    redis_holds: redisSide,
  };
}

async function summarise(
  admin: DbClient,
  journeyId: number,
  loop: Awaited<ReturnType<typeof closedLoop>>,
  tally: Tally,
  transactions: number,
): Promise<ContentionSide> {
  const { rows } = await admin.pool.query<{ sold: number }>(
    `select count(*)::int as sold from seat_assignments
      where journey_id = $1 and status in ('PENDING', 'CONFIRMED')`,
    [journeyId],
  );
  const violations = await auditBookings(admin.db, journeyId);
  const attempts = loop.ops + loop.failures;
  return {
    attempts,
    elapsed_s: round(loop.elapsedMs / 1000, 2),
    attempts_per_s: loop.elapsedMs > 0 ? round(attempts / (loop.elapsedMs / 1000)) : 0,
    p50_ms: roundOrNull(percentile(loop.latenciesMs, 50)),
    p95_ms: roundOrNull(percentile(loop.latenciesMs, 95)),
    db_transactions: transactions,
    bookings: tally.bookings,
    seats_sold: rows[0]?.sold ?? 0,
    refused_by_redis: tally.refusedByRedis,
    refused_by_postgres: tally.refusedByPostgres,
    errors: loop.failures,
    error_samples: loop.failureSamples,
    oversold: violations.filter((violation) => violation.kind === 'seat_sold_twice').length,
    audit_violations: violations.length,
    inventory_mismatches: null,
  };
}

function describeSide(side: ContentionSide): string {
  return (
    `${side.attempts} attempts in ${side.elapsed_s} s (${side.attempts_per_s}/s), p95 ${side.p95_ms} ms, ` +
    `${side.db_transactions} DB transactions, ${side.seats_sold} seats sold, ${side.oversold} oversold, ` +
    `${side.errors} errors`
  );
}
