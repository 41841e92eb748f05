// Shared helpers for the drizzle package's integration tests. Each test file
// runs against its own database, cloned from the migrated template.
import { randomInt } from 'node:crypto';
import { createDbClient, type DbClient } from '../../src/client.ts';
import type { BookingStatus, ClassCode, Quota } from '../../src/schema/index.ts';
import { bookings, passengers } from '../../src/schema/index.ts';

/** Call inside beforeAll: the setup file sets DATABASE_URL in its own beforeAll. */
export function openTestDb(poolMax = 5): DbClient {
  const url = process.env.DATABASE_URL;
  if (!url) throw new Error('DATABASE_URL is not set; run through the vitest integration project');
  return createDbClient({ url, poolMax, applicationName: 'tatkal-drizzle-test' });
}

export interface PgErrorFields {
  code: string | undefined;
  constraint: string | undefined;
}

/** The PostgreSQL error behind a failure, unwrapping drizzle's DrizzleQueryError. */
export function pgErrorOf(error: unknown): PgErrorFields {
  const cause = (error as { cause?: unknown }).cause;
  const pgError = (cause ?? error) as { code?: string; constraint?: string };
  return { code: pgError.code, constraint: pgError.constraint };
}

/** Awaits a promise that must fail, and returns the PostgreSQL error fields. */
export async function refusal(promise: Promise<unknown>): Promise<PgErrorFields> {
  try {
    await promise;
  } catch (error) {
    return pgErrorOf(error);
  }
  throw new Error('expected PostgreSQL to refuse the statement, but it succeeded');
}

let pnrCounter = randomInt(1_000_000);

/** A PNR no other booking in this file has. */
export function nextPnr(): string {
  pnrCounter += 1;
  return String(4_000_000_000 + pnrCounter);
}

export interface BookingFixture {
  journeyId: number;
  classCode?: ClassCode;
  quota?: Quota;
  status?: BookingStatus;
}

/** A booking with one passenger, ready to be given seats. */
export async function createBookingWithPassenger(
  db: DbClient['db'],
  { journeyId, classCode = 'SL', quota = 'TQ', status = 'PENDING_PAYMENT' }: BookingFixture,
): Promise<{ bookingId: number; passengerId: number }> {
  const [booking] = await db
    .insert(bookings)
    .values({
      pnr: nextPnr(),
      journeyId,
      subject: `visitor-${pnrCounter}`,
      classCode,
      quota,
      status,
      baseFarePaise: 64_500,
      tatkalChargePaise: quota === 'GN' ? 0 : 19_350,
      totalPaise: quota === 'GN' ? 64_500 : 83_850,
      expiresAt: new Date(Date.now() + 600_000),
    })
    .returning({ id: bookings.id });
  if (!booking) throw new Error('booking insert returned no row');
  const [passenger] = await db
    .insert(passengers)
    .values({ bookingId: booking.id, ordinal: 1, name: 'Asha Verma', age: 34, gender: 'F' })
    .returning({ id: passengers.id });
  if (!passenger) throw new Error('passenger insert returned no row');
  return { bookingId: booking.id, passengerId: passenger.id };
}
