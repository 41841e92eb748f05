// The three sides of the commit comparison, each booking two free sleeper
// Tatkal seats per transaction with as many concurrent clients:
// - pgbench (C, libpq) running booking-commit.sql: the baseline;
// - node-postgres sending that script's statements: what the driver and the
//   event loop cost, with no drizzle, zod or booking logic;
// - createBooking itself.
import { readdir, readFile, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import type { DbClient } from '@tatkal/drizzle';
import { spawnChild } from '../children.ts';
import type { Cleanup } from '../cleanup.ts';
import { type CreateBookingInput, createBooking, type PassengerInput } from './booking-api.ts';
import { closedLoop, type LoopResult } from './closed-loop.ts';
import { opCost, parseBashTimes } from './cost.ts';
import { percentile, type RateRun, rateRun, roundOrNull } from './figures.ts';
import { bookingSlot, type JourneyBlock } from './layout.ts';
import {
  type CommitConstants,
  commitDefines,
  commitVariables,
  parsePgbenchLog,
  parsePgbenchOutput,
  type ScriptStatement,
} from './pgbench-script.ts';

export const passengers: PassengerInput[] = [
  { name: 'Passenger 1', age: 30, gender: 'F', berthPreference: null },
  { name: 'Passenger 2', age: 31, gender: 'M', berthPreference: null },
];
export const paymentWindowMs = 5 * 60_000;

/** bash -c: runs "$0" "$@", passes SIGTERM on, then prints its children's CPU (`times`). */
const withCpuTimes = [
  '"$0" "$@" & child=$!',
  "trap 'kill -TERM $child 2>/dev/null' TERM INT",
  'wait $child; code=$?',
  'times >&2',
  'exit $code',
].join('\n');

export interface SideContext {
  cleanup: Cleanup;
  client: DbClient;
  databaseUrl: string;
  clients: number;
  roomId: string;
  pgbenchPath: string;
  scriptPath: string;
  statements: ScriptStatement[];
  scratchDir: string;
}

/** createBooking's input for slot k of the block, or undefined past it. */
export function bookingInput(
  block: JourneyBlock,
  k: number,
  label: string,
  roomId: string,
): CreateBookingInput | undefined {
  const slot = bookingSlot(block, k);
  if (!slot) return undefined;
  const id = `${label}-${k}`;
  return {
    journeyId: slot.journeyId,
    roomId,
    subject: id,
    tokenJti: id,
    classCode: 'SL',
    quota: 'TQ',
    seatIds: slot.seatIds,
    holdId: id,
    passengers,
    paymentWindowMs,
    nowMs: Date.now(),
  };
}

async function timedLoop(loop: () => Promise<LoopResult>): Promise<RateRun> {
  const before = process.cpuUsage();
  const result = await loop();
  return rateRun(result, opCost(result.ops, { before, after: process.cpuUsage() }));
}

export function createBookingRun(
  side: SideContext,
  block: JourneyBlock,
  run: number,
  durationS: number,
): Promise<RateRun> {
  let next = 0;
  return timedLoop(() =>
    closedLoop({
      callers: side.clients,
      durationMs: durationS * 1000,
      next: () => bookingInput(block, next++, `r${run}`, side.roomId),
      run: async (input) => {
        const commit = await createBooking({ db: side.client.db }, input);
        if (commit.replayed) throw new Error(`hold ${input.holdId} was booked already`);
      },
    }),
  );
}

/** The script's statements over node-postgres, one pooled connection per transaction. */
export function nodePostgresRun(
  side: SideContext,
  constants: CommitConstants,
  durationS: number,
): Promise<RateRun> {
  const fixed = { ...commitVariables(constants), ordinal_1: 1, ordinal_2: 2 };
  let next = 0;
  return timedLoop(() =>
    closedLoop({
      callers: side.clients,
      durationMs: durationS * 1000,
      next: () => {
        const k = next++;
        const slot = bookingSlot(constants.block, k);
        return slot && { slot, hold: String(constants.run * 100_000_000 + k) };
      },
      run: async ({ slot, hold }) => {
        const variables: Record<string, unknown> = {
          ...fixed,
          hold,
          journey: slot.journeyId,
          seat_a: slot.seatIds[0],
          seat_b: slot.seatIds[1],
          pnr: String(1_000_000_000 + Math.floor(Math.random() * 8_999_999_999)),
        };
        const connection = await side.client.pool.connect();
        try {
          for (const statement of side.statements) {
            const result = await connection.query({
              text: statement.text,
              values: statement.parameters.map((name) => variables[name]),
              rowMode: 'array',
            });
            if (statement.gsetPrefix === null) continue;
            const row: unknown[] = result.rows[0] ?? [];
            result.fields.forEach((field, i) => {
              variables[`${statement.gsetPrefix}${field.name}`] = row[i];
            });
          }
        } catch (error) {
          await connection.query('rollback').catch(() => undefined);
          throw error;
        } finally {
          connection.release();
        }
      },
    }),
  );
}

export async function pgbenchRun(
  side: SideContext,
  constants: CommitConstants,
  durationS: number,
): Promise<RateRun> {
  const logPrefix = join(side.scratchDir, `pgbench-${constants.run}`);
  // Through bash, whose `times` reports pgbench's CPU once it has been waited for.
  const child = spawnChild(side.cleanup, `pgbench run ${constants.run}`, '/bin/bash', [
    '-c',
    withCpuTimes,
    side.pgbenchPath,
    '-n',
    '-M',
    'extended',
    '-c',
    String(side.clients),
    '-j',
    '1',
    '-T',
    String(durationS),
    '-f',
    side.scriptPath,
    '-l',
    `--log-prefix=${logPrefix}`,
    ...commitDefines(constants),
    side.databaseUrl,
  ]);
  const exit = await child.exited;
  await child.stop();
  const summary = parsePgbenchOutput(child.stdout(), child.stderr());
  if (exit !== 0 || summary.aborted || summary.failed > 0) {
    throw new Error(
      `pgbench run ${constants.run} failed (exit ${exit}); if it ran out of seats raise BENCH_COMMIT_JOURNEYS\n${child.stderr().slice(-2000)}`,
    );
  }
  const latencies = await readPgbenchLogs(logPrefix);
  const cpu = parseBashTimes(child.stderr());
  return {
    rate: Math.round(summary.tps),
    ops: summary.processed,
    failures: summary.failed,
    elapsedS: durationS,
    p50Ms: roundOrNull(percentile(latencies, 50)),
    p95Ms: roundOrNull(percentile(latencies, 95)),
    exhausted: false,
    cost: cpu && opCost(summary.processed, { before: { user: 0, system: 0 }, after: cpu }),
  };
}

/** Every transaction's latency from pgbench's log files (one per thread), which are then removed. */
async function readPgbenchLogs(logPrefix: string): Promise<number[]> {
  const folder = dirname(logPrefix);
  const stem = `${basename(logPrefix)}.`;
  const latencies: number[] = [];
  for (const name of await readdir(folder)) {
    if (!name.startsWith(stem)) continue;
    const path = join(folder, name);
    latencies.push(...parsePgbenchLog(await readFile(path, 'utf8')));
    await rm(path, { force: true });
  }
  return latencies;
}
