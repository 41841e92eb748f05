// Live connections one waiting-room process holds and what each costs it:
// SSE client processes open one stream per waiting visitor; once every stream
// has its first `status` event the server's RSS and heap are read; then one
// admission tick moves the pointer and every stream must be pushed its new
// position.
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { admitNextBatch, readQueueState, roomKeys } from '@tatkal/waiting-room';
import { type BenchChild, residentKb, spawnNodeScript } from '../children.ts';
import type { Cleanup, Progress } from '../cleanup.ts';
import type { BenchWorld, ServiceHandle } from '../fixture.ts';
import type { BenchOptions } from '../options.ts';
import { perItem, round } from '../stats.ts';
import type { SseClientConfig, SseClientMessage, SseClientReport } from './sse-protocol.ts';

export interface SseReport {
  target: number;
  /** Streams open at once, each having received its first status event. */
  held: number;
  failed: number;
  errors: Record<string, number>;
  openSeconds: number;
  rssBeforeKb: number;
  rssAfterKb: number;
  kbPerConnection: number | null;
  heapUsedBeforeBytes: number | null;
  heapUsedAfterBytes: number | null;
  heapKbPerConnection: number | null;
  push: {
    admitted: number;
    pointerMoved: number;
    /** Streams that received a status event after the tick, of those open before it. */
    received: number;
    receivedFraction: number;
    samplesChecked: number;
    samplesCorrect: number;
    delayP50Ms: number | null;
    delayMaxMs: number | null;
  };
}

interface ClientHandle {
  child: BenchChild;
}

