// `pnpm loadtest:surge` at a tiny size, as an operator runs it: 300 visitors within 10 s for
// 60 berths, through the whole stack and then straight at the booking API. The command builds
// and removes its own databases, Redis prefixes and processes; this checks its last line (the
// JSON the acceptance names), its audit figures and the report files it wrote.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { testPgAdminUrl, testRedisUrl } from '../../../infra/testing/env.ts';
import { acceptanceFields } from '../support/acceptance-fields.ts';

const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));
const reportDir = mkdtempSync(join(tmpdir(), 'tatkal-surge-report-'));

afterAll(() => rmSync(reportDir, { recursive: true, force: true }));

async function surge(
  args: string[],
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, ['loadtest/src/surge/command.ts', ...args], {
    cwd: repoRoot,
    env: {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? '/tmp',
      SURGE_PG_URL: testPgAdminUrl,
      SURGE_REDIS_URL: testRedisUrl,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => {
    stdout += chunk.toString();
  });
  child.stderr.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const [code] = (await once(child, 'close')) as [number | null];
  return { code, stdout, stderr };
}

describe('pnpm loadtest:surge', () => {
  it('sells a tiny sale through the waiting room and straight at the booking API, and says so in its last line', async () => {
    const run = await surge([
      '--visitors=300',
      '--seats=60',
      '--window=10',
      '--budget=45',
      `--report=${reportDir}`,
    ]);
    const lines = run.stdout.trimEnd().split('\n');
    const context = `exit ${run.code}\nstderr:\n${run.stderr.slice(-3000)}`;
    expect(run.code, context).toBe(0);
    const last = JSON.parse(lines.at(-1) ?? '{}') as Record<string, unknown> & {
      contrast: Record<string, unknown>;
    };
    for (const field of acceptanceFields) {
      expect(last, `${field} missing; ${context}`).toHaveProperty(field);
      expect(last.contrast, `contrast.${field} missing`).toHaveProperty(field);
    }
    expect(last).toMatchObject({
      visitors: 300,
      seats: 60,
      sold: 60,
      oversold: 0,
      fifo_inversions: 0,
      commit_target_ms: 150,
      booking_violations: 0,
      inventory_mismatches: 0,
    });
    expect(last.sellout_seconds, context).toEqual(expect.any(Number));
    expect(last.contrast).toMatchObject({
      visitors: 300,
      seats: 60,
      oversold: 0,
      booking_violations: 0,
    });
    expect(Number(last.contrast.sold)).toBeLessThanOrEqual(60);

    // The report: markdown, its JSON twin with the same figures, and the charts it links.
    const markdown = readFileSync(join(reportDir, 'report.md'), 'utf8');
    const twin = JSON.parse(readFileSync(join(reportDir, 'report.json'), 'utf8')) as {
      protected: { figures: Record<string, unknown>; series: { t: number[] } };
      contrast: { figures: Record<string, unknown> };
    };
    expect(twin.protected.figures.sold).toBe(last.sold);
    expect(twin.contrast.figures.sold).toBe(last.contrast.sold);
    expect(twin.protected.series.t.length).toBeGreaterThan(5);
    const charts = [...markdown.matchAll(/!\[[^\]]*\]\(([^)]+\.png)\)/g)].map((m) => m[1] ?? '');
    expect(charts).toHaveLength(7);
    for (const chart of charts) {
      const file = join(reportDir, chart);
      expect(existsSync(file), file).toBe(true);
      // A PNG signature and more than an empty image.
      expect(readFileSync(file).subarray(1, 4).toString()).toBe('PNG');
      expect(statSync(file).size).toBeGreaterThan(3_000);
    }
  }, 90_000);
});
