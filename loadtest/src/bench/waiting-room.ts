// `pnpm bench:waiting-room`: the waiting room's throughput, Redis memory and
// live connections, each figure a ratio or a per-item cost measured in this
// run on this machine (docs: DESIGN.md §8). Progress goes to stderr, then a
// table; the last stdout line is one JSON object. Everything it creates
// (processes, database, Redis keys, files) is removed, also on failure, and
// the whole run is bounded by BENCH_TIMEOUT_S.
import { writeFile } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { effectiveNofile, spawnNodeScript, waitForJsonLine } from './children.ts';
import { Cleanup, progress } from './cleanup.ts';
import { type BenchWorld, createWorld, type ServiceHandle, startWaitingRoom } from './fixture.ts';
import { benchLifecycle } from './lifecycle.ts';
import { pickLoadGenerator } from './load/run-load.ts';
import { type BenchPhase, benchOptions } from './options.ts';
import { measureRedisMemory } from './redis-memory.ts';
import { type BenchResults, reportJson, reportTable } from './report.ts';
import { countRoundTrips } from './round-trips.ts';
import { measureSse } from './sse/measure-sse.ts';
import { warmUpStreams } from './sse/warm-up.ts';
import { measurePair, type PairSettings } from './throughput.ts';
import {
  closeVisitorAgent,
  joinOnce,
  joinRequest,
  joinUrl,
  joinVisitors,
  statusOnce,
  statusUrl,
} from './visitors.ts';

const options = benchOptions(process.env);
const cleanup = new Cleanup();
const generator = pickLoadGenerator(options.loadGenerator);
const results: BenchResults = {
  machine: {
    cpus: availableParallelism(),
    node: process.version,
    platform: `${process.platform}-${process.arch}`,
    loadGenerator: generator,
  },
  durationS: options.durationS,
  connections: options.connections,
  rounds: options.rounds,
  joinRoundTrips: null,
  statusRoundTrips: null,
  join: null,
  status: null,
  responseBytes: null,
  redisMemory: null,
  sse: null,
  sseLimits: null,
  errors: [],
  elapsedS: 0,
};

const { phase, run } = benchLifecycle({
  results,
  cleanup,
  timeoutS: options.timeoutS,
  table: reportTable,
  json: reportJson,
});

async function throughputPhases(world: BenchWorld, service: ServiceHandle): Promise<void> {
  const roomId = await world.addRoom('bench-throughput');
  const tickets = (await joinVisitors(service.url, roomId, options.statusTickets)).map(
    (visitor) => visitor.ticket,
  );
  const ticketsFile = join(world.scratchDir, 'status-tickets.txt');
  await writeFile(ticketsFile, `${tickets.join('\n')}\n`);
  const joinSample = await joinOnce(service.url, roomId);
  const statusSample = await statusOnce(service.url, roomId, tickets[0] ?? '');
  results.responseBytes = {
    join: Buffer.byteLength(JSON.stringify(joinSample)),
    status: Buffer.byteLength(JSON.stringify(statusSample)),
  };

  results.joinRoundTrips = await countRoundTrips(options.redisUrl, world.servicePrefix, 300, () =>
    joinOnce(service.url, roomId),
  );
  results.statusRoundTrips = await countRoundTrips(options.redisUrl, world.servicePrefix, 300, () =>
    statusOnce(service.url, roomId, tickets[1] ?? ''),
  );
  const joinRoundTrips = Math.max(0, Math.round(results.joinRoundTrips.perRequest));
  progress(
    `Redis round trips per request: join ${results.joinRoundTrips.perRequest}, status ${results.statusRoundTrips.perRequest}`,
  );

  const baseline = spawnNodeScript(
    cleanup,
    'baseline server',
    new URL('./baseline-server.ts', import.meta.url),
    [],
    {
      env: {
        HOST: '127.0.0.1',
        PORT: '0',
        REDIS_URL: options.redisUrl,
        BASELINE_KEY_PREFIX: world.newPrefix('base'),
        JOIN_ROUND_TRIPS: String(joinRoundTrips),
        JOIN_BODY: JSON.stringify(joinSample),
        STATUS_BODY: JSON.stringify(statusSample),
        BASELINE_MAX_S: String(options.timeoutS),
      },
    },
  );
  const baselinePort = await waitForJsonLine(
    baseline,
    (line) => (typeof line.listening === 'number' ? line.listening : undefined),
    15_000,
  );
  const baselineUrl = `http://127.0.0.1:${baselinePort}`;
  const settings: PairSettings = {
    generator,
    connections: options.connections,
    durationS: options.durationS,
    warmupS: options.warmupS,
    rounds: options.rounds,
    scratchDir: world.scratchDir,
  };

  await phase('join throughput', async () => {
    results.join = await measurePair(
      cleanup,
      {
        name: 'join',
        pids: { real: service.child.pid, baseline: baseline.pid },
        real: { url: joinUrl(service.url, roomId), ...joinRequest },
        baseline: { url: `${baselineUrl}/join`, ...joinRequest },
      },
      settings,
      progress,
    );
  });
  await phase('status throughput', async () => {
    const side = { method: 'GET' as const, headers: { accept: 'application/json' }, ticketsFile };
    results.status = await measurePair(
      cleanup,
      {
        name: 'status',
        pids: { real: service.child.pid, baseline: baseline.pid },
        real: { url: statusUrl(service.url, roomId), ...side },
        baseline: { url: `${baselineUrl}/status`, ...side },
      },
      settings,
      progress,
    );
  });
  await baseline.stop();
}

