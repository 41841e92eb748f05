// Holds on real Redis over the demo journey built from PostgreSQL: named and auto-allocated
// holds, every refusal with its reason, expiry by the clock the caller passes, release,
// one live hold per token, booking and giving seats back, and the availability counts.
//
// 3A Tatkal berths are 17-32 of coaches B1-B4: LB 17 20 25 28, MB 18 21 26 29, UB 19 22 27
// 30, SL 23 31, SU 24 32. 2A Premium Tatkal berths are 25-28 of A1 and A2 (LB UB LB UB).
import type { Redis } from 'ioredis';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  type BerthType,
  ensureInventory,
  type HoldInput,
  holdSeats,
  InventoryError,
  inventoryKeyList,
  inventoryKeys,
  inventorySnapshot,
  markHoldBooked,
  markSeatsSold,
  readAvailability,
  readHold,
  rebuildInventory,
  releaseHold,
  returnSeats,
  type SeatRef,
  sweepExpiredHolds,
} from '../../src/inventory/index.ts';
import {
  type Clients,
  dropInventory,
  type SeatRow,
  type SeededSale,
  seatIndex,
  seatRows,
  seededSale,
  standaloneClients,
  testPrefix,
} from './support.ts';

const t0 = Date.UTC(2026, 0, 15, 4, 30);
const ttlMs = 600_000;

let sale: SeededSale;
let connections: Clients;
let prefix: string;
let rows: SeatRow[];
let seat: (label: string) => number;

const redis = () => {
  const client = connections.clients[0];
  if (!client) throw new Error('no client');
  return client;
};

let tokenCounter = 0;
function holder(subject = 'alice') {
  tokenCounter += 1;
  return { subject, tokenJti: `jti-${tokenCounter}` };
}

function hold(request: HoldInput['request'], extra: Partial<HoldInput> = {}) {
  return holdSeats(redis(), prefix, {
    journeyId: sale.journeyId,
    request,
    holder: holder(),
    ttlMs,
    nowMs: t0,
    ...extra,
  });
}

const named = (...labels: string[]) => ({
  kind: 'seats' as const,
  seatIds: labels.map((label) => seat(label)),
});

const labelsOf = (seats: readonly SeatRef[]) => seats.map((s) => `${s.coach}/${s.berthNumber}`);

async function expectHeld(labels: string[]) {
  const outcome = await hold(named(...labels));
  if (!outcome.ok) throw new Error(`setup hold of ${labels.join(' ')} refused: ${outcome.reason}`);
  return outcome;
}

async function pool(classCode: string, quota: string, nowMs = t0) {
  const all = await readAvailability(redis(), prefix, sale.journeyId, nowMs);
  return all.find((p) => p.classCode === classCode && p.quota === quota);
}

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
  await dropInventory(redis(), prefix, sale.journeyId);
  await rebuildInventory(sale.client.db, redis(), prefix, sale.journeyId, { nowMs: t0 });
});

