// The inventory is built from PostgreSQL and nothing else (DESIGN §5): live assignments
// (PENDING, CONFIRMED) are sold, cancelled ones are not; whatever Redis believed about
// capacity or seats is overwritten; live holds on free seats survive a rebuild, holds on seats
// PostgreSQL sold do not; a booking that lands between the PostgreSQL read and the Redis
// writes is not undone. The audit finds tampering (and nothing after a rebuild); the
// reconcile command runs. Also the memory the inventory takes per seat.
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  auditInventory,
  holdSeats,
  inventoryKeys,
  inventorySnapshot,
  markHoldBooked,
  markSeatsSold,
  readAvailability,
  readHold,
  rebuildInventory,
  type SeatState,
} from '../../src/inventory/index.ts';
import {
  type Clients,
  cancelBooking,
  dropInventory,
  insertBooking,
  type SeatRow,
  type SeededSale,
  seatIndex,
  seatRows,
  seededSale,
  standaloneClients,
  testPrefix,
} from './support.ts';

const t0 = Date.UTC(2026, 0, 15, 4, 30);
const command = fileURLToPath(
  new URL('../../src/commands/reconcile-inventory.ts', import.meta.url),
);

let sale: SeededSale;
let connections: Clients;
let prefix: string;
let rows: SeatRow[];
let seat: (label: string) => number;
let tokens = 0;

const redis = () => {
  const client = connections.clients[0];
  if (!client) throw new Error('no client');
  return client;
};
const rebuild = (nowMs = t0, extra = {}) =>
  rebuildInventory(sale.client.db, redis(), prefix, sale.journeyId, { nowMs, ...extra });
const audit = (nowMs = t0) =>
  auditInventory(sale.client.db, redis(), prefix, sale.journeyId, nowMs);
const snapshot = () => inventorySnapshot(redis(), prefix, sale.journeyId, { nowMs: t0 });

async function hold(labels: string[], ttlMs = 600_000) {
  tokens += 1;
  const outcome = await holdSeats(redis(), prefix, {
    journeyId: sale.journeyId,
    request: { kind: 'seats', seatIds: labels.map((label) => seat(label)) },
    holder: { subject: `visitor-${tokens}`, tokenJti: `jti-${tokens}` },
    ttlMs,
    nowMs: t0,
  });
  if (!outcome.ok) throw new Error(`hold of ${labels.join(' ')} refused: ${outcome.reason}`);
  return outcome;
}

function statesOf(states: Map<number, SeatState>, state: SeatState): number[] {
  return [...states]
    .filter(([, s]) => s === state)
    .map(([id]) => id)
    .sort((a, b) => a - b);
}

const sorted = (ids: number[]) => [...ids].sort((a, b) => a - b);

beforeAll(async () => {
  sale = await seededSale();
  connections = await standaloneClients(1);
  prefix = testPrefix();
  rows = await seatRows(sale.client, sale.journeyId);
  seat = seatIndex(rows);
});

afterAll(async () => {
  await connections?.close();
  await sale?.close();
});

beforeEach(async () => {
  await sale.client.pool.query('truncate bookings cascade');
  await dropInventory(redis(), prefix, sale.journeyId);
});

