// Acceptance: the operator console in real Chromium against the admin app over
// real sockets. An operator signs in with a token, watches the charts move as
// the ticks' decision records arrive, pauses the room, sets a bound and pulls
// the brake (each checked in PostgreSQL); a viewer sees the same charts with
// the controls disabled. Screenshots go to .artifacts/screenshots/.
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { operatorAuditLog, rooms } from '@tatkal/drizzle';
import { desc, eq } from 'drizzle-orm';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type Browsers,
  closeBrowsers,
  openBrowser as openChromium,
  screenshotDir,
} from '../../../infra/testing/chromium.ts';
import {
  type AdminWorld,
  adminWorld,
  appendDecision,
  decisionRecord,
  serveAdmin,
} from './support.ts';

let world: AdminWorld;
let server: Awaited<ReturnType<typeof serveAdmin>>;
const browsers: Browsers = [];
const pageErrors: string[] = [];

beforeAll(async () => {
  world = await adminWorld({ heartbeatSeconds: 1 });
  server = await serveAdmin(world.app);
  await mkdir(screenshotDir, { recursive: true });
});
afterAll(async () => {
  await closeBrowsers(browsers);
  await server?.close();
  await world?.close();
});

/** A browser with a fresh profile directory of its own (removed in afterAll). */
async function openBrowser(): Promise<Page> {
  const page = await openChromium(browsers, { viewport: { width: 1360, height: 1100 } });
  page.on('pageerror', (error) => pageErrors.push(error.message));
  page.on('console', (message) => {
    if (message.type() === 'error') pageErrors.push(message.text());
  });
  return page;
}

const demo = async () => (await world.db.db.select().from(rooms).where(eq(rooms.id, 'demo')))[0];

async function signIn(page: Page, token: string): Promise<void> {
  await page.goto(`${server.url}/admin/console?room=demo`);
  await page.getByLabel('Operator token').fill(token);
  await page.getByRole('button', { name: 'Sign in' }).click();
}

const polyline = (page: Page, chart: string) =>
  page.locator(`#chart-${chart} polyline`).first().getAttribute('points');

async function appendTicks(from: number, to: number): Promise<void> {
  for (let tick = from; tick < to; tick++) {
    await appendDecision(
      world.redis,
      world.prefix,
      decisionRecord('demo', tick, {
        waiting: 4000 - 150 * tick,
        admitted: 20 + tick,
        rate: 10 + 2 * tick,
      }),
    );
  }
}

describe('operator console', () => {
  it('signs in, shows live charts that move, and pauses the room', async () => {
    await appendTicks(0, 5);
    const page = await openBrowser();
    await signIn(page, world.tokens.operator);

    await expect.poll(() => page.locator('#whoami').textContent()).toBe('asha-operator (operator)');
    await expect
      .poll(() => page.getByRole('status').textContent())
      .toMatch(/Signed in as asha-operator/);
    // The backlog fills the charts at once.
    await page.locator('#chart-queue[data-points="5"]').waitFor();
    const before = await polyline(page, 'queue');
    expect(await page.locator('#chart-queue-value').textContent()).toBe('3,400');

    // New ticks arrive over the live view and the charts move.
    await appendTicks(5, 9);
    await page.locator('#chart-queue[data-points="9"]').waitFor();
    const after = await polyline(page, 'queue');
    expect(after).not.toBe(before);
    expect(after?.split(' ')).toHaveLength(9);
    expect(await page.locator('#chart-queue-value').textContent()).toBe('2,800');
    await page.locator('#chart-admitted[data-points="9"]').waitFor();
    expect(await page.locator('#chart-admitted-value').textContent()).toBe('28');
    for (const chart of ['controller', 'latency', 'sessions', 'health']) {
      expect(await page.locator(`#chart-${chart} polyline`).count()).toBeGreaterThan(0);
    }
    expect(await page.locator('#ticks tr').count()).toBe(9);
    await expect.poll(() => page.locator('#live').textContent()).toBe('live');

    // Pause: the room row changes and the audit log names the operator.
    await page.getByRole('button', { name: 'Pause' }).click();
    await expect.poll(() => page.getByRole('status').textContent()).toMatch(/now paused/);
    expect((await demo())?.status).toBe('paused');
    const [audit] = await world.db.db
      .select()
      .from(operatorAuditLog)
      .orderBy(desc(operatorAuditLog.id))
      .limit(1);
    expect(audit).toMatchObject({
      actor: 'asha-operator',
      role: 'operator',
      action: 'room.pause',
      roomId: 'demo',
    });
    await expect.poll(() => page.locator('#f-state').textContent()).toBe('paused');
    expect(await page.getByRole('button', { name: 'Resume' }).isEnabled()).toBe(true);

    // Bounds form and the brake.
    await page.getByLabel('Max admissions / s').fill('120');
    await page.getByLabel('Latency target (ms)').fill('180');
    await page.getByRole('button', { name: 'Save bounds' }).click();
    await expect.poll(async () => (await demo())?.maxAdmitPerSecond).toBe(120);
    expect((await demo())?.latencyTargetMs).toBe(180);
    await page.getByRole('button', { name: 'Emergency brake' }).click();
    await expect.poll(async () => (await demo())?.emergencyBrake).toBe(true);
    await expect.poll(() => page.locator('#f-brake').textContent()).toBe('ON');

    // One more tick so the screenshot shows the newest state.
    await appendTicks(9, 12);
    await page.locator('#chart-queue[data-points="12"]').waitFor();
    await page.screenshot({ path: join(screenshotDir, 'admin-console.png'), fullPage: true });
    // The token stays in this tab's sessionStorage, never in the URL.
    expect(page.url()).not.toContain(world.tokens.operator);
    expect(pageErrors).toEqual([]);
  });

  it('gives a viewer the charts but no controls, and refuses a bad token', async () => {
    const page = await openBrowser();
    await signIn(page, 'tkop_notARealToken');
    await expect
      .poll(() => page.getByRole('status').textContent())
      .toMatch(/Operator token not valid/);
    expect(await page.locator('#workspace').isHidden()).toBe(true);

    await page.getByLabel('Operator token').fill(world.tokens.viewer);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect.poll(() => page.getByRole('status').textContent()).toMatch(/read-only/);
    await page.locator('#chart-queue[data-points="12"]').waitFor();
    for (const name of ['Pause', 'Resume', 'Drain', 'Save bounds']) {
      expect(await page.getByRole('button', { name, exact: true }).isDisabled(), name).toBe(true);
    }
    await page.screenshot({
      path: join(screenshotDir, 'admin-console-viewer.png'),
      fullPage: true,
    });
    // 401 is expected once, for the bad token; nothing else went wrong.
    expect(pageErrors.filter((text) => !text.includes('401'))).toEqual([]);
  });
});
