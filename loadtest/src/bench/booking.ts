// `pnpm bench:booking`: the booking API's hold and commit throughput, each a
// ratio against a baseline measured in this run on this machine (a trivial
// Redis script; pgbench sending the same SQL), latency percentiles, an audit
// that no seat was sold twice, and a contention contrast (DESIGN.md §8).
// Progress goes to stderr, then a table; the last stdout line is one JSON
// object. Everything it creates (database, Redis keys, files, processes) is
// removed, also on failure, and the whole run is bounded by BENCH_TIMEOUT_S.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { type DbClient, seedDemoSale } from '@tatkal/drizzle';
import { auditBookings } from './booking/booking-api.ts';
import { measureCommits } from './booking/commits.ts';
import { measureContention } from './booking/contention.ts';
import { measureHolds } from './booking/holds.ts';
import { addBenchRoom } from './booking/journeys.ts';
import { bookingBenchOptions } from './booking/options.ts';
import { type BookingResults, reportJson, reportTable } from './booking/report.ts';
import { Cleanup, progress } from './cleanup.ts';
import { createWorld } from './fixture.ts';
import { benchLifecycle } from './lifecycle.ts';
import { benchOptions } from './options.ts';

const options = bookingBenchOptions(process.env);
const cleanup = new Cleanup();
const results: BookingResults = {
  machine: {
    cpus: availableParallelism(),
    node: process.version,
    platform: `${process.platform}-${process.arch}`,
    postgres: null,
    redis: null,
    pgbench: null,
  },
  durationS: options.durationS,
  warmupS: options.warmupS,
  rounds: options.rounds,
  holdCallers: options.holdCallers,
  pgClients: options.pgClients,
  holds: null,
  commits: null,
  contention: null,
  audit: null,
  errors: [],
  elapsedS: 0,
};

const { phase, run } = benchLifecycle({
  results,
  cleanup,
  timeoutS: options.timeoutS,
  table: reportTable,
  json: reportJson,
});

/** pgbench from BENCH_PGBENCH, the PATH, or PostgreSQL's own bin folder. */
function findPgbench(): string {
  const candidates = [
    options.pgbenchPath,
    ...(process.env.PATH ?? '').split(':').map((folder) => `${folder}/pgbench`),
    '/usr/lib/postgresql/15/bin/pgbench',
  ].filter((path) => path !== '' && existsSync(path));
  const found = candidates[0];
  if (!found) throw new Error('pgbench not found: set BENCH_PGBENCH or install postgresql-client');
  return found;
}

async function auditJourneys(admin: DbClient, journeyIds: readonly number[]): Promise<void> {
  const audit = {
    journeys: journeyIds.length,
    oversold: 0,
    violations: 0,
    samples: [] as string[],
  };
  for (const journeyId of journeyIds) {
    for (const violation of await auditBookings(admin.db, journeyId)) {
      audit.violations += 1;
      if (violation.kind === 'seat_sold_twice') audit.oversold += 1;
      if (audit.samples.length < 5) {
        audit.samples.push(`journey ${journeyId}: ${violation.kind} ${violation.detail}`);
      }
    }
  }
  results.audit = audit;
}

async function main(): Promise<void> {
  const pgbenchPath = findPgbench();
  results.machine.pgbench = spawnSync(pgbenchPath, ['--version'], {
    encoding: 'utf8',
  }).stdout.trim();
  const world = await createWorld(cleanup, {
    ...benchOptions({}),
    pgAdminUrl: options.pgAdminUrl,
    redisUrl: options.redisUrl,
  });
  const seeded = await seedDemoSale(world.db.db);
  const templateJourneyId = seeded.journey.id;
  const roomId = await addBenchRoom(world.db);
  const version = await world.db.pool.query<{ server_version: string }>('show server_version');
  results.machine.postgres = version.rows[0]?.server_version ?? null;
  results.machine.redis =
    /^redis_version:(\S+)/m.exec(await world.redis.info('server'))?.[1] ?? null;
  progress(
    `journey ${templateJourneyId} seeded; ${options.rounds} x ${options.durationS} s per side, ` +
      `${options.holdCallers} hold callers, ${options.pgClients} PostgreSQL clients`,
  );

  const bookedJourneys: number[] = [];
  if (options.phases.has('holds')) {
    await phase('hold throughput', async () => {
      results.holds = await measureHolds(
        cleanup,
        {
          db: world.db,
          redisUrl: options.redisUrl,
          probe: world.redis,
          prefix: world.newPrefix('bk'),
          journeyId: templateJourneyId,
        },
        {
          callers: options.holdCallers,
          inventories: options.holdInventories,
          durationS: options.durationS,
          warmupS: options.warmupS,
          rounds: options.rounds,
        },
        progress,
      );
    });
  }
  if (options.phases.has('commits')) {
    await phase('commit throughput', async () => {
      results.commits = await measureCommits(
        cleanup,
        { admin: world.db, databaseUrl: world.databaseUrl, templateJourneyId, roomId },
        {
          clients: options.pgClients,
          journeys: options.commitJourneys,
          durationS: options.durationS,
          warmupS: options.warmupS,
          rounds: options.rounds,
          pgbenchPath,
          scratchDir: world.scratchDir,
        },
        progress,
      );
      const { block } = results.commits;
      for (let i = 0; i < block.journeys; i += 1) bookedJourneys.push(block.firstJourneyId + i);
    });
  }
  if (options.phases.has('contention')) {
    await phase('contention contrast', async () => {
      results.contention = await measureContention(
        cleanup,
        {
          admin: world.db,
          databaseUrl: world.databaseUrl,
          templateJourneyId,
          roomId,
          redisUrl: options.redisUrl,
          prefix: world.newPrefix('bkc'),
        },
        {
          attempts: options.contentionAttempts,
          callers: options.contentionCallers,
          seats: options.contentionSeats,
          seed: options.contentionSeed,
          pgClients: options.pgClients,
        },
        progress,
      );
    });
  }
  await phase(`audit of ${bookedJourneys.length + 1} journeys`, () =>
    auditJourneys(world.db, [templateJourneyId, ...bookedJourneys]),
  );
}

await run(main);
