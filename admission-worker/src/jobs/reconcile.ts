// Reconciles one journey's Redis inventory from PostgreSQL now, printing the audit before and
// after (the scheduled reconcile's manual twin):
//   node admission-worker/src/jobs/reconcile.ts --journey ID [--audit-only] [--force]
// Seats whose return to the waitlist was cut short go to the waitlist first. Reads
// DATABASE_URL, REDIS_URL, REDIS_KEY_PREFIX and PAYMENT_WINDOW_MS (for promoted bookings).
// Exits 0 when Redis agrees with PostgreSQL at the end, 1 when it does not (a booking between
// its commit and its Redis update shows for a moment: run again), 2 on bad usage or config.
import { parseArgs } from 'node:util';
import { auditInventory, type InventoryAudit } from '@tatkal/booking-api/inventory';
import { createDbClient } from '@tatkal/drizzle';
import {
  baseConfigShape,
  ConfigError,
  createLogger,
  parseConfig,
} from '@tatkal/waiting-room/service';
import { Redis } from 'ioredis';
import { Registry } from 'prom-client';
import { z } from 'zod';
import { createJobDeps } from './index.ts';
import { isClean, reconcileJourney } from './reconcile-inventory.ts';

const usage = 'usage: reconcile.ts --journey ID [--audit-only] [--force]';
const shown = 50;

function printAudit(label: string, journeyId: number, audit: InventoryAudit): void {
  const { mismatches, countMismatches } = audit;
  console.log(
    `journey ${journeyId}: ${label}: ${mismatches.length} seat mismatches, ${countMismatches.length} counter mismatches`,
  );
  for (const m of mismatches.slice(0, shown)) {
    console.log(`  seat ${m.seatId}: redis ${m.redis}, postgres ${m.postgres}`);
  }
  if (mismatches.length > shown) console.log(`  ... and ${mismatches.length - shown} more seats`);
  for (const c of countMismatches.slice(0, shown)) {
    console.log(`  counter ${c.counter}: redis ${c.redis}, expected ${c.expected}`);
  }
}

function parseCommandLine(argv: string[]) {
  return parseArgs({
    args: argv,
    options: {
      journey: { type: 'string' },
      'audit-only': { type: 'boolean', default: false },
      force: { type: 'boolean', default: false },
    },
  });
}

async function run(argv: string[]): Promise<number> {
  let values: ReturnType<typeof parseCommandLine>['values'];
  try {
    values = parseCommandLine(argv).values;
  } catch (error) {
    console.error(`${(error as Error).message}\n${usage}`);
    return 2;
  }
  const journeyId = Number(values.journey);
  if (!/^[1-9][0-9]{0,9}$/.test(values.journey ?? '') || !Number.isSafeInteger(journeyId)) {
    console.error(usage);
    return 2;
  }
  const { DATABASE_URL, REDIS_URL, REDIS_KEY_PREFIX } = baseConfigShape;
  const config = parseConfig(
    'reconcile',
    {
      DATABASE_URL,
      REDIS_URL,
      REDIS_KEY_PREFIX,
      PAYMENT_WINDOW_MS: z.coerce.number().int().min(1_000).max(86_400_000).default(600_000),
    },
    process.env,
  );
  const db = createDbClient({ url: config.DATABASE_URL, poolMax: 2, applicationName: 'reconcile' });
  const redis = new Redis(config.REDIS_URL, {
    connectionName: 'reconcile',
    maxRetriesPerRequest: 1,
  });
  const { jobDeps, close } = createJobDeps(
    {
      db,
      redis,
      prefix: config.REDIS_KEY_PREFIX,
      logger: createLogger('reconcile', 'warn'),
      registry: new Registry(),
    },
    { paymentWindowMs: config.PAYMENT_WINDOW_MS },
  );
  try {
    if (values['audit-only']) {
      const audit = await auditInventory(db.db, redis, jobDeps.prefix, journeyId, Date.now());
      printAudit('audit', journeyId, audit);
      return isClean(audit) ? 0 : 1;
    }
    const outcome = await reconcileJourney(jobDeps, journeyId, { force: values.force });
    printAudit('audit before', journeyId, outcome.before);
    if (outcome.promoted > 0) {
      console.log(`journey ${journeyId}: ${outcome.promoted} waitlisted bookings promoted first`);
    }
    if (outcome.rebuilt) {
      const { seats, sold, held } = outcome.rebuilt;
      console.log(
        `journey ${journeyId}: rebuilt from PostgreSQL: ${seats} seats, ${sold} sold, ${held} held`,
      );
      printAudit('audit after', journeyId, outcome.after);
    } else {
      console.log(`journey ${journeyId}: Redis agrees with PostgreSQL; nothing rebuilt`);
    }
    return isClean(outcome.after) ? 0 : 1;
  } finally {
    await close();
    await redis.quit().catch(() => redis.disconnect());
    await db.close();
  }
}

try {
  process.exitCode = await run(process.argv.slice(2));
} catch (error) {
  if (error instanceof ConfigError) {
    console.error(error.message);
    process.exitCode = 2;
  } else {
    console.error(error);
    process.exitCode = 1;
  }
}
