// The pre-queue shuffle end to end through the visitor API and the room clock:
// the seed's hash is public before anyone joins, the seed after opening, and
// the admission order is the one anyone can re-derive from them.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  derivePrequeueOrder,
  publicVisitorHash,
  seedHash,
  verifyShuffle,
} from '../../src/queue/index.ts';
import { RoomClock } from '../../src/rooms/room-clock.ts';
import { createLogger } from '../../src/service/index.ts';
import { verifyTicket } from '../../src/visitors/ticket.ts';
import { createWorld, ticketSecret, type World } from '../support/world.ts';

let world: World;
let clock: RoomClock;
beforeAll(async () => {
  world = await createWorld();
  clock = new RoomClock(
    {
      db: world.db.db,
      catalog: world.deps.catalog,
      redis: world.redis,
      keysFor: world.deps.keysFor,
      logger: createLogger('test', 'silent'),
      now: world.deps.now,
    },
    3_600_000,
  );
});
afterAll(async () => {
  await clock.stop();
  await world.close();
});

const state = async (roomId: string) =>
  (await (await world.app.request(`/v1/rooms/${roomId}/state`)).json()) as Record<string, unknown>;

describe('pre-queue shuffle', () => {
  it('publishes the seed hash before the first join and draws the order from that seed at opening', async () => {
    const t0 = world.clock.nowMs;
    const roomId = await world.addRoom({
      mode: 'fifo_shuffle',
      prequeueOpensAt: new Date(t0 - 1_000),
      saleOpensAt: new Date(t0 + 60_000),
    });

    // Before the seed is committed, nobody can join.
    const early = await world.app.request(`/v1/rooms/${roomId}/join`, { method: 'POST' });
    expect(early.status).toBe(503);
    expect(await early.json()).toMatchObject({ code: 'room_preparing' });

    await clock.tick();
    const before = await state(roomId);
    expect(before.state).toBe('pre_queue');
    expect(before.shuffleSeedHash).toMatch(/^[0-9a-f]{64}$/);
    expect(before.shuffleSeed).toBeNull();
    const publishedHash = String(before.shuffleSeedHash);

    const tickets: string[] = [];
    for (let i = 0; i < 25; i++) {
      const response = await world.app.request(`/v1/rooms/${roomId}/join`, { method: 'POST' });
      const body = (await response.json()) as {
        ticket: string;
        standing: string;
        number: number | null;
      };
      expect(body).toMatchObject({ standing: 'prequeue', number: null });
      tickets.push(body.ticket);
    }

    world.clock.nowMs = t0 + 61_000;
    await clock.tick();
    // A visitor arriving after opening queues behind the whole pre-queue.
    const late = (await (
      await world.app.request(`/v1/rooms/${roomId}/join`, { method: 'POST' })
    ).json()) as {
      number: number;
    };
    expect(late.number).toBe(26);

    const after = await state(roomId);
    const seed = String(after.shuffleSeed);
    expect(seedHash(seed)).toBe(publishedHash);

    const fairness = (await (await world.app.request(`/v1/rooms/${roomId}/fairness`)).json()) as {
      seed: string;
      seedHash: string;
      joinLog: string[];
      order: string[];
    };
    expect(fairness.joinLog).toEqual(
      tickets.map((t) => publicVisitorHash(verifyTicket(ticketSecret, t)?.visitor ?? '')),
    );
    expect(verifyShuffle(fairness)).toMatchObject({ ok: true });
    // It really was shuffled, not left in arrival order.
    expect(fairness.order).not.toEqual(fairness.joinLog);

    // The admission order is the derived order, then the late visitor.
    const admitted: number[] = [];
    for (let i = 0; i < 6; i++) admitted.push(...(await world.admit(roomId, 5)));
    expect(admitted).toEqual(Array.from({ length: 26 }, (_, i) => i + 1));
    const derived = derivePrequeueOrder(seed, 25).map((index) => fairness.joinLog[index]);
    expect(fairness.order).toEqual(derived);

    // Each pre-queue visitor learns its drawn number from its status, with a renewed ticket
    // (after the state cache's refresh period has passed).
    await new Promise((resolve) => setTimeout(resolve, 120));
    const firstTicket = tickets[0] ?? '';
    const status = (await (
      await world.app.request(`/v1/rooms/${roomId}/status`, {
        headers: { 'x-queue-ticket': firstTicket },
      })
    ).json()) as { number: number; standing: string };
    const expectedNumber = derived.indexOf(fairness.joinLog[0]) + 1;
    expect(status).toMatchObject({ number: expectedNumber, standing: 'admitted' });
  });
});
