// The verify-shuffle command, run as a user would run it: from files and from a fairness URL.
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  derivePrequeueOrder,
  type FairnessDocument,
  publicVisitorHash,
  seedHash,
} from '../../src/queue/index.ts';

const command = fileURLToPath(new URL('../../src/commands/verify-shuffle.ts', import.meta.url));

function verify(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [command, ...args], { timeout: 20_000 }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === 'number' ? error.code : -1) : 0;
      resolve({ code, stdout, stderr });
    });
  });
}

const seed = 'c0ffee-2026-06-01-ac-tatkal';
const joinLog = Array.from({ length: 50 }, (_, i) => publicVisitorHash(`visitor-${i}`));
const order = derivePrequeueOrder(seed, joinLog.length).map((index) => joinLog[index] as string);
const swapped = [order[1], order[0], ...order.slice(2)] as string[];

// Each case starts a Node process: allow for a loaded machine.
const spawning = { timeout: 30_000 };

describe('verify-shuffle from files', spawning, () => {
  let dir = '';
  const file = async (name: string, value: unknown) => {
    const path = join(dir, name);
    await writeFile(path, JSON.stringify(value));
    return path;
  };

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'tatkal-verify-shuffle-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('exits 0 when the order is the derivation of the seed', async () => {
    const result = await verify([
      '--seed',
      seed,
      '--seed-hash',
      seedHash(seed),
      '--join-log',
      await file('log.json', joinLog),
      '--order',
      await file('order.json', order),
    ]);
    expect(result.stdout).toContain('VERIFIED');
    expect(result.code).toBe(0);
  });

  it('exits 1 when two visitors of the published order are swapped', async () => {
    const result = await verify([
      '--seed',
      seed,
      '--seed-hash',
      seedHash(seed),
      '--join-log',
      await file('log.json', joinLog),
      '--order',
      await file('tampered.json', swapped),
    ]);
    expect(result.stdout).toMatch(/MISMATCH: queue position 1/);
    expect(result.code).toBe(1);
  });

  it('exits 1 when the seed does not hash to the published seed hash', async () => {
    const result = await verify([
      '--seed',
      seed,
      '--seed-hash',
      seedHash('another seed'),
      '--join-log',
      await file('log.json', joinLog),
      '--order',
      await file('order.json', order),
    ]);
    expect(result.stdout).toMatch(/MISMATCH: sha256\(seed\)/);
    expect(result.code).toBe(1);
  });

  it('exits 2 with usage when arguments are missing', async () => {
    const result = await verify(['--seed', seed]);
    expect(result.stderr).toContain('usage');
    expect(result.code).toBe(2);
  });
});

describe('verify-shuffle from a fairness URL', spawning, () => {
  let server: Server;
  let base = '';
  const documents = new Map<string, FairnessDocument>([
    ['good', { mode: 'fifo_shuffle', seedHash: seedHash(seed), seed, joinLog, order }],
    ['tampered', { mode: 'fifo_shuffle', seedHash: seedHash(seed), seed, joinLog, order: swapped }],
    [
      'unopened',
      { mode: 'fifo_shuffle', seedHash: seedHash(seed), seed: null, joinLog, order: [] },
    ],
  ]);

  beforeAll(async () => {
    server = createServer((request, response) => {
      const room = /^\/v1\/rooms\/([^/]+)\/fairness$/.exec(request.url ?? '')?.[1] ?? '';
      const document = documents.get(room);
      response.writeHead(document ? 200 : 404, { 'content-type': 'application/json' });
      response.end(JSON.stringify(document ?? { title: 'not found' }));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const address = server.address();
    if (address === null || typeof address === 'string') throw new Error('no port');
    base = `http://127.0.0.1:${address.port}/v1/rooms`;
  });
  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve));
  });

  it('exits 0 for a room whose published order checks out, with the hash noted before opening', async () => {
    const result = await verify(['--url', `${base}/good/fairness`, '--seed-hash', seedHash(seed)]);
    expect(result.stdout).toContain('VERIFIED');
    expect(result.code).toBe(0);
  });

  it('exits 1 for a tampered order', async () => {
    const result = await verify(['--url', `${base}/tampered/fairness`]);
    expect(result.code).toBe(1);
  });

  it('exits 1 when the published seed hash is not the one noted before opening', async () => {
    const result = await verify([
      '--url',
      `${base}/good/fairness`,
      '--seed-hash',
      seedHash('noted'),
    ]);
    expect(result.stdout).toMatch(/MISMATCH: the published seed hash/);
    expect(result.code).toBe(1);
  });

  it('exits 2 before the seed is published, and for a missing room', async () => {
    expect((await verify(['--url', `${base}/unopened/fairness`])).code).toBe(2);
    expect((await verify(['--url', `${base}/nowhere/fairness`])).code).toBe(2);
  });
});