describe('named seats', () => {
  it('holds every named seat, in the order asked, until now + ttl', async () => {
    const outcome = await hold(named('B2/25', 'B2/17', 'B2/18'));
    expect(outcome).toMatchObject({ ok: true, expiresAtMs: t0 + ttlMs });
    if (!outcome.ok) return;
    expect(outcome.holdId).toMatch(/^[A-Za-z0-9_-]{22}$/);
    expect(outcome.seats).toEqual([
      {
        seatId: seat('B2/25'),
        coach: 'B2',
        berthNumber: 25,
        berthType: 'LB',
        classCode: '3A',
        quota: 'TQ',
      },
      {
        seatId: seat('B2/17'),
        coach: 'B2',
        berthNumber: 17,
        berthType: 'LB',
        classCode: '3A',
        quota: 'TQ',
      },
      {
        seatId: seat('B2/18'),
        coach: 'B2',
        berthNumber: 18,
        berthType: 'MB',
        classCode: '3A',
        quota: 'TQ',
      },
    ]);
    const view = await readHold(redis(), prefix, sale.journeyId, outcome.holdId, t0 + 1);
    expect(view).toEqual({
      holdId: outcome.holdId,
      seats: outcome.seats,
      subject: 'alice',
      tokenJti: `jti-${tokenCounter}`,
      expiresAtMs: t0 + ttlMs,
      state: 'held',
    });
  });

  it('refuses seats of another journey or that do not exist, naming them', async () => {
    const stranger = Math.max(...rows.map((row) => row.seatId)) + 1000;
    const outcome = await hold({ kind: 'seats', seatIds: [seat('B1/17'), stranger] });
    expect(outcome).toEqual({ ok: false, reason: 'unknown_seat', unavailableSeatIds: [stranger] });
    expect((await pool('3A', 'TQ'))?.held).toBe(0);
  });

  it('refuses seats of more than one class or quota', async () => {
    expect(await hold(named('B1/17', 'S1/17'))).toEqual({
      ok: false,
      reason: 'mixed_class_or_quota',
    });
    expect(await hold(named('B1/17', 'B1/1'))).toEqual({
      ok: false,
      reason: 'mixed_class_or_quota',
    });
    expect((await pool('3A', 'TQ'))?.held).toBe(0);
  });

  it('refuses named seats of another class or quota than asked, before writing anything', async () => {
    const watcher = (redis() as Redis).duplicate();
    try {
      await watcher.watch(...inventoryKeyList(inventoryKeys(prefix, sale.journeyId)));
      const sleeperAsked = { classCode: 'SL', quota: 'TQ' };
      // 3A Tatkal seats asked for as sleeper Tatkal; a 3A general seat asked for as 3A Tatkal.
      expect(await hold({ ...named('B1/17', 'B1/18'), ...sleeperAsked })).toEqual({
        ok: false,
        reason: 'seat_class_mismatch',
      });
      expect(await hold({ ...named('B1/1'), classCode: '3A', quota: 'TQ' })).toEqual({
        ok: false,
        reason: 'seat_class_mismatch',
      });
      // WATCH sees any write to these keys, even one that puts the same value back (a hold
      // made and released again): the transaction runs only if nothing was written.
      expect(await watcher.multi().ping().exec()).not.toBeNull();
    } finally {
      watcher.disconnect();
    }
    expect(await hold({ ...named('B1/17', 'B1/18'), classCode: '3A', quota: 'TQ' })).toMatchObject({
      ok: true,
    });
    expect((await pool('3A', 'TQ'))?.held).toBe(2);
  });

  it('refuses a class without its quota (or the other way round) before Redis is touched', async () => {
    await expect(hold({ ...named('B1/17'), classCode: '3A' })).rejects.toThrow(RangeError);
    await expect(hold({ ...named('B1/17'), quota: 'TQ' })).rejects.toThrow(RangeError);
    await expect(hold({ ...named('B1/17'), classCode: '9Z', quota: 'TQ' })).rejects.toThrow(
      RangeError,
    );
  });

  it('is all or nothing: one taken seat refuses the hold, names only the taken ones, holds nothing', async () => {
    await expectHeld(['B1/18']);
    const outcome = await hold(named('B1/17', 'B1/18', 'B1/19'));
    expect(outcome).toEqual({
      ok: false,
      reason: 'seats_unavailable',
      unavailableSeatIds: [seat('B1/18')],
    });
    // The two free seats were not held by the refused request.
    expect(await hold(named('B1/17', 'B1/19'))).toMatchObject({ ok: true });
  });

  it('refuses malformed input before touching Redis', async () => {
    const before = await inventorySnapshot(redis(), prefix, sale.journeyId);
    const bad: Array<HoldInput['request']> = [
      { kind: 'seats', seatIds: [] },
      { kind: 'seats', seatIds: [seat('B1/17'), seat('B1/17')] },
      { kind: 'seats', seatIds: [1.5] },
      { kind: 'berths', classCode: '3A', quota: 'TQ', count: 2, preferences: ['LB'] },
      { kind: 'berths', classCode: 'CC', quota: 'TQ', count: 1, preferences: [null] },
      { kind: 'berths', classCode: '3A', quota: 'XX', count: 1, preferences: [null] },
      { kind: 'berths', classCode: '3A', quota: 'TQ', count: 0, preferences: [] },
    ];
    for (const request of bad) await expect(hold(request)).rejects.toThrow(RangeError);
    await expect(hold(named('B1/17'), { ttlMs: 0 })).rejects.toThrow(RangeError);
    await expect(hold(named('B1/17'), { holdId: 'not a hold id' })).rejects.toThrow(RangeError);
    await expect(hold(named('B1/17'), { holder: { subject: '', tokenJti: 'j' } })).rejects.toThrow(
      RangeError,
    );
    expect(await inventorySnapshot(redis(), prefix, sale.journeyId)).toEqual(before);
  });
});

