// The real `tatkal` CLI, run as a child process against the admin app served on
// an ephemeral port: every command, its effect in PostgreSQL or Redis, and its
// exit code (0 done, 1 refused or failed, 2 usage).
import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { operatorTokens, rooms } from '@tatkal/drizzle';
import { isRoomDraining, roomKeys, roomTokensRevokedBefore } from '@tatkal/waiting-room';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashOperatorToken } from '../../src/admin/index.ts';
import {
  type AdminWorld,
  adminWorld,
  appendDecision,
  auditRows,
  decisionRecord,
  serveAdmin,
  stateFingerprint,
} from './support.ts';

const cliPath = fileURLToPath(new URL('../../src/cli/main.ts', import.meta.url));

let world: AdminWorld;
let server: Awaited<ReturnType<typeof serveAdmin>>;
beforeAll(async () => {
  world = await adminWorld({ heartbeatSeconds: 1 });
  server = await serveAdmin(world.app);
});
afterAll(async () => {
  await server?.close();
  await world?.close();
});

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

function start(args: string[], env: Record<string, string | undefined> = {}): ChildProcess {
  return spawn(process.execPath, [cliPath, ...args], {
    env: {
      PATH: process.env.PATH,
      TATKAL_ADMIN_URL: server.url,
      TATKAL_ADMIN_TOKEN: world.tokens.operator,
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

function finish(child: ChildProcess): Promise<Run> {
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (chunk) => {
    stdout += chunk;
  });
  child.stderr?.on('data', (chunk) => {
    stderr += chunk;
  });
  return new Promise((resolve) => child.on('close', (code) => resolve({ code, stdout, stderr })));
}

const tatkal = (args: string[], env: Record<string, string | undefined> = {}) =>
  finish(start(args, env));

const demo = async () => (await world.db.db.select().from(rooms).where(eq(rooms.id, 'demo')))[0];
const lastAudit = async () => (await auditRows(world)).at(-1);

async function ok(args: string[], env: Record<string, string | undefined> = {}): Promise<Run> {
  const run = await tatkal(args, env);
  expect(run.code, run.stderr).toBe(0);
  return run;
}

describe('tatkal tokens create', () => {
  it('prints a new token once, stores only its hash, and the token works', async () => {
    const run = await ok(['tokens', 'create', '--name', 'night-shift', '--role', 'viewer'], {
      DATABASE_URL: process.env.DATABASE_URL,
      TATKAL_ADMIN_TOKEN: undefined,
    });
    const token = run.stdout.trim();
    expect(token).toMatch(/^tkop_[A-Za-z0-9_-]{43}$/);
    expect(run.stderr).toMatch(/shown only now/);
    const [row] = await world.db.db
      .select()
      .from(operatorTokens)
      .where(eq(operatorTokens.tokenSha256, hashOperatorToken(token)));
    expect(row).toMatchObject({ name: 'night-shift', role: 'viewer' });
    const whoami = await ok(['whoami'], { TATKAL_ADMIN_TOKEN: token });
    expect(whoami.stdout.trim()).toBe('night-shift (viewer)');
  });

  it.each([
    [['tokens', 'create', '--name', 'x'], 'role'],
    [['tokens', 'create', '--name', 'x', '--role', 'admin'], 'role'],
    [['tokens', 'create', '--role', 'viewer'], 'name'],
    [['tokens', 'make'], 'unknown tokens command'],
  ])('%j is a usage error', async (args, message) => {
    const run = await tatkal(args, { DATABASE_URL: process.env.DATABASE_URL });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(message);
  });

  it('needs DATABASE_URL', async () => {
    const run = await tatkal(['tokens', 'create', '--name', 'x', '--role', 'viewer']);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('DATABASE_URL');
  });
});

describe('tatkal rooms (reading)', () => {
  it('lists rooms as a table and as JSON', async () => {
    const table = await ok(['rooms', 'list']);
    expect(table.stdout).toMatch(/^ROOM\s+STATE/);
    expect(table.stdout).toMatch(/\ndemo\s+open\s+off\s+no\s+1\s+200\s+2000\s+150ms/);
    const listed = JSON.parse((await ok(['rooms', 'list', '--json'])).stdout);
    expect(listed.map((room: { id: string }) => room.id)).toContain('demo');
  });

  it('shows one room with its queue and latest decision', async () => {
    await appendDecision(world.redis, world.prefix, decisionRecord('demo', 1));
    const run = await ok(['rooms', 'show', 'demo']);
    expect(run.stdout).toContain('state            open');
    expect(run.stdout).toContain('bounds           1-200/s, max active 2000, latency target 150ms');
    expect(run.stdout).toMatch(/latest decision {2}.*headroom_increase: admit \d+/);
  });

  it('whoami names the operator', async () => {
    expect((await ok(['whoami'])).stdout.trim()).toBe('asha-operator (operator)');
  });
});

describe('tatkal rooms (changing)', () => {
  it('pause and resume', async () => {
    expect((await ok(['rooms', 'pause', 'demo'])).stdout.trim()).toBe('demo: paused');
    expect((await demo())?.status).toBe('paused');
    expect(await lastAudit()).toMatchObject({
      actor: 'asha-operator',
      action: 'room.pause',
      roomId: 'demo',
    });
    expect((await ok(['rooms', 'resume', 'demo'])).stdout.trim()).toBe('demo: open');
    expect((await demo())?.status).toBe('open');
    expect((await lastAudit())?.action).toBe('room.resume');
  });

  it('brake on and off', async () => {
    expect((await ok(['rooms', 'brake', 'demo', 'on'])).stdout.trim()).toBe('demo: open, BRAKE ON');
    expect((await demo())?.emergencyBrake).toBe(true);
    await ok(['rooms', 'brake', 'demo', 'off']);
    expect((await demo())?.emergencyBrake).toBe(false);
    expect((await lastAudit())?.action).toBe('room.brake.off');
  });

  it('drain and drain off', async () => {
    const keys = roomKeys(world.prefix, 'demo');
    expect((await ok(['rooms', 'drain', 'demo'])).stdout.trim()).toBe('demo: open, draining');
    expect(await isRoomDraining(world.redis, keys)).toBe(true);
    await ok(['rooms', 'drain', 'demo', 'off']);
    expect(await isRoomDraining(world.redis, keys)).toBe(false);
    expect((await lastAudit())?.action).toBe('room.drain.stop');
  });

  it('set bounds and settings', async () => {
    const run = await ok([
      'rooms',
      'set',
      'demo',
      '--min',
      '3',
      '--max',
      '90',
      '--max-active',
      '500',
      '--latency-target',
      '200',
    ]);
    expect(run.stdout).toContain('bounds 3-90/s, max active 500, latency target 200ms');
    expect(await demo()).toMatchObject({
      minAdmitPerSecond: 3,
      maxAdmitPerSecond: 90,
      maxActiveSessions: 500,
      latencyTargetMs: 200,
    });
    await ok([
      'rooms',
      'set',
      'demo',
      '--name',
      'Demo Tatkal (evening)',
      '--session-seconds',
      '480',
    ]);
    expect(await demo()).toMatchObject({ name: 'Demo Tatkal (evening)', sessionSeconds: 480 });
    expect((await lastAudit())?.action).toBe('room.update');
  });

  it('create, open and close a room', async () => {
    const created = await ok([
      'rooms',
      'create',
      'evening-sl',
      '--name',
      'Evening sleeper',
      '--classes',
      'SL',
      '--quotas',
      'TQ,PT',
      '--prequeue-at',
      '2030-01-01T09:45:00+05:30',
      '--opens-at',
      '2030-01-01T10:00:00+05:30',
      '--closes-at',
      '2030-01-01T12:00:00+05:30',
      '--max',
      '40',
    ]);
    expect(created.stdout.trim()).toBe('created evening-sl: scheduled');
    expect((await ok(['rooms', 'open', 'evening-sl'])).stdout.trim()).toBe('evening-sl: open');
    expect((await ok(['rooms', 'close', 'evening-sl'])).stdout.trim()).toBe('evening-sl: closed');
    const [row] = await world.db.db.select().from(rooms).where(eq(rooms.id, 'evening-sl'));
    expect(row).toMatchObject({ status: 'closed', maxAdmitPerSecond: 40, quotas: ['TQ', 'PT'] });
  });

  it('revoke', async () => {
    const run = await ok(['revoke', 'demo']);
    expect(run.stdout).toMatch(/^demo: admission tokens issued up to .* are revoked/);
    expect(await roomTokensRevokedBefore(world.redis, world.prefix, 'demo')).toBeGreaterThan(0);
    expect((await lastAudit())?.action).toBe('room.tokens.revoke');
  });

  it('audit lists what operators did', async () => {
    const run = await ok(['audit', '--room', 'demo', '--limit', '3']);
    expect(run.stdout.split('\n')[1]).toMatch(
      /asha-operator\s+operator\s+room\.tokens\.revoke\s+demo/,
    );
  });
});

describe('tatkal watch', () => {
  it('prints one line per tick as the ticks are recorded and stops after --ticks', async () => {
    const child = start(['watch', 'demo', '--ticks', '3']);
    const done = finish(child);
    await new Promise<void>((resolve) => {
      child.stderr?.on('data', (chunk) => {
        if (String(chunk).includes('watching demo')) resolve();
      });
    });
    for (let tick = 20; tick < 23; tick++) {
      await appendDecision(
        world.redis,
        world.prefix,
        decisionRecord('demo', tick, { waiting: 1000 + tick }),
      );
    }
    const run = await done;
    expect(run.code, run.stderr).toBe(0);
    const lines = run.stdout.trim().split('\n');
    expect(lines).toHaveLength(3);
    expect(lines.map((line) => /queue=(\d+)/.exec(line)?.[1])).toEqual(['1020', '1021', '1022']);
    expect(lines[0]).toMatch(/^\d\d:\d\d:\d\d {2}headroom_increase +admitted=\d+ {2}rate=28\/s/);
  });

  it('stops cleanly on Ctrl-C', async () => {
    const child = start(['watch', 'demo']);
    const done = finish(child);
    await new Promise<void>((resolve) => {
      child.stderr?.on('data', (chunk) => {
        if (String(chunk).includes('watching demo')) resolve();
      });
    });
    child.kill('SIGINT');
    expect((await done).code).toBe(0);
  });
});

describe('refusals and usage errors', () => {
  it.each([
    ['a viewer pausing', ['rooms', 'pause', 'demo'], 'viewer', /Operator role required.*403/],
    ['a viewer revoking', ['revoke', 'demo'], 'viewer', /Operator role required/],
    ['a bad token', ['rooms', 'list'], 'tkop_nope', /Operator token not valid.*401/],
    ['an unknown room', ['rooms', 'pause', 'no-such-room'], 'operator', /No such room.*404/],
    [
      'min above max',
      ['rooms', 'set', 'demo', '--min', '500', '--max', '10'],
      'operator',
      /Invalid input.*422/,
    ],
    ['resuming an open room', ['rooms', 'resume', 'demo'], 'operator', /Cannot resume.*409/],
    [
      'watching an unknown room',
      ['watch', 'no-such-room', '--ticks', '1'],
      'operator',
      /No such room/,
    ],
  ] as const)('%s exits 1 and changes nothing', async (_label, args, who, message) => {
    const before = await stateFingerprint(world);
    const token =
      who === 'viewer' ? world.tokens.viewer : who === 'operator' ? world.tokens.operator : who;
    const run = await tatkal([...args], { TATKAL_ADMIN_TOKEN: token });
    expect(run.code, run.stderr).toBe(1);
    expect(run.stderr).toMatch(message);
    expect(await stateFingerprint(world)).toBe(before);
  });

  it('an unreachable admin API exits 1', async () => {
    const run = await tatkal(['rooms', 'list'], { TATKAL_ADMIN_URL: 'http://127.0.0.1:1' });
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('cannot reach the admin API');
  });

  it.each([
    [[]],
    [['launch']],
    [['rooms']],
    [['rooms', 'pause']],
    [['rooms', 'brake', 'demo', 'maybe']],
    [['rooms', 'drain', 'demo', 'sideways']],
    [['rooms', 'set', 'demo']],
    [['rooms', 'set', 'demo', '--min', 'ten']],
    [['rooms', 'list', '--colour']],
    [['watch']],
    [['watch', 'demo', '--ticks', '0']],
  ])('%j exits 2 with usage help and changes nothing', async (args) => {
    const before = await stateFingerprint(world);
    const run = await tatkal(args);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/tatkal/);
    expect(await stateFingerprint(world)).toBe(before);
  });

  it('a missing token exits 2', async () => {
    const run = await tatkal(['rooms', 'list'], { TATKAL_ADMIN_TOKEN: undefined });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('TATKAL_ADMIN_TOKEN');
  });

  it('--help exits 0 and prints usage', async () => {
    const run = await ok(['--help']);
    expect(run.stdout).toContain('tatkal rooms set ROOM');
  });
});
