// `pnpm loadtest:surge`: a Tatkal rush end to end. The protected run sends the crowd through
// the waiting room and the admission controller to the booking API; the contrast run sends the
// same crowd (same seed: same arrivals) straight at the booking API with tokens the harness
// minted. Each run has its own database, Redis prefix and processes, all removed afterwards.
// Progress on stderr; the report under loadtest/reports/<date>/; stdout ends with one JSON line.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { Cleanup } from '../bench/cleanup.ts';
import { headline } from './figures.ts';
import { type SurgeOptions, surgeOptions } from './options.ts';
import { progress } from './progress.ts';
import { codeVersion, writeReport } from './report.ts';
import { type RunOutput, runSurge } from './run.ts';

function sseLimit(options: SurgeOptions): void {
  // One descriptor per stream in the driver and in a waiting room; the default hard limit here
  // is 20,000 and cannot be raised without privileges.
  const streams = options.visitors * options.sseShare;
  if (streams / options.waitingRooms > 16_000 || streams > 16_000) {
    throw new Error(
      `${Math.round(streams)} SSE streams is more than one process's open-files limit allows; lower --sse-share`,
    );
  }
}

async function main(): Promise<number> {
  const options = surgeOptions(process.argv.slice(2), process.env);
  sseLimit(options);
  const cleanup = new Cleanup();
  const startedAt = Date.now();
  const code = codeVersion();
  const timeoutS = 2 * options.runBudgetS + 240;
  const abort = async (reason: string, code: number) => {
    progress(`${reason}; cleaning up`);
    await cleanup.runAll();
    process.exit(code);
  };
  const timer = setTimeout(
    () => void abort(`global timeout of ${timeoutS} s reached`, 2),
    timeoutS * 1000,
  );
  process.once('SIGINT', () => void abort('interrupted', 130));
  process.once('SIGTERM', () => void abort('terminated', 143));
  try {
    const redis = new Redis(options.redisUrl, { maxRetriesPerRequest: 3 });
    cleanup.defer('redis connection', async () => redis.disconnect());
    const scratchDir = await mkdtemp(join(tmpdir(), 'tatkal-surge-'));
    cleanup.defer(`remove ${scratchDir}`, () => rm(scratchDir, { recursive: true, force: true }));
    progress(
      `surge: ${options.visitors} visitors within ${options.windowS} s for ${options.seats} Tatkal berths` +
        (options.contrast ? ', then the same crowd without the waiting room' : ''),
    );
    const protectedRun = await runSurge(cleanup, redis, options, 'protected', scratchDir);
    let contrastRun: RunOutput | null = null;
    if (options.contrast)
      contrastRun = await runSurge(cleanup, redis, options, 'contrast', scratchDir);
    const elapsedS = Math.round((Date.now() - startedAt) / 1000);
    if (options.reportDir) {
      const written = await writeReport(options, protectedRun, contrastRun, elapsedS, code);
      progress(`report: ${written.join(', ')}`);
    }
    clearTimeout(timer);
    await cleanup.runAll();
    const line = {
      ...headline(protectedRun.figures),
      contrast: contrastRun ? headline(contrastRun.figures) : null,
      elapsed_s: elapsedS,
      report: options.reportDir || null,
    };
    process.stdout.write(`${JSON.stringify(line)}\n`);
    return 0;
  } catch (error) {
    progress(
      `surge failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`,
    );
    clearTimeout(timer);
    await cleanup.runAll();
    process.stdout.write(
      `${JSON.stringify({ error: error instanceof Error ? error.message : String(error) })}\n`,
    );
    return 1;
  }
}

process.exit(await main());