describe('auto-allocation', () => {
  const berths = (classCode: string, quota: string, preferences: Array<BerthType | null>) => ({
    kind: 'berths' as const,
    classCode,
    quota,
    count: preferences.length,
    preferences,
  });

  it('honours every preference in one coach, lowest berths first, seats in passenger order', async () => {
    const outcome = await hold(berths('3A', 'TQ', ['SL', 'LB', null, 'UB']));
    expect(outcome.ok && labelsOf(outcome.seats)).toEqual(['B1/23', 'B1/17', 'B1/18', 'B1/19']);
  });

  it('moves the party to the coach that meets most preferences', async () => {
    await expectHeld(['B1/17', 'B1/20', 'B1/25', 'B1/28']);
    const outcome = await hold(berths('3A', 'TQ', ['LB', 'LB', 'MB']));
    expect(outcome.ok && labelsOf(outcome.seats)).toEqual(['B2/17', 'B2/20', 'B2/18']);
  });

  it('keeps the party in one coach over meeting preferences elsewhere', async () => {
    // B1-B3 have no side lower left; B4 has both, but too few berths for the party.
    for (const coach of ['B1', 'B2', 'B3']) await expectHeld([`${coach}/23`, `${coach}/31`]);
    await expectHeld(['B4/17', 'B4/18', 'B4/19', 'B4/20', 'B4/21', 'B4/22', 'B4/24', 'B4/25']);
    await expectHeld(['B4/26', 'B4/27', 'B4/28', 'B4/29', 'B4/30', 'B4/32']);
    const outcome = await hold(berths('3A', 'TQ', ['SL', 'SL', 'LB']));
    expect(outcome.ok && labelsOf(outcome.seats)).toEqual(['B1/18', 'B1/19', 'B1/17']);
  });

  it('prefers the fullest coach that still fits the party, when preferences do not decide', async () => {
    await expectHeld(['B3/17', 'B3/18', 'B3/19', 'B3/20', 'B3/21', 'B3/22', 'B3/23', 'B3/24']);
    await expectHeld(['B3/25', 'B3/26', 'B3/27', 'B3/28']);
    const outcome = await hold(berths('3A', 'TQ', [null, null]));
    expect(outcome.ok && labelsOf(outcome.seats)).toEqual(['B3/29', 'B3/30']);
  });

  it('gives another berth when the class has none of the preferred type', async () => {
    const outcome = await hold(berths('2A', 'TQ', ['MB']));
    expect(outcome.ok && labelsOf(outcome.seats)).toEqual(['A1/13']);
  });

  it('spreads over coaches, fullest first, only when no coach fits the party', async () => {
    await expectHeld(['A1/25', 'A1/26']);
    await expectHeld(['A2/25']);
    const outcome = await hold(berths('2A', 'PT', ['LB', null, null, null]));
    // A2 has three berths free, A1 two: A2 first; the preferred lower berth is A2's.
    expect(outcome.ok && labelsOf(outcome.seats)).toEqual(['A2/27', 'A2/26', 'A2/28', 'A1/27']);
  });

  it('is all or nothing: refuses with how many berths are free', async () => {
    await expectHeld(['A1/25', 'A1/26', 'A1/27']);
    expect(await hold(berths('2A', 'PT', [null, null, null, null, null, null]))).toEqual({
      ok: false,
      reason: 'not_enough_berths',
      available: 5,
    });
    expect((await pool('2A', 'PT'))?.held).toBe(3);
    // First AC has no Tatkal quota at all.
    expect(await hold(berths('1A', 'TQ', [null]))).toEqual({
      ok: false,
      reason: 'not_enough_berths',
      available: 0,
    });
  });

  it('allocates the same seats for the same request and state (no randomness)', async () => {
    const first = await hold(berths('SL', 'GN', ['UB', 'MB', null]));
    await dropInventory(redis(), prefix, sale.journeyId);
    await rebuildInventory(sale.client.db, redis(), prefix, sale.journeyId, { nowMs: t0 });
    const second = await hold(berths('SL', 'GN', ['UB', 'MB', null]));
    expect(first.ok && labelsOf(first.seats)).toEqual(['S1/3', 'S1/2', 'S1/1']);
    expect(second.ok && labelsOf(second.seats)).toEqual(first.ok && labelsOf(first.seats));
  });
});

