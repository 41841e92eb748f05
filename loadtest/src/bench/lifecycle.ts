// What every benchmark command shares: phases that report failures and go on,
// a global timeout, Ctrl-C handling, cleanup on every way out, and the report
// (table on stderr, one JSON line on stdout as the last line).
import { type Cleanup, progress } from './cleanup.ts';

interface Results {
  errors: string[];
  elapsedS: number;
}

export interface BenchLifecycle {
  /** Runs one phase; a failure is reported and the bench goes on with the next. */
  phase(name: string, work: () => Promise<void>): Promise<void>;
  /** Runs the whole bench, cleans up and exits with the report. */
  run(main: () => Promise<void>): Promise<never>;
}

export function benchLifecycle<R extends Results>(options: {
  results: R;
  cleanup: Cleanup;
  timeoutS: number;
  table: (results: R) => string;
  json: (results: R) => unknown;
}): BenchLifecycle {
  const { results, cleanup } = options;
  const startedAt = performance.now();

  const finish = (exitCode: number): never => {
    results.elapsedS = Math.round((performance.now() - startedAt) / 100) / 10;
    process.stderr.write(`\n${options.table(results)}\n`);
    process.stdout.write(`${JSON.stringify(options.json(results))}\n`);
    process.exit(exitCode);
  };

  const abort = async (reason: string, exitCode: number): Promise<never> => {
    results.errors.push(reason);
    progress(`${reason}; cleaning up`);
    await cleanup.runAll();
    return finish(exitCode);
  };

  const globalTimer = setTimeout(
    () => void abort(`global timeout of ${options.timeoutS} s reached`, 2),
    options.timeoutS * 1000,
  );
  process.once('SIGINT', () => void abort('interrupted', 130));
  process.once('SIGTERM', () => void abort('terminated', 143));

  return {
    async phase(name, work) {
      progress(`${name}...`);
      try {
        await work();
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        results.errors.push(`${name}: ${message.split('\n').slice(0, 8).join(' | ')}`);
        progress(`${name} FAILED: ${error instanceof Error ? (error.stack ?? message) : message}`);
      }
    },
    async run(main) {
      try {
        await main();
      } catch (error) {
        results.errors.push(error instanceof Error ? error.message : String(error));
        progress(
          `bench failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`,
        );
      }
      clearTimeout(globalTimer);
      await cleanup.runAll();
      return finish(results.errors.length > 0 ? 1 : 0);
    },
  };
}
