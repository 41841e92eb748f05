import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createWorld, type World } from '../support/world.ts';

let world: World;
beforeAll(async () => {
  world = await createWorld();
});
afterAll(async () => {
  await world.close();
});

/**
 * Reads `status` events off an SSE response body. A push that repeats the last standing and
 * position is skipped: every change of the room's state pushes, and on a busy machine the
 * state refresh that notices the joins (the queue's tail) can land after the stream opened,
 * before the admission tick. The test is about the pushes that change what the visitor sees.
 */
function statusEvents(body: ReadableStream<Uint8Array>) {
  const reader = body.getReader();
  const decoder = new TextDecoder();
  let buffer = '';
  let last = '';
  return {
    async next(): Promise<Record<string, unknown>> {
      for (;;) {
        const event = await this.read();
        const seen = `${String(event.standing)}:${String(event.position)}`;
        if (seen === last) continue;
        last = seen;
        return event;
      }
    },
    async read(): Promise<Record<string, unknown>> {
      for (;;) {
        const end = buffer.indexOf('\n\n');
        if (end >= 0) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          if (!block.includes('event: status')) continue;
          const data = block
            .split('\n')
            .filter((line) => line.startsWith('data: '))
            .map((line) => line.slice(6))
            .join('\n');
          return JSON.parse(data) as Record<string, unknown>;
        }
        const { value, done } = await reader.read();
        if (done) throw new Error('stream ended');
        buffer += decoder.decode(value, { stream: true });
      }
    },
    cancel: () => reader.cancel(),
  };
}

describe('Server-Sent Events', () => {
  it('pushes the new position after every admission tick, then the admission, then ends', async () => {
    const roomId = await world.addRoom();
    let ticket = '';
    for (let i = 0; i < 4; i++) {
      const response = await world.app.request(`/v1/rooms/${roomId}/join`, { method: 'POST' });
      ticket = String(((await response.json()) as { ticket: string }).ticket);
    }
    const response = await world.app.request(`/v1/rooms/${roomId}/events`, {
      headers: { 'x-queue-ticket': ticket },
    });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain('text/event-stream');
    const events = statusEvents(response.body as ReadableStream<Uint8Array>);
    expect(await events.next()).toMatchObject({ standing: 'waiting', position: 4 });

    await world.admit(roomId, 2);
    expect(await events.next()).toMatchObject({ standing: 'waiting', position: 2 });
    await world.admit(roomId, 1);
    expect(await events.next()).toMatchObject({ standing: 'waiting', position: 1 });
    await world.admit(roomId, 1);
    const admitted = await events.next();
    expect(admitted).toMatchObject({ standing: 'admitted' });
    expect((admitted.admission as { token: string }).token.split('.')).toHaveLength(3);
    await expect(events.next()).rejects.toThrow('stream ended');
  });
});