describe('expiry', () => {
  it('frees the seats at now >= expiresAtMs and the hold can no longer be read', async () => {
    const outcome = await hold(named('B1/17', 'B1/18'), { ttlMs: 1_000 });
    if (!outcome.ok) throw new Error('hold refused');
    expect(
      await readHold(redis(), prefix, sale.journeyId, outcome.holdId, t0 + 999),
    ).not.toBeNull();
    expect(await hold(named('B1/18'), { nowMs: t0 + 999 })).toMatchObject({ ok: false });

    expect(await readHold(redis(), prefix, sale.journeyId, outcome.holdId, t0 + 1_000)).toBeNull();
    expect((await pool('3A', 'TQ', t0 + 1_000))?.held).toBe(0);
    expect(await hold(named('B1/17', 'B1/18'), { nowMs: t0 + 1_000 })).toMatchObject({ ok: true });
    expect(
      await releaseHold(redis(), prefix, sale.journeyId, outcome.holdId, { nowMs: t0 + 1_000 }),
    ).toBe('not_found');
  });

  it('treats a seat of an expired hold as free even before any sweep reaches it', async () => {
    const outcome = await hold(named('B1/17'), { ttlMs: 1_000 });
    if (!outcome.ok) throw new Error('hold refused');
    const snapshot = await inventorySnapshot(redis(), prefix, sale.journeyId);
    expect(snapshot.get(seat('B1/17'))).toBe('held');
    const asOfLater = await inventorySnapshot(redis(), prefix, sale.journeyId, {
      nowMs: t0 + 1_000,
    });
    expect(asOfLater.get(seat('B1/17'))).toBe('free');
  });

  it('sweeps expired holds in bulk for the periodic job, up to the limit', async () => {
    for (const label of ['S1/17', 'S1/18', 'S1/19']) await hold(named(label), { ttlMs: 5_000 });
    await hold(named('S1/20'), { ttlMs: 50_000 });
    expect(await sweepExpiredHolds(redis(), prefix, sale.journeyId, t0 + 4_999)).toBe(0);
    expect(await sweepExpiredHolds(redis(), prefix, sale.journeyId, t0 + 5_000, 2)).toBe(2);
    expect(await sweepExpiredHolds(redis(), prefix, sale.journeyId, t0 + 5_000)).toBe(1);
    const snapshot = await inventorySnapshot(redis(), prefix, sale.journeyId);
    expect([...snapshot.values()].filter((state) => state === 'held')).toHaveLength(1);
    expect((await pool('SL', 'TQ', t0 + 5_000))?.held).toBe(1);
  });
});

describe('release', () => {
  it('releases the holder’s own hold, refuses another subject’s, and knows nothing of unknown ids', async () => {
    const outcome = await expectHeld(['B1/17', 'B1/18']);
    const release = (subject?: string) =>
      releaseHold(redis(), prefix, sale.journeyId, outcome.holdId, {
        nowMs: t0 + 10,
        ...(subject === undefined ? {} : { subject }),
      });
    expect(await release('mallory')).toBe('not_yours');
    expect(await hold(named('B1/17'))).toMatchObject({ ok: false, reason: 'seats_unavailable' });
    expect(await release('alice')).toBe('released');
    expect(await release('alice')).toBe('not_found');
    expect(await hold(named('B1/17', 'B1/18'))).toMatchObject({ ok: true });
  });

  it('releases any holder’s hold without a subject (operators, a failed commit)', async () => {
    const outcome = await expectHeld(['B1/17']);
    expect(await releaseHold(redis(), prefix, sale.journeyId, outcome.holdId, { nowMs: t0 })).toBe(
      'released',
    );
    expect((await pool('3A', 'TQ'))?.held).toBe(0);
  });

  it('never releases a booked hold', async () => {
    const outcome = await expectHeld(['B1/17', 'B1/18']);
    await markHoldBooked(
      redis(),
      prefix,
      sale.journeyId,
      outcome.holdId,
      [seat('B1/17'), seat('B1/18')],
      t0 + 5,
    );
    const release = () =>
      releaseHold(redis(), prefix, sale.journeyId, outcome.holdId, {
        subject: 'alice',
        nowMs: t0 + ttlMs * 2,
      });
    expect(await release()).toBe('booked');
    expect(await hold(named('B1/17'))).toMatchObject({ ok: false, reason: 'seats_unavailable' });
    expect(await pool('3A', 'TQ')).toMatchObject({ held: 0, sold: 2 });
  });
});

