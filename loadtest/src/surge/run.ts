// One run of the surge: its world and stack, the crowd released at the opening, samples once a
// second until the sale ends (sold out once the whole crowd has arrived, the crowd done, or the
// budget spent), then the crowd is stopped, the worker flushes its audit, and the run is audited.
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Redis } from 'ioredis';
import { type BenchChild, spawnNodeScript } from '../bench/children.ts';
import type { Cleanup } from '../bench/cleanup.ts';
import type { CrowdConfig } from '../crowd/plan.ts';
import type { CrowdResults } from '../crowd/results.ts';
import { auditRun } from './audit.ts';
import { scrapeCommitHistogram } from './commit-histogram.ts';
import { mintCrowdTokens } from './contrast-tokens.ts';
import { type RunFigures, runFigures } from './figures.ts';
import type { SurgeOptions } from './options.ts';
import { progress } from './progress.ts';
import { RunSampler, type Sample } from './sampler.ts';
import { startStack } from './stack.ts';
import { createSurgeWorld, surgeClass, surgeQuota, surgeRoomId } from './world.ts';

export type RunMode = 'protected' | 'contrast';

export interface RunOutput {
  figures: RunFigures;
  samples: Sample[];
  crowd: CrowdResults;
}

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

interface DriverSecond {
  second: number;
  arrived: number;
  waiting: number;
  inJourney: number;
}

function lastSecond(driver: BenchChild): DriverSecond | null {
  const lines = driver.stdout().trimEnd().split('\n');
  for (let i = lines.length - 1; i >= 0 && i >= lines.length - 5; i--) {
    try {
      const line = JSON.parse(lines[i] ?? '') as DriverSecond & { type: string };
      if (line.type === 'second') return line;
    } catch {
      // A partial line.
    }
  }
  return null;
}

/** Waits for the end of the sale; returns why it ended. */
async function untilSaleEnds(
  options: SurgeOptions,
  mode: RunMode,
  releaseAtMs: number,
  sampler: RunSampler,
  driver: BenchChild,
): Promise<string> {
  const deadline = releaseAtMs + options.runBudgetS * 1000;
  const everyoneArrivedAt = releaseAtMs + options.windowS * 1000 + 2_000;
  let soldOutAt: number | null = null;
  let lastReport = 0;
  for (;;) {
    await pause(1000);
    const now = Date.now();
    const sample = sampler.latest();
    const crowd = lastSecond(driver);
    if (now - lastReport >= 10_000 && sample) {
      lastReport = now;
      progress(
        `${mode} t=${sample.t}s sold ${sample.sold}/${options.seats} queue ${sample.queueLength ?? '-'} ` +
          `rate ${sample.ratePerSecond ?? '-'}/s sessions ${sample.activeSessions ?? '-'} ` +
          `commit p95 ${sample.commitP95Ms ?? '-'} ms; crowd arrived ${crowd?.arrived ?? 0} ` +
          `waiting ${crowd?.waiting ?? 0} booking ${crowd?.inJourney ?? 0}`,
      );
    }
    if (driver.process.exitCode !== null) return 'crowd driver exited';
    if (now >= deadline) return 'timed out';
    if (sample && sample.sold >= options.seats) {
      soldOutAt ??= now;
      const paymentsSettled = sample.confirmed >= sample.sold || now - soldOutAt > 15_000;
      if (now >= everyoneArrivedAt && paymentsSettled) return 'sold out';
    }
    const idle =
      crowd && crowd.arrived >= options.visitors && crowd.waiting + crowd.inJourney === 0;
    if (idle && now >= everyoneArrivedAt) return 'crowd done';
  }
}