async function main(): Promise<void> {
  progress(
    `load generator ${generator}; ${options.connections} connections, ${options.rounds} x ${options.durationS} s per side`,
  );
  const world = await createWorld(cleanup, options);
  const run = (name: BenchPhase) => options.phases.has(name);

  // Each stream is a file descriptor of the service; keep room for its own (Redis, PostgreSQL, ...).
  const fdLimit = effectiveNofile(options.nofile);
  const sseTarget = Math.min(options.sseConnections, fdLimit - 100);
  let sseTickets: string[] = [];
  if (run('sse')) {
    results.sseLimits = {
      requested: options.sseConnections,
      serviceFdLimit: fdLimit,
      target: sseTarget,
    };
    if (sseTarget < options.sseConnections) {
      progress(
        `the service can open only ${fdLimit} files here (raising the hard limit needs CAP_SYS_RESOURCE), ` +
          `so ${sseTarget} SSE streams are opened instead of ${options.sseConnections}`,
      );
    }
  }

  if (run('throughput') || run('sse')) {
    const first = await startWaitingRoom(cleanup, world, options, 'waiting-room');
    if (run('throughput')) await phase('throughput', () => throughputPhases(world, first));
    if (run('sse')) {
      await phase(`joining ${sseTarget + 20} visitors for the SSE streams`, async () => {
        const sseRoom = await world.addRoom('bench-sse');
        sseTickets = (await joinVisitors(first.url, sseRoom, sseTarget + 20, 64)).map(
          (visitor) => visitor.ticket,
        );
      });
    }
    await first.child.stop();
    closeVisitorAgent();
  }

  if (run('memory')) {
    await phase(`Redis memory of ${options.memoryVisitors} waiting visitors`, async () => {
      results.redisMemory = await measureRedisMemory(
        options.redisUrl,
        world.newPrefix('mem'),
        options.memoryVisitors,
        progress,
      );
    });
  }

  if (sseTickets.length > 0) {
    await phase('SSE connections', async () => {
      // A fresh process, so its memory before the streams is not that of the throughput runs.
      const service = await startWaitingRoom(cleanup, world, options, 'waiting-room (sse)');
      await warmUpStreams(service.url, 'bench-sse', sseTickets.slice(0, 20));
      results.sse = await measureSse(
        cleanup,
        world,
        options,
        service,
        'bench-sse',
        sseTickets.slice(20),
        progress,
      );
      await service.child.stop(15_000);
    });
  }
}

await run(main);
