// Runs every vitest project (unit and integration) once and ends with a plain
// count line, "tests: N passed, N failed", that any CI log reader understands.
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const report = '.vitest-reports/results.json';
mkdirSync('.vitest-reports', { recursive: true });
rmSync(report, { force: true });

const vitest = fileURLToPath(new URL('../../node_modules/.bin/vitest', import.meta.url));
const run = spawnSync(
  vitest,
  [
    'run',
    '--reporter=default',
    '--reporter=json',
    `--outputFile.json=${report}`,
    ...process.argv.slice(2),
  ],
  { stdio: 'inherit', shell: false },
);

if (run.error) {
  process.stderr.write(`could not run vitest: ${run.error.message}\n`);
  process.exit(1);
}

let summary;
try {
  summary = JSON.parse(readFileSync(report, 'utf8'));
} catch {
  process.stderr.write('vitest wrote no report; see its output above\n');
  process.exit(run.status || 1);
}
const { numTotalTests, numPassedTests, numFailedTests, numPendingTests, numTodoTests } = summary;
const skipped = numPendingTests + numTodoTests;
process.stdout.write(`\n${numTotalTests} tests ran in ${summary.numTotalTestSuites} suites\n`);
process.stdout.write(
  `tests: ${numPassedTests} passed, ${numFailedTests} failed, ${skipped} skipped\n`,
);
const failed = run.status !== 0 || numFailedTests > 0 || numTotalTests === 0;
process.exit(failed ? run.status || 1 : 0);
