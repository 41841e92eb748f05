// Runs one measurement with wrk when it is installed (a C load generator
// leaves the server more of the two cores) or autocannon in its own process.
import { existsSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { spawnChild, spawnNodeScript, waitForJsonLine } from '../children.ts';
import type { Cleanup } from '../cleanup.ts';
import type { LoadGeneratorChoice } from '../options.ts';
import type { LoadRun } from '../stats.ts';
import {
  type AutocannonSummary,
  type LoadSpec,
  loadRunFromAutocannon,
  parseWrkOutput,
  wrkScript,
} from './load-spec.ts';

const wrkPath = '/usr/bin/wrk';

export type LoadGenerator = 'wrk' | 'autocannon';

export function pickLoadGenerator(choice: LoadGeneratorChoice): LoadGenerator {
  const hasWrk = existsSync(wrkPath);
  if (choice === 'wrk' && !hasWrk)
    throw new Error(`BENCH_LOAD_GENERATOR=wrk but ${wrkPath} is missing`);
  if (choice === 'autocannon') return 'autocannon';
  return hasWrk ? 'wrk' : 'autocannon';
}

let scriptCounter = 0;

export async function runLoad(
  cleanup: Cleanup,
  generator: LoadGenerator,
  spec: LoadSpec,
  scratchDir: string,
): Promise<LoadRun> {
  const limitMs = (spec.durationS + 40) * 1000;
  if (generator === 'wrk') {
    scriptCounter += 1;
    const script = join(scratchDir, `load-${scriptCounter}.lua`);
    await writeFile(script, wrkScript(spec));
    const child = spawnChild(cleanup, 'wrk', wrkPath, [
      '-t1',
      `-c${spec.connections}`,
      `-d${spec.durationS}s`,
      '--timeout',
      '10s',
      '-s',
      script,
      spec.url,
    ]);
    const code = await withTimeout(child.exited, limitMs, 'wrk');
    await child.stop();
    if (code !== 0) throw new Error(`wrk exited with ${code}: ${child.stderr().slice(-2000)}`);
    return parseWrkOutput(child.stdout());
  }
  const child = spawnNodeScript(
    cleanup,
    'autocannon',
    new URL('./autocannon-child.ts', import.meta.url),
    [JSON.stringify(spec)],
  );
  try {
    const summary = await waitForJsonLine(
      child,
      (line) => (line.autocannon ? (line.autocannon as AutocannonSummary) : undefined),
      limitMs,
    );
    return loadRunFromAutocannon(summary);
  } finally {
    await child.stop();
  }
}

async function withTimeout<T>(work: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      work,
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`${what} did not finish in ${ms} ms`)), ms);
      }),
    ]);
  } finally {
    clearTimeout(timer);
  }
}
