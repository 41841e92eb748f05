// An operator's drain seen from the visitor API: a new visitor is refused with
// 409 room_draining, a visitor with a place gets it back, and lifting the drain
// lets new visitors join again.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setRoomDraining } from '../../src/queue/index.ts';
import { createWorld, type World } from '../support/world.ts';

let world: World;
beforeAll(async () => {
  world = await createWorld();
});
afterAll(() => world?.close());

const join = (roomId: string, headers: Record<string, string> = {}) =>
  world.app.request(`/v1/rooms/${roomId}/join`, {
    method: 'POST',
    headers,
  });

describe('POST /v1/rooms/:room/join while draining', () => {
  it('refuses newcomers, keeps places, and reopens when the drain is lifted', async () => {
    const roomId = await world.addRoom();
    const first = await join(roomId);
    expect(first.status).toBe(201);
    const ticket = String(((await first.json()) as { ticket: string }).ticket);

    await setRoomDraining(world.redis, world.deps.keysFor(roomId), true);
    const refused = await join(roomId);
    expect(refused.status).toBe(409);
    expect(refused.headers.get('content-type')).toBe('application/problem+json');
    expect(await refused.json()).toMatchObject({ code: 'room_draining' });
    const back = await join(roomId, { 'x-queue-ticket': ticket });
    expect(back.status).toBe(200);
    expect(((await back.json()) as { number: number }).number).toBe(1);

    await setRoomDraining(world.redis, world.deps.keysFor(roomId), false);
    const later = await join(roomId);
    expect(later.status).toBe(201);
    expect(((await later.json()) as { number: number }).number).toBe(2);
  });
});