describe('rebuild from PostgreSQL', () => {
  it('sells exactly the seats with a live assignment: PENDING and CONFIRMED, not CANCELLED', async () => {
    await insertBooking(sale.client, sale.journeyId, [seat('B1/17')], 'PENDING');
    await insertBooking(sale.client, sale.journeyId, [seat('S3/20'), seat('S3/21')], 'CONFIRMED');
    await insertBooking(sale.client, sale.journeyId, [seat('A1/13')], 'CANCELLED');
    // A seat cancelled once and booked again is sold.
    const first = await insertBooking(sale.client, sale.journeyId, [seat('H1/1')], 'CONFIRMED');
    await cancelBooking(sale.client, first);
    await insertBooking(sale.client, sale.journeyId, [seat('H1/1')], 'PENDING');

    expect(await rebuild()).toEqual({ seats: 952, sold: 4, held: 0 });
    const states = await snapshot();
    expect(states.size).toBe(952);
    expect(statesOf(states, 'sold')).toEqual(
      sorted([seat('B1/17'), seat('S3/20'), seat('S3/21'), seat('H1/1')]),
    );
    expect(statesOf(states, 'held')).toEqual([]);
    expect(await audit()).toEqual({ mismatches: [], countMismatches: [] });
  });

  it('takes seats and counts from PostgreSQL alone: capacity Redis made up is overwritten', async () => {
    await rebuild();
    const keys = inventoryKeys(prefix, sale.journeyId);
    // As if someone "raised capacity" in Redis: a bigger total and a seat PostgreSQL never had.
    const phantom = Math.max(...rows.map((row) => row.seatId)) + 1;
    await redis().hset(keys.counts, '3A|TQ:total', 500);
    await redis().hset(keys.seats, String(phantom), '3A|TQ|B9|1|LB');
    await redis().hset(
      keys.pools,
      '3A|TQ',
      [
        phantom,
        ...rows.filter((r) => r.classCode === '3A' && r.quota === 'TQ').map((r) => r.seatId),
      ].join(','),
    );
    expect((await audit()).mismatches).toEqual([
      { seatId: phantom, redis: 'free', postgres: 'missing' },
    ]);

    expect(await rebuild()).toEqual({ seats: 952, sold: 0, held: 0 });
    expect(await redis().hexists(keys.seats, String(phantom))).toBe(0);
    const pools = await readAvailability(redis(), prefix, sale.journeyId, t0);
    expect(pools.find((p) => p.classCode === '3A' && p.quota === 'TQ')).toEqual({
      classCode: '3A',
      quota: 'TQ',
      free: 64,
      held: 0,
      sold: 0,
    });
    expect(await audit()).toEqual({ mismatches: [], countMismatches: [] });
  });

  it('frees seats Redis thought sold when PostgreSQL has no live assignment (a lost give-back)', async () => {
    await rebuild();
    await markSeatsSold(redis(), prefix, sale.journeyId, [seat('S1/1'), seat('S1/2')]);
    await insertBooking(sale.client, sale.journeyId, [seat('S1/2')], 'CONFIRMED');
    expect((await audit()).mismatches).toEqual([
      { seatId: seat('S1/1'), redis: 'sold', postgres: 'free' },
    ]);
    expect(await rebuild()).toMatchObject({ sold: 1 });
    expect(statesOf(await snapshot(), 'sold')).toEqual([seat('S1/2')]);
  });
});

