// Commit throughput: createBooking (a two-passenger sleeper Tatkal booking
// through a room, each on two seats nobody has) from as many callers as the
// pool has connections, against pgbench sending the same statements with as
// many clients, and node-postgres sending them too (where the gap comes
// from). Runs rotate pgbench, node-postgres, createBooking; between runs every
// seat of the block is freed and the tables vacuumed and checkpointed.
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createDbClient, type DbClient } from '@tatkal/drizzle';
import type { Cleanup, Progress } from '../cleanup.ts';
import { createBooking } from './booking-api.ts';
import {
  bookingInput,
  createBookingRun,
  nodePostgresRun,
  passengers,
  paymentWindowMs,
  pgbenchRun,
  type SideContext,
} from './commit-sides.ts';
import { describeRun, type RatePair, type RateRun, summariseRates } from './figures.ts';
import { cloneJourneys, freeBlock, verifyBlock } from './journeys.ts';
import { blockCapacity, type JourneyBlock, pairsPerJourney } from './layout.ts';
import { type CommitConstants, commitScript, scriptStatements } from './pgbench-script.ts';

export interface CommitSettings {
  clients: number;
  journeys: number;
  durationS: number;
  warmupS: number;
  rounds: number;
  pgbenchPath: string;
  scratchDir: string;
}

export interface CommitReport {
  /** createBooking against pgbench. */
  pair: RatePair;
  /** node-postgres (same statements) against pgbench. */
  driverPair: RatePair;
  block: JourneyBlock;
}

type Side = 'pgbench' | 'node-postgres' | 'createBooking';
const rotation: Side[] = ['pgbench', 'node-postgres', 'createBooking'];

export async function measureCommits(
  cleanup: Cleanup,
  context: { admin: DbClient; databaseUrl: string; templateJourneyId: number; roomId: string },
  settings: CommitSettings,
  progress: Progress,
): Promise<CommitReport> {
  const { admin, roomId } = context;
  let block = await cloneJourneys(admin, context.templateJourneyId, settings.journeys);
  await verifyBlock(admin, block);
  progress(
    `commit block: ${block.journeys} journeys, ${blockCapacity(block)} two-seat bookings per run`,
  );
  const client = createDbClient({
    url: context.databaseUrl,
    poolMax: settings.clients,
    applicationName: 'tatkal-bench-commits',
  });
  const closePool = cleanup.defer('commit pool', () => client.close());
  const script = commitScript();
  const side: SideContext = {
    cleanup,
    client,
    databaseUrl: context.databaseUrl,
    clients: settings.clients,
    roomId,
    pgbenchPath: settings.pgbenchPath,
    scriptPath: join(settings.scratchDir, 'booking-commit.sql'),
    statements: scriptStatements(script),
    scratchDir: settings.scratchDir,
  };
  await writeFile(side.scriptPath, script);

  // One real booking gives the fare the other sides write (the audit checks it).
  const first = bookingInput(block, 0, 'sample', roomId);
  if (!first) throw new Error('the commit block has no seats');
  const sample = await createBooking({ db: client.db }, first);
  await freeBlock(admin, block);

  let run = 0;
  const measure = async (which: Side, durationS: number): Promise<RateRun> => {
    run += 1;
    const constants: CommitConstants = {
      block,
      clients: settings.clients,
      run,
      roomId,
      passengers,
      amount: sample.amount,
      expiresAt: new Date(Date.now() + paymentWindowMs),
    };
    if (which === 'pgbench') return pgbenchRun(side, constants, durationS);
    if (which === 'node-postgres') return nodePostgresRun(side, constants, durationS);
    return createBookingRun(side, block, run, durationS);
  };
  const free = async (which: Side, measured: RateRun) => {
    const freed = await freeBlock(admin, block);
    if (freed !== 2 * measured.ops) {
      throw new Error(`${which} reported ${measured.ops} bookings but ${freed / 2} were made`);
    }
  };

  if (settings.warmupS > 0) {
    let fastest = 0;
    for (const which of rotation) {
      const warm = await measure(which, settings.warmupS);
      await free(which, warm);
      fastest = Math.max(fastest, warm.rate);
    }
    // Seats for the fastest side's runs, with room to spare.
    const wanted = Math.ceil((fastest * settings.durationS * 1.5) / pairsPerJourney(block));
    if (wanted > block.journeys) {
      block = await extendBlock(admin, block, context.templateJourneyId, wanted - block.journeys);
      progress(`commit block grown to ${block.journeys} journeys for ${fastest} bookings/s`);
    }
  }
  const runs: Record<Side, RateRun[]> = { pgbench: [], 'node-postgres': [], createBooking: [] };
  for (let round = 0; round < settings.rounds; round += 1) {
    for (const which of rotation) {
      const measured = await measure(which, settings.durationS);
      progress(`${which}: ${describeRun('commits', measured)}`);
      if (measured.failures > 0) throw new Error(`${which} failed ${measured.failures} times`);
      if (measured.exhausted)
        throw new Error(`${which} ran out of seats: raise BENCH_COMMIT_JOURNEYS`);
      runs[which].push(measured);
      // The very last run's bookings stay for the audit.
      if (round < settings.rounds - 1 || which !== 'createBooking') await free(which, measured);
    }
  }
  await closePool();
  return {
    pair: summariseRates(runs.createBooking, runs.pgbench),
    driverPair: summariseRates(runs['node-postgres'], runs.pgbench),
    block,
  };
}

/** More journeys right after the block (nothing else clones in between). */
async function extendBlock(
  admin: DbClient,
  block: JourneyBlock,
  templateJourneyId: number,
  extra: number,
): Promise<JourneyBlock> {
  const more = await cloneJourneys(admin, templateJourneyId, extra);
  const contiguous =
    more.firstJourneyId === block.firstJourneyId + block.journeys &&
    more.firstSeatId === block.firstSeatId + block.journeys * block.seatsPerJourney &&
    more.seatsPerJourney === block.seatsPerJourney &&
    more.leadingSeats === block.leadingSeats;
  if (!contiguous) throw new Error('the commit block could not be grown in place');
  const grown = { ...block, journeys: block.journeys + extra };
  await verifyBlock(admin, grown);
  return grown;
}