describe('one live hold per token', () => {
  it('refuses a second hold while the first lives; allows one after release or expiry', async () => {
    const token = { subject: 'bob', tokenJti: 'bob-token' };
    const first = await hold(named('B1/17'), { holder: token, ttlMs: 1_000 });
    if (!first.ok) throw new Error('hold refused');
    // The refusal names the live hold, so a holder who lost track of it can book or release it.
    expect(await hold(named('B1/18'), { holder: token })).toEqual({
      ok: false,
      reason: 'token_has_live_hold',
      liveHold: { holdId: first.holdId, expiresAtMs: first.expiresAtMs, seats: first.seats },
    });
    expect(await hold(named('B1/18'), { holder: token, nowMs: t0 + 1_000 })).toMatchObject({
      ok: true,
    });
    const third = await hold(named('B1/19'), { holder: token, nowMs: t0 + 1_001 });
    expect(third).toMatchObject({ ok: false, reason: 'token_has_live_hold' });
    expect(third.ok === false && third.liveHold?.seats.map((s) => s.seatId)).toEqual([
      seat('B1/18'),
    ]);
  });

  it('answers a retry with the same hold id with the same hold, holding nothing more', async () => {
    const token = { subject: 'bob', tokenJti: 'bob-token-2' };
    const first = await hold(named('B1/17', 'B1/18'), { holder: token, holdId: 'retry-1' });
    const retry = await hold(named('B1/17', 'B1/18'), {
      holder: token,
      holdId: 'retry-1',
      nowMs: t0 + 50,
    });
    expect(retry).toEqual(first);
    expect((await pool('3A', 'TQ'))?.held).toBe(2);
  });

  it('refuses (throws) a hold id that names another token’s hold', async () => {
    await hold(named('B1/17'), { holdId: 'taken-id' });
    await expect(hold(named('B1/18'), { holdId: 'taken-id' })).rejects.toThrow(InventoryError);
  });
});

