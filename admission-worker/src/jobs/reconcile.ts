// Reconciles one journey's Redis inventory from PostgreSQL now, printing the audit before and
// after (the scheduled reconcile's manual twin):
//   node admission-worker/src/jobs/reconcile.ts --journey ID [--audit-only] [--force]
// Seats whose return to the waitlist was cut short go to the waitlist first. Reads
// DATABASE_URL, REDIS_URL, REDIS_KEY_PREFIX and PAYMENT_WINDOW_SECONDS (as the booking API
// does; a promoted booking gets that long to pay).
// Exits 0 when Redis agrees with PostgreSQL at the end, 1 when it does not (a booking between
// its commit and its Redis update shows for a moment: run again), 2 on bad usage or config.
import { parseArgs } from 'node:util';

const usage = 'usage: reconcile.ts --journey ID [--audit-only] [--force]';

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
  const { runReconcile } = await import('./reconcile-command.ts');
  return runReconcile(journeyId, { auditOnly: values['audit-only'], force: values.force });
}

try {
  process.exitCode = await run(process.argv.slice(2));
} catch (error) {
  // A configuration error names the bad variable; anything else is unexpected.
  const { ConfigError } = await import('@tatkal/waiting-room/service');
  if (error instanceof ConfigError) {
    console.error(error.message);
    process.exitCode = 2;
  } else {
    console.error(error);
    process.exitCode = 1;
  }
}