describe('rebuild while holds exist', () => {
  it('keeps live holds on free seats, drops holds on seats PostgreSQL sold and holds that are over', async () => {
    await rebuild();
    const kept = await hold(['B2/17', 'B2/18']);
    const lost = await hold(['B3/17', 'B3/18']);
    const over = await hold(['B4/17'], 1_000);
    // A booking that reached PostgreSQL without Redis hearing of it.
    await insertBooking(sale.client, sale.journeyId, [seat('B3/18')], 'CONFIRMED');

    expect(await rebuild(t0 + 1_000)).toEqual({ seats: 952, sold: 1, held: 2 });
    expect(await readHold(redis(), prefix, sale.journeyId, kept.holdId, t0 + 1_000)).toMatchObject({
      state: 'held',
      seats: kept.seats,
    });
    expect(await readHold(redis(), prefix, sale.journeyId, lost.holdId, t0 + 1_000)).toBeNull();
    expect(await readHold(redis(), prefix, sale.journeyId, over.holdId, t0 + 1_000)).toBeNull();
    const states = await snapshot();
    expect(statesOf(states, 'held')).toEqual(sorted([seat('B2/17'), seat('B2/18')]));
    expect(statesOf(states, 'sold')).toEqual([seat('B3/18')]);
    // The dropped hold let go of its other seat too.
    expect(states.get(seat('B3/17'))).toBe('free');
    expect(await audit(t0 + 1_000)).toEqual({ mismatches: [], countMismatches: [] });
  });

  it('does not undo a booking that commits between its PostgreSQL read and its Redis writes', async () => {
    await rebuild();
    const racing = await hold(['S5/30', 'S5/31']);
    const result = await rebuild(t0 + 10, {
      afterPostgresRead: async () => {
        await insertBooking(sale.client, sale.journeyId, [seat('S5/30'), seat('S5/31')], 'PENDING');
        await markHoldBooked(
          redis(),
          prefix,
          sale.journeyId,
          racing.holdId,
          [seat('S5/30'), seat('S5/31')],
          t0 + 5,
        );
      },
    });
    expect(result.sold).toBe(2);
    expect(statesOf(await snapshot(), 'sold')).toEqual(sorted([seat('S5/30'), seat('S5/31')]));
    expect(await audit(t0 + 10)).toEqual({ mismatches: [], countMismatches: [] });
  });

  it('rebuilds a flushed inventory without losing a booking marked while it ran', async () => {
    // Redis lost everything; a booking commits right after the rebuild read PostgreSQL, and
    // its markHoldBooked finds no inventory yet. The seat is sold afterwards all the same.
    await rebuild(t0, {
      afterPostgresRead: async () => {
        await insertBooking(sale.client, sale.journeyId, [seat('S6/9')], 'CONFIRMED');
        await markHoldBooked(redis(), prefix, sale.journeyId, 'lost-hold', [seat('S6/9')], t0);
      },
    });
    expect(statesOf(await snapshot(), 'sold')).toEqual([seat('S6/9')]);
    expect(await audit()).toEqual({ mismatches: [], countMismatches: [] });
  });

  it('leaves a seat sold after its read to the next rebuild, which judges it by PostgreSQL', async () => {
    await rebuild();
    // Sold in Redis after the rebuild read Redis, with no booking in PostgreSQL (a repair
    // from a stale caller, say): this rebuild cannot tell it from a fresh booking and keeps it.
    await rebuild(t0, {
      afterPostgresRead: () =>
        markSeatsSold(redis(), prefix, sale.journeyId, [seat('S7/9')]).then(() => {}),
    });
    expect((await audit()).mismatches).toEqual([
      { seatId: seat('S7/9'), redis: 'sold', postgres: 'free' },
    ]);
    await rebuild();
    expect(await audit()).toEqual({ mismatches: [], countMismatches: [] });
  });
});

describe('audit', () => {
  it('reports every kind of tampering, and nothing once rebuilt', async () => {
    await insertBooking(sale.client, sale.journeyId, [seat('A2/1'), seat('A2/2')], 'CONFIRMED');
    await rebuild();
    expect(await audit()).toEqual({ mismatches: [], countMismatches: [] });

    const keys = inventoryKeys(prefix, sale.journeyId);
    await redis().hset(keys.taken, String(seat('A2/3')), '!tampered'); // sold in Redis only
    await redis().hdel(keys.taken, String(seat('A2/1'))); // sold in PostgreSQL only
    await redis().hdel(keys.seats, String(seat('A2/4'))); // metadata gone
    await redis().hincrby(keys.counts, '2A|GN:held', 3); // a counter off
    const tampered = await audit();
    expect(tampered.mismatches).toEqual(
      [
        { seatId: seat('A2/1'), redis: 'free', postgres: 'sold' },
        { seatId: seat('A2/3'), redis: 'sold', postgres: 'free' },
        { seatId: seat('A2/4'), redis: 'missing', postgres: 'free' },
      ].sort((a, b) => a.seatId - b.seatId),
    );
    expect(tampered.countMismatches).toEqual([{ counter: '2A|GN:held', redis: 3, expected: 0 }]);

    await rebuild();
    expect(await audit()).toEqual({ mismatches: [], countMismatches: [] });
    expect(statesOf(await snapshot(), 'sold')).toEqual(sorted([seat('A2/1'), seat('A2/2')]));
  });
});

