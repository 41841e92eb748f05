// Happy paths of every admin endpoint with an operator token: each change lands
// in the rooms row (or Redis), comes back in the answer, and leaves an audit row
// naming who did it and when.
import { rooms } from '@tatkal/drizzle';
import { joinQueue, readTokenState, roomKeys } from '@tatkal/waiting-room';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type AdminWorld,
  adminWorld,
  appendDecision,
  auditRows,
  decisionRecord,
} from './support.ts';

let world: AdminWorld;
beforeAll(async () => {
  world = await adminWorld();
});
afterAll(() => world?.close());

const roomRow = async (id: string) =>
  (await world.db.db.select().from(rooms).where(eq(rooms.id, id)))[0];

async function json(response: Response, status = 200) {
  const body = await response.text();
  expect(response.status, body).toBe(status);
  return JSON.parse(body);
}

async function expectAudit(
  action: string,
  room: string | null,
  details: Record<string, unknown> = {},
) {
  const last = (await auditRows(world)).at(-1);
  expect(last).toMatchObject({ actor: 'asha-operator', role: 'operator', action, roomId: room });
  expect(last?.details).toMatchObject(details);
  expect(Math.abs((last?.at.getTime() ?? 0) - Date.now())).toBeLessThan(10_000);
}

describe('reading', () => {
  it('lists every room with state, bounds and brake', async () => {
    const { rooms: listed } = await json(await world.call('GET', '/admin/rooms'));
    expect(listed.map((room: { id: string }) => room.id).sort()).toEqual(
      ['demo', ...world.otherRooms].sort(),
    );
    const demo = listed.find((room: { id: string }) => room.id === 'demo');
    expect(demo).toMatchObject({
      state: 'open',
      status: 'scheduled',
      draining: false,
      emergencyBrake: false,
      bounds: { minPerSecond: 1, maxPerSecond: 200, maxActiveSessions: 2000, latencyTargetMs: 150 },
    });
  });

  it('shows the live state: row, queue from Redis and the latest decisions', async () => {
    const keys = roomKeys(world.prefix, 'demo');
    for (const visitor of ['v1', 'v2', 'v3']) {
      await joinQueue(world.redis, keys, { visitor, nowMs: Date.now(), mode: 'fifo' });
    }
    for (let tick = 0; tick < 3; tick++) {
      await appendDecision(world.redis, world.prefix, decisionRecord('demo', tick));
    }
    const live = await json(await world.call('GET', '/admin/rooms/demo'));
    expect(live.room.id).toBe('demo');
    expect(live.queue).toMatchObject({ lastNumber: 3, servedUpTo: 0, waiting: 3 });
    expect(live.decisions).toHaveLength(3);
    expect(live.decisions.map((d: { fence: number }) => d.fence)).toEqual([1, 2, 3]);
    expect(live.tokensRevokedBefore).toBeNull();
  });

  it('answers recent decisions oldest first, bounded by count', async () => {
    const body = await json(await world.call('GET', '/admin/rooms/demo/decisions?count=2'));
    expect(body.decisions.map((d: { fence: number }) => d.fence)).toEqual([2, 3]);
    expect(body.decisions[0]).toMatchObject({
      roomId: 'demo',
      decision: { rule: 'headroom_increase' },
    });
  });

  it('skips stream entries that are not decision records', async () => {
    const key = `${world.prefix}:aw:v1:{room:demo}:decisions`;
    await world.redis.xadd(key, '*', 'd', '{"not":"a record"}');
    await world.redis.xadd(key, '*', 'x', 'y');
    const body = await json(await world.call('GET', '/admin/rooms/demo/decisions?count=5'));
    expect(body.decisions.map((d: { fence: number }) => d.fence)).toEqual([1, 2, 3]);
  });

  it('says who the caller is, and serves the OpenAPI document', async () => {
    expect(
      await json(await world.call('GET', '/admin/whoami', { token: world.tokens.viewer })),
    ).toEqual({
      name: 'vikram-viewer',
      role: 'viewer',
    });
    const doc = await json(await world.call('GET', '/admin/openapi.json', { token: null }));
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining([
        '/admin/rooms',
        '/admin/rooms/{room}',
        '/admin/rooms/{room}/bounds',
        '/admin/rooms/{room}/brake',
        '/admin/rooms/{room}/drain',
        '/admin/rooms/{room}/pause',
        '/admin/rooms/{room}/revoke-tokens',
        '/admin/rooms/{room}/events',
        '/admin/rooms/{room}/decisions',
      ]),
    );
  });
});

