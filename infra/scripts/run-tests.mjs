// Runs every vitest project and ends with a plain count line, "tests: N passed,
// N failed", that any CI log reader understands. The unit and integration
// projects run first, side by side; the end-to-end project (whole-stack runs
// that each load the machine) runs after them, one file at a time, so neither
// phase's timing-sensitive checks compete with the other for the two cores.
// Arguments (file filters, vitest flags) run as a single phase instead.
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const vitest = fileURLToPath(new URL('../../node_modules/.bin/vitest', import.meta.url));
const args = process.argv.slice(2);
const phases =
  args.length > 0
    ? [{ name: 'selected', args }]
    : [
        { name: 'unit-integration', args: ['--project', 'unit', '--project', 'integration'] },
        { name: 'e2e', args: ['--project', 'e2e', '--maxWorkers', '1'] },
      ];

mkdirSync('.vitest-reports', { recursive: true });
const totals = { tests: 0, suites: 0, passed: 0, failed: 0, skipped: 0 };
let failed = false;
for (const phase of phases) {
  const report = `.vitest-reports/${phase.name}.json`;
  rmSync(report, { force: true });
  const run = spawnSync(
    vitest,
    ['run', '--reporter=default', '--reporter=json', `--outputFile.json=${report}`, ...phase.args],
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
    process.stderr.write(`vitest wrote no report for ${phase.name}; see its output above\n`);
    failed = true;
    continue;
  }
  totals.tests += summary.numTotalTests;
  totals.suites += summary.numTotalTestSuites;
  totals.passed += summary.numPassedTests;
  totals.failed += summary.numFailedTests;
  totals.skipped += summary.numPendingTests + summary.numTodoTests;
  if (run.status !== 0 || summary.numFailedTests > 0 || summary.numTotalTests === 0) failed = true;
}

process.stdout.write(`\n${totals.tests} tests ran in ${totals.suites} suites\n`);
process.stdout.write(
  `tests: ${totals.passed} passed, ${totals.failed} failed, ${totals.skipped} skipped\n`,
);
process.exit(failed ? 1 : 0);