describe('reconcile-inventory command', () => {
  const runCommand = async (args: string[]) => {
    try {
      const { stdout } = await promisify(execFile)(process.execPath, [command, ...args], {
        env: { ...process.env },
        timeout: 30_000,
      });
      return { code: 0, stdout };
    } catch (error) {
      const { code, stdout, stderr } = error as {
        code?: unknown;
        stdout?: string;
        stderr?: string;
      };
      if (typeof code !== 'number') throw error;
      return { code, stdout: `${stdout ?? ''}${stderr ?? ''}` };
    }
  };

  it('rebuilds from PostgreSQL, prints the audit before and after, and exits 0', async () => {
    await insertBooking(sale.client, sale.journeyId, [seat('S8/5')], 'CONFIRMED');
    const { code, stdout } = await runCommand(['--journey', String(sale.journeyId)]);
    expect(stdout).toContain(`journey ${sale.journeyId}: audit before: 952 seat mismatches`);
    expect(stdout).toContain(`rebuilt from PostgreSQL: 952 seats, 1 sold, 0 held`);
    expect(stdout).toContain(
      `journey ${sale.journeyId}: audit after: 0 seat mismatches, 0 counter mismatches`,
    );
    expect(code).toBe(0);
    expect(statesOf(await inventorySnapshot(redis(), prefix, sale.journeyId), 'sold')).toEqual([
      seat('S8/5'),
    ]);
  });

  it('exits 1 from an audit that finds mismatches, 2 on bad usage', async () => {
    await rebuild();
    await redis().hset(
      inventoryKeys(prefix, sale.journeyId).taken,
      String(seat('S8/6')),
      '!tampered',
    );
    const auditOnly = await runCommand(['--journey', String(sale.journeyId), '--audit-only']);
    expect(auditOnly.stdout).toContain(`seat ${seat('S8/6')}: redis sold, postgres free`);
    expect(auditOnly.code).toBe(1);
    expect((await runCommand(['--journey', 'x'])).code).toBe(2);
    expect((await runCommand(['--bogus'])).code).toBe(2);
  });
});

describe('memory', () => {
  it('stays modest per seat: free, all held, all sold', async () => {
    await rebuild();
    const keys = inventoryKeys(prefix, sale.journeyId);
    const bytes = async () => {
      let total = 0;
      for (const key of Object.values(keys)) {
        total += Number((await redis().memory('USAGE', key, 'SAMPLES', 0)) ?? 0);
      }
      return total;
    };
    const perSeat = async (label: string) => {
      const value = (await bytes()) / rows.length;
      console.info(`inventory memory per seat, ${label}: ${value.toFixed(1)} bytes`);
      return value;
    };
    const free = await perSeat('all free');
    // Every seat held, four to a hold, with 22-character hold ids and token ids.
    const byPool = Map.groupBy(rows, (row) => `${row.classCode}|${row.quota}`);
    for (const poolRows of byPool.values()) {
      for (let i = 0; i < poolRows.length; i += 4) {
        tokens += 1;
        const outcome = await holdSeats(redis(), prefix, {
          journeyId: sale.journeyId,
          request: { kind: 'seats', seatIds: poolRows.slice(i, i + 4).map((row) => row.seatId) },
          holder: {
            subject: `visitor-${String(tokens).padStart(14, '0')}`,
            tokenJti: `jti-${String(tokens).padStart(18, '0')}`,
          },
          ttlMs: 600_000,
          nowMs: t0,
        });
        expect(outcome.ok).toBe(true);
      }
    }
    const held = await perSeat('all held, 4 per hold');
    await markSeatsSold(
      redis(),
      prefix,
      sale.journeyId,
      rows.map((row) => row.seatId),
    );
    const sold = await perSeat('all sold');
    expect(free).toBeLessThan(120);
    expect(held).toBeLessThan(400);
    expect(sold).toBeLessThan(200);
  });
});