describe('changing', () => {
  it('creates a room and audits it', async () => {
    const demo = await roomRow('demo');
    const created = await json(
      await world.call('POST', '/admin/rooms', {
        body: {
          id: 'sleeper-extra',
          name: 'Sleeper Tatkal extra',
          scope: { journeyId: demo?.journeyId ?? null, classCodes: ['SL'], quotas: ['TQ'] },
          schedule: {
            prequeueOpensAt: '2030-01-01T09:45:00+05:30',
            saleOpensAt: '2030-01-01T10:00:00+05:30',
            closesAt: '2030-01-01T12:00:00+05:30',
          },
          sessionSeconds: 300,
          bounds: { maxPerSecond: 50 },
        },
      }),
      201,
    );
    expect(created).toMatchObject({ id: 'sleeper-extra', state: 'scheduled', sessionSeconds: 300 });
    expect(created.bounds.maxPerSecond).toBe(50);
    expect((await roomRow('sleeper-extra'))?.saleOpensAt.toISOString()).toBe(
      '2030-01-01T04:30:00.000Z',
    );
    await expectAudit('room.create', 'sleeper-extra');
  });

  it('updates name, mode, scope, schedule and session length', async () => {
    const updated = await json(
      await world.call('PATCH', '/admin/rooms/sleeper-extra', {
        body: {
          name: 'Sleeper Tatkal (extra)',
          mode: 'fifo_shuffle',
          scope: { classCodes: ['SL', '3A'] },
          schedule: { closesAt: '2030-01-01T13:00:00+05:30' },
          sessionSeconds: 420,
        },
      }),
    );
    expect(updated).toMatchObject({
      name: 'Sleeper Tatkal (extra)',
      mode: 'fifo_shuffle',
      sessionSeconds: 420,
    });
    const row = await roomRow('sleeper-extra');
    expect(row?.classCodes).toEqual(['SL', '3A']);
    expect(row?.closesAt.toISOString()).toBe('2030-01-01T07:30:00.000Z');
    await expectAudit('room.update', 'sleeper-extra', {
      changed: {
        sessionSeconds: { from: 300, to: 420 },
        mode: { from: 'fifo', to: 'fifo_shuffle' },
      },
    });
  });

  it('sets the bounds', async () => {
    const body = await json(
      await world.call('PATCH', '/admin/rooms/demo/bounds', {
        body: { minPerSecond: 5, maxPerSecond: 80, maxActiveSessions: 700, latencyTargetMs: 250 },
      }),
    );
    expect(body.bounds).toEqual({
      minPerSecond: 5,
      maxPerSecond: 80,
      maxActiveSessions: 700,
      latencyTargetMs: 250,
    });
    expect(await roomRow('demo')).toMatchObject({
      minAdmitPerSecond: 5,
      maxAdmitPerSecond: 80,
      maxActiveSessions: 700,
      latencyTargetMs: 250,
    });
    await expectAudit('room.bounds.update', 'demo', {
      changed: { maxAdmitPerSecond: { from: 200, to: 80 } },
    });
  });

  it('sets and releases the emergency brake', async () => {
    expect(
      (await json(await world.call('PUT', '/admin/rooms/demo/brake', { body: { on: true } })))
        .emergencyBrake,
    ).toBe(true);
    expect((await roomRow('demo'))?.emergencyBrake).toBe(true);
    await expectAudit('room.brake.on', 'demo');
    expect(
      (await json(await world.call('PUT', '/admin/rooms/demo/brake', { body: { on: false } })))
        .emergencyBrake,
    ).toBe(false);
    expect((await roomRow('demo'))?.emergencyBrake).toBe(false);
    await expectAudit('room.brake.off', 'demo');
  });

  it('pauses and resumes', async () => {
    expect(await json(await world.call('POST', '/admin/rooms/demo/pause'))).toMatchObject({
      status: 'paused',
      state: 'paused',
    });
    expect((await roomRow('demo'))?.status).toBe('paused');
    await expectAudit('room.pause', 'demo', { from: 'scheduled', to: 'paused' });
    expect(await json(await world.call('POST', '/admin/rooms/demo/resume'))).toMatchObject({
      status: 'open',
      state: 'open',
    });
    await expectAudit('room.resume', 'demo', { from: 'paused', to: 'open' });
  });

  it('drains (no new places, waiting visitors keep theirs) and opening lifts the drain', async () => {
    const keys = roomKeys(world.prefix, 'demo');
    expect((await json(await world.call('POST', '/admin/rooms/demo/drain'))).draining).toBe(true);
    await expectAudit('room.drain.start', 'demo');
    await expect(
      joinQueue(world.redis, keys, { visitor: 'late', nowMs: Date.now(), mode: 'fifo' }),
    ).rejects.toThrow(/draining/);
    expect(
      (await joinQueue(world.redis, keys, { visitor: 'v2', nowMs: Date.now(), mode: 'fifo' }))
        .number,
    ).toBe(2);
    expect((await json(await world.call('DELETE', '/admin/rooms/demo/drain'))).draining).toBe(
      false,
    );
    await expectAudit('room.drain.stop', 'demo');
    await world.call('POST', '/admin/rooms/demo/drain');
    expect(await json(await world.call('POST', '/admin/rooms/demo/open'))).toMatchObject({
      status: 'open',
      draining: false,
    });
    await expectAudit('room.open', 'demo');
    expect(
      (await joinQueue(world.redis, keys, { visitor: 'late', nowMs: Date.now(), mode: 'fifo' }))
        .number,
    ).toBe(4);
  });

  it('revokes the room tokens issued until now', async () => {
    const before = Math.floor(Date.now() / 1000);
    const body = await json(await world.call('POST', '/admin/rooms/demo/revoke-tokens'));
    const revokedSec = Date.parse(body.revokedBefore) / 1000;
    expect(revokedSec).toBeGreaterThanOrEqual(before);
    const state = await readTokenState(world.redis, world.prefix, { room: 'demo', jti: 'any' });
    expect(state.revokedBeforeSec).toBe(revokedSec);
    await expectAudit('room.tokens.revoke', 'demo', { revokedBefore: body.revokedBefore });
  });

  it('closes a room for good', async () => {
    expect(await json(await world.call('POST', '/admin/rooms/sleeper-extra/close'))).toMatchObject({
      status: 'closed',
      state: 'closed',
    });
    await expectAudit('room.close', 'sleeper-extra');
    const refused = await world.call('POST', '/admin/rooms/sleeper-extra/open');
    expect(refused.status).toBe(409);
    expect(((await refused.json()) as { code: string }).code).toBe('room_transition_refused');
  });

  it('lists the audit log newest first, per room', async () => {
    const { entries } = await json(
      await world.call('GET', '/admin/audit?room=demo&limit=3', { token: world.tokens.viewer }),
    );
    expect(entries).toHaveLength(3);
    expect(entries[0]).toMatchObject({
      action: 'room.tokens.revoke',
      actor: 'asha-operator',
      room: 'demo',
    });
  });
});
