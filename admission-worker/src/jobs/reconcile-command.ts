// The reconcile command's work, loaded only once the command line is valid (the entry point,
// reconcile.ts, answers bad usage without loading the database and Redis clients).
import { auditInventory, type InventoryAudit } from '@tatkal/booking-api/inventory';
import { createDbClient } from '@tatkal/drizzle';
import { baseConfigShape, createLogger, parseConfig } from '@tatkal/waiting-room/service';
import { Redis } from 'ioredis';
import { Registry } from 'prom-client';
import { z } from 'zod';
import { createJobDeps } from './index.ts';
import { isClean, reconcileJourney } from './reconcile-inventory.ts';

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

export async function runReconcile(
  journeyId: number,
  flags: { auditOnly: boolean; force: boolean },
): Promise<number> {
  const { DATABASE_URL, REDIS_URL, REDIS_KEY_PREFIX } = baseConfigShape;
  const config = parseConfig(
    'reconcile',
    {
      DATABASE_URL,
      REDIS_URL,
      REDIS_KEY_PREFIX,
      PAYMENT_WINDOW_SECONDS: z.coerce.number().int().min(30).max(3_600).default(600),
    },
    process.env,
  );
  const db = createDbClient({ url: config.DATABASE_URL, poolMax: 2, applicationName: 'reconcile' });
  const redis = new Redis(config.REDIS_URL, {
    connectionName: 'reconcile',
    maxRetriesPerRequest: 1,
  });
  try {
    if (flags.auditOnly) {
      const audit = await auditInventory(
        db.db,
        redis,
        config.REDIS_KEY_PREFIX,
        journeyId,
        Date.now(),
      );
      printAudit('audit', journeyId, audit);
      return isClean(audit) ? 0 : 1;
    }
    // Promotions schedule their expiry on the booking API's queue, so only this path needs it.
    const { jobDeps, close } = createJobDeps(
      {
        db,
        redis,
        prefix: config.REDIS_KEY_PREFIX,
        logger: createLogger('reconcile', 'warn'),
        registry: new Registry(),
      },
      { paymentWindowMs: config.PAYMENT_WINDOW_SECONDS * 1000 },
    );
    try {
      const outcome = await reconcileJourney(jobDeps, journeyId, { force: flags.force });
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
    }
  } finally {
    await redis.quit().catch(() => redis.disconnect());
    await db.close();
  }
}
