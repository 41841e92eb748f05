// Rebuilds a journey's seat inventory in Redis from PostgreSQL, for operators (and the
// reconcile job's manual twin), printing the audit before and after:
//   node booking-api/src/commands/reconcile-inventory.ts --journey ID [--audit-only]
// Reads DATABASE_URL, REDIS_URL and REDIS_KEY_PREFIX. Exits 0 when Redis agrees with
// PostgreSQL at the end, 1 when it does not (under live traffic a booking between its commit
// and its Redis update shows for a moment: run again), 2 on bad usage or configuration.
import { parseArgs } from 'node:util';
import { createDbClient } from '@tatkal/drizzle';
import { baseConfigShape, ConfigError, parseConfig } from '@tatkal/waiting-room/service';
import { Redis } from 'ioredis';
import { auditInventory, type InventoryAudit, rebuildInventory } from '../inventory/index.ts';

const usage = 'usage: reconcile-inventory.ts --journey ID [--audit-only]';
const shownPerList = 50;

function printAudit(label: string, journeyId: number, audit: InventoryAudit): void {
  const { mismatches, countMismatches } = audit;
  console.log(
    `journey ${journeyId}: ${label}: ${mismatches.length} seat mismatches, ${countMismatches.length} counter mismatches`,
  );
  for (const m of mismatches.slice(0, shownPerList)) {
    console.log(`  seat ${m.seatId}: redis ${m.redis}, postgres ${m.postgres}`);
  }
  if (mismatches.length > shownPerList) {
    console.log(`  ... and ${mismatches.length - shownPerList} more seats`);
  }
  for (const c of countMismatches.slice(0, shownPerList)) {
    console.log(`  counter ${c.counter}: redis ${c.redis}, expected ${c.expected}`);
  }
}

const isClean = (audit: InventoryAudit) =>
  audit.mismatches.length === 0 && audit.countMismatches.length === 0;

function parseCommandLine(argv: string[]) {
  return parseArgs({
    args: argv,
    allowPositionals: true,
    options: { journey: { type: 'string' }, 'audit-only': { type: 'boolean', default: false } },
  });
}

async function run(argv: string[]): Promise<number> {
  let parsed: ReturnType<typeof parseCommandLine>;
  try {
    parsed = parseCommandLine(argv);
  } catch (error) {
    console.error(`${(error as Error).message}\n${usage}`);
    return 2;
  }
  const { values, positionals } = parsed;
  const journeyId = Number(values.journey);
  if (positionals.length > 0 || !Number.isSafeInteger(journeyId) || journeyId < 1) {
    console.error(usage);
    return 2;
  }
  // Only the connections: an operator command needs none of the service's secrets.
  const { DATABASE_URL, REDIS_URL, REDIS_KEY_PREFIX } = baseConfigShape;
  const config = parseConfig(
    'reconcile-inventory',
    { DATABASE_URL, REDIS_URL, REDIS_KEY_PREFIX },
    process.env,
  );
  const db = createDbClient({
    url: config.DATABASE_URL,
    poolMax: 2,
    applicationName: 'reconcile-inventory',
  });
  const redis = new Redis(config.REDIS_URL, {
    connectionName: 'reconcile-inventory',
    maxRetriesPerRequest: 1,
  });
  const prefix = config.REDIS_KEY_PREFIX;
  try {
    const before = await auditInventory(db.db, redis, prefix, journeyId, Date.now());
    printAudit('audit before', journeyId, before);
    if (values['audit-only']) return isClean(before) ? 0 : 1;
    const rebuilt = await rebuildInventory(db.db, redis, prefix, journeyId);
    console.log(
      `journey ${journeyId}: rebuilt from PostgreSQL: ${rebuilt.seats} seats, ${rebuilt.sold} sold, ${rebuilt.held} held`,
    );
    const after = await auditInventory(db.db, redis, prefix, journeyId, Date.now());
    printAudit('audit after', journeyId, after);
    return isClean(after) ? 0 : 1;
  } finally {
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
