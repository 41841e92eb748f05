// ACCEPTANCE-1, the Redis part (DESIGN §8): thousands of concurrent hold calls on a dozen
// seats, in reversed seat orders, retried, with releases, bookings, seats given back and
// holds expiring mid-run, never put a seat in two live holds or give a token two live holds;
// the final inventory is what the log says. On standalone Redis and on a 3-master Redis
// Cluster. Negative control: a hold that reads and writes in separate round trips passes the
// same checks alone and is caught double-holding once callers race.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  holdSeats,
  inventorySnapshot,
  type RedisLike,
  readAvailability,
  readRawSnapshot,
  rebuildInventory,
  sweepExpiredHolds,
} from '../../src/inventory/index.ts';
import { type CheckResult, type Coverage, checkContention } from './contention-check.ts';
import { type ContendedSeats, type HoldFn, runScenario } from './contention-scenario.ts';
import { holdInRoundTrips } from './racy-hold.ts';
import {
  type Clients,
  clusterClients,
  dropInventory,
  type SeededSale,
  seatRows,
  seededSale,
  standaloneClients,
  testPrefix,
} from './support.ts';

const startMs = Date.UTC(2026, 0, 15, 4, 30);
const stepMs = 1_000;

let sale: SeededSale;
let contended: ContendedSeats;
let contendedIds: number[];

beforeAll(async () => {
  sale = await seededSale();
  const rows = await seatRows(sale.client, sale.journeyId);
  const ids = (filter: (row: (typeof rows)[number]) => boolean) =>
    rows.filter(filter).map((row) => row.seatId);
  // 2A Premium Tatkal: A1 and A2, berths 25-28, the whole class-and-quota pool.
  const premium2A = ids((row) => row.classCode === '2A' && row.quota === 'PT');
  // 3A Premium Tatkal of coach B1 only: berths 33-36.
  const premium3A = ids(
    (row) => row.classCode === '3A' && row.quota === 'PT' && row.coach === 'B1',
  );
  contended = {
    named: [premium2A, premium3A],
    auto: { classCode: '2A', quota: 'PT', seatIds: premium2A },
  };
  contendedIds = [...premium2A, ...premium3A];
});

afterAll(() => sale?.close());

async function freshInventory(redis: RedisLike) {
  await dropInventory(redis, testPrefix(), sale.journeyId);
  await rebuildInventory(sale.client.db, redis, testPrefix(), sale.journeyId, { nowMs: startMs });
}

async function contend(
  clients: RedisLike[],
  hold: HoldFn,
  options: { seed: number; rounds: number; holdsPerRound: number; concurrent: boolean },
): Promise<CheckResult & { endMs: number; holdCalls: number }> {
  const run = await runScenario({
    clients,
    prefix: testPrefix(),
    journeyId: sale.journeyId,
    seats: contended,
    hold,
    startMs,
    stepMs,
    ...options,
  });
  const check = checkContention(run.log, {
    seatIds: contendedIds,
    autoPool: contended.auto.seatIds,
    atMs: run.endMs,
  });
  const holdCalls = run.log.filter((event) => event.type === 'hold').length;
  return { ...check, endMs: run.endMs, holdCalls };
}

/** The run did what it is meant to: contests, refusals of every kind, expiry, release, booking. */
function expectExercised(coverage: Coverage) {
  expect(coverage.granted).toBeGreaterThan(100);
  expect(coverage.refusedUnavailable).toBeGreaterThan(100);
  expect(coverage.refusedNotEnough).toBeGreaterThan(10);
  expect(coverage.refusedToken).toBeGreaterThan(5);
  expect(coverage.replaysAnsweredWithSameHold).toBeGreaterThan(10);
  expect(coverage.released).toBeGreaterThan(5);
  expect(coverage.notYours).toBeGreaterThan(0);
  expect(coverage.booked).toBeGreaterThan(2);
  expect(coverage.returned).toBeGreaterThan(0);
  expect(coverage.expiredThenRetaken).toBeGreaterThan(5);
  // How many reversed-order requests meet depends on scheduling; a loaded machine has seen 9.
  expect(coverage.reversedContests).toBeGreaterThan(4);
}