/** nodejs_heap_size_used_bytes from the service's Prometheus metrics. */
export async function heapUsedBytes(serviceUrl: string): Promise<number | null> {
  try {
    const text = await (await fetch(`${serviceUrl}/metrics`)).text();
    const match = /^nodejs_heap_size_used_bytes(?:\{[^}]*\})? (\S+)/m.exec(text);
    return match?.[1] ? Number(match[1]) : null;
  } catch {
    return null;
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function ask(clients: ClientHandle[], sinceMs: number): Promise<SseClientReport[]> {
  return Promise.all(
    clients.map(
      (client) =>
        new Promise<SseClientReport>((resolve, reject) => {
          const timer = setTimeout(
            () => reject(new Error(`${client.child.name} did not report`)),
            15_000,
          );
          client.child.process.once('message', (message: SseClientReport) => {
            clearTimeout(timer);
            resolve(message);
          });
          const request: SseClientMessage = { type: 'report', sinceMs };
          client.child.process.send(request);
        }),
    ),
  );
}

const sum = (reports: SseClientReport[], pick: (report: SseClientReport) => number) =>
  reports.reduce((total, report) => total + pick(report), 0);

export async function measureSse(
  cleanup: Cleanup,
  world: BenchWorld,
  options: BenchOptions,
  service: ServiceHandle,
  roomId: string,
  tickets: readonly string[],
  progress: Progress,
): Promise<SseReport> {
  const { hostname, port } = new URL(service.url);
  const rssBeforeKb = await residentKb(service.child.pid);
  const heapUsedBeforeBytes = await heapUsedBytes(service.url);
  progress(
    `sse: server RSS before ${rssBeforeKb} KiB; opening ${tickets.length} streams from ${options.sseClients} processes`,
  );

  const clients: ClientHandle[] = [];
  for (let i = 0; i < options.sseClients; i += 1) {
    const share = tickets.filter((_, index) => index % options.sseClients === i);
    const ticketsFile = join(world.scratchDir, `sse-tickets-${i}.txt`);
    await writeFile(ticketsFile, `${share.join('\n')}\n`);
    const config: SseClientConfig = {
      host: hostname,
      port: Number(port),
      path: `/v1/rooms/${roomId}/events`,
      ticketsFile,
      localAddress: `127.0.0.${2 + i}`,
      concurrency: 200,
      sampleEvery: 50,
      maxS: options.timeoutS,
    };
    const child = spawnNodeScript(
      cleanup,
      `sse client ${i}`,
      new URL('./sse-client.ts', import.meta.url),
      [JSON.stringify(config)],
      {
        ipc: true,
        nofile: options.nofile,
      },
    );
    clients.push({ child });
  }

  const started = performance.now();
  let reports = await ask(clients, 0);
  let lastSettled = -1;
  let lastChange = performance.now();
  for (;;) {
    const settled = sum(reports, (r) => r.withFirst + r.failed);
    if (settled >= tickets.length) break;
    if (settled !== lastSettled) {
      lastSettled = settled;
      lastChange = performance.now();
    }
    if (performance.now() - lastChange > 30_000) {
      progress(
        `sse: no progress for 30 s at ${settled} of ${tickets.length}; measuring what is open`,
      );
      break;
    }
    await sleep(1_000);
    reports = await ask(clients, 0);
    progress(
      `sse: ${sum(reports, (r) => r.withFirst)} streams with a first status, ${sum(reports, (r) => r.failed)} failed`,
    );
  }
  const openSeconds = (performance.now() - started) / 1000;

  // Let allocation from the opening burst settle before reading memory.
  await sleep(3_000);
  const rssAfterKb = await residentKb(service.child.pid);
  const heapUsedAfterBytes = await heapUsedBytes(service.url);
  reports = await ask(clients, 0);
  const held = sum(reports, (r) => r.open);
  progress(`sse: holding ${held} streams; server RSS ${rssAfterKb} KiB`);

  // One admission tick: the pointer moves and every open stream must hear of it.
  const keys = roomKeys(world.servicePrefix, roomId);
  const servedBefore = (await readQueueState(world.redis, keys)).servedUpTo;
  const tickAtMs = Date.now();
  const admitted = await admitNextBatch(world.redis, keys, 100, {
    nowMs: tickAtMs,
    abandonAfterMs: 600_000,
  });
  const pointerMoved = admitted.servedUpTo - servedBefore;
  const deadline = performance.now() + 30_000;
  do {
    await sleep(500);
    reports = await ask(clients, tickAtMs);
  } while (sum(reports, (r) => r.withNewSince) < held && performance.now() < deadline);
  const received = sum(reports, (r) => r.withNewSince);
  const samples = reports.flatMap((r) => r.samples).filter((s) => s.firstPosition !== null);
  const correct = samples.filter(
    (s) =>
      s.lastStanding === 'admitted' ||
      s.lastPosition === (s.firstPosition as number) - pointerMoved,
  );
  progress(
    `sse: after admitting ${admitted.admitted.length}, ${received} of ${held} streams were pushed a new status`,
  );

  for (const client of clients) {
    const close: SseClientMessage = { type: 'close' };
    if (client.child.process.connected) client.child.process.send(close);
  }
  await Promise.all(clients.map((client) => client.child.stop(3_000)));

  const errors: Record<string, number> = {};
  for (const report of reports) {
    for (const [reason, count] of Object.entries(report.errors))
      errors[reason] = (errors[reason] ?? 0) + count;
  }
  const delays = reports.map((r) => r.newDelayMaxMs).filter((d): d is number => d !== null);
  const medians = reports.map((r) => r.newDelayP50Ms).filter((d): d is number => d !== null);
  return {
    target: tickets.length,
    held,
    failed: sum(reports, (r) => r.failed),
    errors,
    openSeconds: round(openSeconds, 1),
    rssBeforeKb,
    rssAfterKb,
    kbPerConnection: perItem(rssBeforeKb, rssAfterKb, held),
    heapUsedBeforeBytes,
    heapUsedAfterBytes,
    heapKbPerConnection:
      heapUsedBeforeBytes === null || heapUsedAfterBytes === null
        ? null
        : perItem(heapUsedBeforeBytes / 1024, heapUsedAfterBytes / 1024, held),
    push: {
      admitted: admitted.admitted.length,
      pointerMoved,
      received,
      receivedFraction: held > 0 ? round(received / held, 4) : 0,
      samplesChecked: samples.length,
      samplesCorrect: correct.length,
      delayP50Ms: medians.length > 0 ? Math.max(...medians) : null,
      delayMaxMs: delays.length > 0 ? Math.max(...delays) : null,
    },
  };
}
