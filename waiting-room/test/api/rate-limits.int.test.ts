import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createWorld, type World } from '../support/world.ts';

let world: World;
beforeAll(async () => {
  world = await createWorld({
    joinLimits: { perIp: { burst: 3, perMinute: 6 }, perVisitor: { burst: 2, perMinute: 1 } },
  });
});
afterAll(async () => {
  await world.close();
});

const joinFrom = (roomId: string, ip: string, ticket?: string) =>
  world.app.request(`/v1/rooms/${roomId}/join`, {
    method: 'POST',
    headers: { 'x-forwarded-for': ip, ...(ticket ? { 'x-queue-ticket': ticket } : {}) },
  });

describe('join rate limits', () => {
  it('allows a burst per client address, then 429 with Retry-After; other addresses unaffected', async () => {
    const roomId = await world.addRoom();
    const statuses: number[] = [];
    for (let i = 0; i < 4; i++) statuses.push((await joinFrom(roomId, '203.0.113.7')).status);
    expect(statuses).toEqual([201, 201, 201, 429]);
    const limited = await joinFrom(roomId, '203.0.113.7');
    expect(limited.headers.get('retry-after')).toBe('10');
    expect(await limited.json()).toMatchObject({ code: 'rate_limited', retryAfterSeconds: 10 });
    expect((await joinFrom(roomId, '198.51.100.1')).status).toBe(201);
    // Refused joins took no place (read after the state cache's refresh period).
    await new Promise((resolve) => setTimeout(resolve, 150));
    const state = (await (await world.app.request(`/v1/rooms/${roomId}/state`)).json()) as {
      lastNumber: number;
    };
    expect(state.lastNumber).toBe(4);
  });

  it('limits one visitor retrying, however many addresses it uses', async () => {
    const roomId = await world.addRoom();
    const first = await joinFrom(roomId, '192.0.2.1');
    const ticket = String(((await first.json()) as { ticket: string }).ticket);
    expect((await joinFrom(roomId, '192.0.2.2', ticket)).status).toBe(200);
    const third = await joinFrom(roomId, '192.0.2.3', ticket);
    expect(third.status).toBe(429);
    expect(third.headers.get('retry-after')).toBe('60');
  });
});
