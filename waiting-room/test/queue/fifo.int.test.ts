// FIFO acceptance (DESIGN §8): the property in fifo-property.ts, on standalone Redis and on
// a 3-master Redis Cluster, with concurrent admit workers on separate connections; and
// its negative control, a non-atomic admit that fast-check must catch.
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { admitNextBatch, type RedisLike } from '../../src/queue/index.ts';
import { type Clients, clusterClients, standaloneClients, testPrefix } from './clients.ts';
import { type Coverage, emptyCoverage, fifoProperty } from './fifo-property.ts';
import { admitInTwoRoundTrips } from './racy-admit.ts';

const numRuns = 50;

/** The scenarios did skip, return and share rounds between workers: the property was not vacuous. */
function expectExercised(coverage: Coverage): void {
  expect(coverage.admitted).toBeGreaterThan(0);
  expect(coverage.skipped).toBeGreaterThan(0);
  expect(coverage.returnedAdmitted).toBeGreaterThan(0);
  expect(coverage.sharedRounds).toBeGreaterThan(0);
}

function fifoSuite(name: string, connect: () => Promise<Clients>) {
  describe(name, () => {
    let clients: RedisLike[] = [];
    let close: () => Promise<void> = async () => {};
    let prefix = '';

    beforeAll(async () => {
      ({ clients, close } = await connect());
      prefix = testPrefix();
    });
    afterAll(() => close());

    it('admits visitors who stayed in queue-number order, nobody twice, n per call, returned first (2 workers)', async () => {
      const coverage = emptyCoverage();
      await fc.assert(
        fifoProperty({ clients, admit: admitNextBatch, callers: 2, prefix, coverage }),
        {
          numRuns,
        },
      );
      expectExercised(coverage);
    });

    it('holds with 3 concurrent workers', async () => {
      const coverage = emptyCoverage();
      await fc.assert(
        fifoProperty({ clients, admit: admitNextBatch, callers: 3, prefix, coverage }),
        {
          numRuns: 25,
        },
      );
      expectExercised(coverage);
    });
  });
}

fifoSuite('FIFO queue on standalone Redis', () => standaloneClients());
fifoSuite('FIFO queue on a 3-master Redis Cluster', () => clusterClients());

describe('negative control: an admit that reads and writes the pointer in two round trips', () => {
  let clients: RedisLike[] = [];
  let close: () => Promise<void> = async () => {};
  let prefix = '';
  beforeAll(async () => {
    ({ clients, close } = await standaloneClients());
    prefix = testPrefix();
  });
  afterAll(() => close());

  it('passes the property with a single worker (it is a faithful copy of the script)', async () => {
    await fc.assert(fifoProperty({ clients, admit: admitInTwoRoundTrips, callers: 1, prefix }), {
      numRuns,
    });
  });

  it('is caught admitting visitors twice once two workers race', async () => {
    const details = await fc.check(
      fifoProperty({ clients, admit: admitInTwoRoundTrips, callers: 2, prefix }),
      {
        numRuns,
      },
    );
    expect(details.failed).toBe(true);
    expect(String(details.errorInstance)).toMatch(
      /admitted twice|inversion|differs from the model/,
    );
  });
});