describe('booking and giving seats back', () => {
  it('marks a hold that expired meanwhile as booked and its seats sold, dropping the hold that took them', async () => {
    const mine = await hold(named('B1/17', 'B1/18'), { ttlMs: 1_000 });
    if (!mine.ok) throw new Error('hold refused');
    const theirs = await hold(named('B1/18', 'B1/19'), { nowMs: t0 + 2_000 });
    if (!theirs.ok) throw new Error('later hold refused');

    // By now the expired hold was swept; the booking flow says who booked.
    await markHoldBooked(
      redis(),
      prefix,
      sale.journeyId,
      mine.holdId,
      [seat('B1/17'), seat('B1/18')],
      t0 + 3_000,
      { holder: { subject: 'alice', tokenJti: 'alice-token' } },
    );
    const snapshot = await inventorySnapshot(redis(), prefix, sale.journeyId);
    expect([seat('B1/17'), seat('B1/18'), seat('B1/19')].map((id) => snapshot.get(id))).toEqual([
      'sold',
      'sold',
      'free',
    ]);
    expect(await readHold(redis(), prefix, sale.journeyId, theirs.holdId, t0 + 3_000)).toBeNull();
    expect(await readHold(redis(), prefix, sale.journeyId, mine.holdId, t0 + 3_000)).toMatchObject({
      state: 'booked',
      subject: 'alice',
    });
    expect(
      await releaseHold(redis(), prefix, sale.journeyId, mine.holdId, { nowMs: t0 + 3_000 }),
    ).toBe('booked');
    expect(await pool('3A', 'TQ', t0 + 3_000)).toMatchObject({ free: 62, held: 0, sold: 2 });
    // Marking again (a retried request) changes nothing.
    await markHoldBooked(
      redis(),
      prefix,
      sale.journeyId,
      mine.holdId,
      [seat('B1/17'), seat('B1/18')],
      t0 + 3_001,
    );
    expect(await pool('3A', 'TQ', t0 + 3_001)).toMatchObject({ free: 62, held: 0, sold: 2 });
  });

  it('frees the seats of the hold that the booking did not take', async () => {
    const outcome = await expectHeld(['B1/17', 'B1/18', 'B1/19']);
    await markHoldBooked(redis(), prefix, sale.journeyId, outcome.holdId, [seat('B1/17')], t0 + 5);
    expect(await pool('3A', 'TQ')).toMatchObject({ held: 0, sold: 1 });
    expect(await hold(named('B1/18', 'B1/19'))).toMatchObject({ ok: true });
  });

  it('gives sold seats back and leaves held and free ones alone', async () => {
    const booked = await expectHeld(['B1/17', 'B1/18']);
    await markHoldBooked(
      redis(),
      prefix,
      sale.journeyId,
      booked.holdId,
      [seat('B1/17'), seat('B1/18')],
      t0,
    );
    await expectHeld(['B1/19']);
    expect(
      await returnSeats(redis(), prefix, sale.journeyId, [
        seat('B1/17'),
        seat('B1/19'),
        seat('B1/20'),
      ]),
    ).toBe(1);
    expect(await pool('3A', 'TQ')).toMatchObject({ free: 62, held: 1, sold: 1 });
    expect(await hold(named('B1/17'))).toMatchObject({ ok: true });
  });

  it('repairs seats PostgreSQL found sold, dropping the whole hold that had one', async () => {
    const outcome = await expectHeld(['B1/17', 'B1/18']);
    expect(
      await markSeatsSold(redis(), prefix, sale.journeyId, [seat('B1/18'), seat('B1/20')]),
    ).toBe(2);
    expect(await readHold(redis(), prefix, sale.journeyId, outcome.holdId, t0)).toBeNull();
    expect(await pool('3A', 'TQ')).toMatchObject({ free: 62, held: 0, sold: 2 });
    expect(await markSeatsSold(redis(), prefix, sale.journeyId, [seat('B1/18')])).toBe(0);
  });
});

describe('availability', () => {
  it('counts free, held and sold seats per class and quota, every seat of the journey once', async () => {
    const all = await readAvailability(redis(), prefix, sale.journeyId, t0);
    expect(all.map((p) => `${p.classCode} ${p.quota} ${p.free}`)).toEqual([
      '1A GN 24',
      '2A GN 64',
      '2A TQ 24',
      '2A PT 8',
      '3A GN 176',
      '3A TQ 64',
      '3A PT 16',
      'SL GN 384',
      'SL TQ 160',
      'SL PT 32',
    ]);
    expect(all.reduce((sum, p) => sum + p.free, 0)).toBe(952);

    const booked = await expectHeld(['S2/17', 'S2/18', 'S2/19']);
    await markHoldBooked(
      redis(),
      prefix,
      sale.journeyId,
      booked.holdId,
      [seat('S2/17'), seat('S2/18')],
      t0,
    );
    await expectHeld(['S3/17', 'S3/18']);
    await hold(named('S4/17'), { ttlMs: 10 });
    expect(await pool('SL', 'TQ', t0 + 5)).toEqual({
      classCode: 'SL',
      quota: 'TQ',
      free: 155,
      held: 3,
      sold: 2,
    });
    expect(await pool('SL', 'TQ', t0 + 10)).toEqual({
      classCode: 'SL',
      quota: 'TQ',
      free: 156,
      held: 2,
      sold: 2,
    });
  });
});

describe('a journey whose inventory is not built', () => {
  it('refuses holds and availability until ensureInventory builds it, once', async () => {
    await dropInventory(redis(), prefix, sale.journeyId);
    expect(await hold(named('B1/17'))).toEqual({ ok: false, reason: 'inventory_missing' });
    await expect(readAvailability(redis(), prefix, sale.journeyId, t0)).rejects.toMatchObject({
      reason: 'InventoryMissing',
    });
    await Promise.all([
      ensureInventory(sale.client.db, redis(), prefix, sale.journeyId),
      ensureInventory(sale.client.db, redis(), prefix, sale.journeyId),
    ]);
    expect(await hold(named('B1/17'))).toMatchObject({ ok: true });
    await ensureInventory(sale.client.db, redis(), prefix, sale.journeyId);
    expect((await pool('3A', 'TQ'))?.held).toBe(1);
  });
});