/** The inventory at the end is what the log says, and its counters agree with its seats. */
async function expectFinalState(redis: RedisLike, result: CheckResult & { endMs: number }) {
  const prefix = testPrefix();
  await sweepExpiredHolds(redis, prefix, sale.journeyId, result.endMs);
  const snapshot = await inventorySnapshot(redis, prefix, sale.journeyId, { nowMs: result.endMs });
  for (const seatId of contendedIds) {
    expect({ seatId, state: snapshot.get(seatId) }).toEqual({
      seatId,
      state: result.expected.get(seatId),
    });
  }
  const elsewhere = [...snapshot].filter(
    ([id, state]) => !contendedIds.includes(id) && state !== 'free',
  );
  expect(elsewhere).toEqual([]);

  const { counts, states } = await readRawSnapshot(redis, prefix, sale.journeyId, result.endMs);
  const tally = (pool: number[], state: string) =>
    pool.filter((id) => states.get(id) === state).length;
  const premium2A = contended.auto.seatIds;
  expect([counts.get('2A|PT:held'), counts.get('2A|PT:sold')]).toEqual([
    tally(premium2A, 'held'),
    tally(premium2A, 'sold'),
  ]);
  const pools = await readAvailability(redis, prefix, sale.journeyId, result.endMs);
  const seen = [...result.expected].filter(([id]) => premium2A.includes(id)).map(([, s]) => s);
  expect(pools.find((p) => p.classCode === '2A' && p.quota === 'PT')).toEqual({
    classCode: '2A',
    quota: 'PT',
    free: seen.filter((s) => s === 'free').length,
    held: seen.filter((s) => s === 'held').length,
    sold: seen.filter((s) => s === 'sold').length,
  });
}

function contentionSuite(name: string, connect: () => Promise<Clients>) {
  describe(name, () => {
    let connections: Clients | undefined;
    const clients = () => connections?.clients ?? [];

    beforeAll(async () => {
      connections = await connect();
    });
    afterAll(() => connections?.close());

    it('about 2000 concurrent holds over 12 seats: never a seat in two live holds, final state as logged', async () => {
      const [first] = clients();
      if (!first) throw new Error('no client');
      await freshInventory(first);
      const result = await contend(clients(), holdSeats, {
        seed: 20_260_115,
        rounds: 40,
        holdsPerRound: 50,
        concurrent: true,
      });
      expect(result.holdCalls).toBeGreaterThanOrEqual(1900);
      expect(result.violations).toEqual([]);
      expectExercised(result.coverage);
      await expectFinalState(first, result);
    });
  });
}

contentionSuite('seat holds on standalone Redis', () => standaloneClients(4));
contentionSuite('seat holds on a 3-master Redis Cluster', () => clusterClients(4));

describe('negative control: a hold that reads and writes in separate round trips', () => {
  let connections: Clients | undefined;
  beforeAll(async () => {
    connections = await standaloneClients(4);
  });
  afterAll(() => connections?.close());
  const clients = () => connections?.clients ?? [];

  it('passes the same checks with one caller at a time (it is a faithful copy)', async () => {
    const [first] = clients();
    if (!first) throw new Error('no client');
    await freshInventory(first);
    const result = await contend(clients(), holdInRoundTrips, {
      seed: 7,
      rounds: 12,
      holdsPerRound: 60,
      concurrent: false,
    });
    expect(result.violations).toEqual([]);
    expect(result.coverage.granted).toBeGreaterThan(50);
    expect(result.coverage.expiredThenRetaken).toBeGreaterThan(0);
    await expectFinalState(first, result);
  });

  it('is caught putting seats in two live holds once callers race', async () => {
    const [first] = clients();
    if (!first) throw new Error('no client');
    await freshInventory(first);
    const result = await contend(clients(), holdInRoundTrips, {
      seed: 20_260_115,
      rounds: 20,
      holdsPerRound: 100,
      concurrent: true,
    });
    expect(result.violations.filter((v) => v.startsWith('double hold')).length).toBeGreaterThan(0);
  });
});