export async function runSurge(
  cleanup: Cleanup,
  redis: Redis,
  options: SurgeOptions,
  mode: RunMode,
  scratchDir: string,
): Promise<RunOutput> {
  progress(`${mode}: creating the database and seeding ${options.seats} Tatkal berths`);
  const world = await createSurgeWorld(
    cleanup,
    redis,
    options,
    mode === 'protected' ? 'p' : 'c',
    scratchDir,
  );
  const stack = await startStack(cleanup, world, options, mode);
  progress(
    `${mode}: ${stack.waitingRoomUrls.length} waiting room(s), ${stack.bookingUrls.length} booking API(s), ${stack.workers.length} worker(s) up`,
  );
  let tokensFile: string | null = null;
  if (mode === 'contrast') {
    tokensFile = join(scratchDir, 'contrast-tokens.txt');
    await mintCrowdTokens(world, options.visitors, options.runBudgetS + 300, tokensFile);
    progress(`contrast: minted ${options.visitors} admission tokens with the run's key file`);
  }
  const releaseAtMs = Date.now() + 3_000;
  const config: CrowdConfig = {
    mode,
    visitors: options.visitors,
    windowS: options.windowS,
    seed: options.seed,
    releaseAtMs,
    sseShare: options.sseShare,
    abandonShare: mode === 'protected' ? options.abandonShare : 0,
    roomId: surgeRoomId,
    journeyId: world.journeyId,
    classCode: surgeClass,
    quota: surgeQuota,
    waitingRoomUrls: stack.waitingRoomUrls,
    bookingUrls: stack.bookingUrls,
    tokensFile,
    requestTimeoutMs: 10_000,
    retries: 2,
    budgetS: options.runBudgetS + 30,
    // Four times what a booking API serves at once (MAX_IN_FLIGHT 256): the crowd is not
    // queued in the client, yet its sockets' buffers stay within a few hundred MB.
    maxSockets: 1_000,
    resultsFile: join(scratchDir, `crowd-${mode}.json`),
  };
  const configFile = join(scratchDir, `crowd-${mode}-config.json`);
  await writeFile(configFile, JSON.stringify(config));
  const driver = spawnNodeScript(
    cleanup,
    `crowd-${mode}`,
    new URL('../crowd/main.ts', import.meta.url),
    [configFile],
    {
      ipc: true,
      nofile: 65_536,
      keepBytes: 20_000,
    },
  );
  const sampler = new RunSampler(redis, world, releaseAtMs, () => [
    driver.pid,
    ...stack.children.map((child) => child.pid),
  ]);
  sampler.start();
  progress(
    `${mode}: ${options.visitors} visitors arrive within ${options.windowS} s from the opening`,
  );
  const reason = await untilSaleEnds(options, mode, releaseAtMs, sampler, driver);
  progress(`${mode}: sale ended (${reason}); stopping the crowd`);
  if (driver.process.connected) driver.process.send('stop');
  const killer = setTimeout(() => driver.process.kill('SIGKILL'), 30_000);
  await driver.exited;
  clearTimeout(killer);
  sampler.stop();
  // The worker writes its pending audit batches on the way out; the audit reads a still stack.
  for (const worker of stack.workers) await worker.stop(15_000);
  const crowd = JSON.parse(await readFile(config.resultsFile, 'utf8')) as CrowdResults;
  crowd.stopReason = reason;
  const commits = await scrapeCommitHistogram(stack.bookingUrls).catch(() => null);
  const audit = await auditRun(redis, world);
  for (const child of stack.children) await child.stop();
  const figures = runFigures({
    crowd,
    audit,
    samples: sampler.samples,
    targetMs: options.latencyTargetMs,
    commits,
  });
  progress(
    `${mode}: sold ${figures.sold}/${figures.seats}, oversold ${figures.oversold}, FIFO inversions ${figures.fifo_inversions}, ` +
      `sell-out ${figures.sellout_seconds ?? '-'} s, commit p95 ${figures.commit_p95_ms ?? '-'} ms, 5xx ${figures.errors_5xx}, timeouts ${figures.timeouts}`,
  );
  return { figures, samples: sampler.samples, crowd };
}
