// What the booking page's browser tests share: screenshots, a browser that records every
// failure it sees, and the checks that PostgreSQL and Redis agree after a run.
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { Database } from '@tatkal/drizzle';
import { bookings, payments } from '@tatkal/drizzle/schema';
import { eq } from 'drizzle-orm';
import type { Page } from 'playwright-core';
import {
  assertChromium,
  type Browsers,
  openBrowser,
  screenshotDir,
} from '../../../infra/testing/chromium.ts';
import { auditBookings } from '../../src/bookings/index.ts';
import { auditInventory, type RedisLike } from '../../src/inventory/index.ts';

export const phone = { width: 390, height: 844 };
export const desktop = { width: 1280, height: 900 };

export async function prepareScreenshots(): Promise<void> {
  assertChromium();
  await mkdir(screenshotDir, { recursive: true });
}

export async function screenshot(page: Page, name: string, saved: string[]): Promise<void> {
  const path = join(screenshotDir, `booking-page-${name}.png`);
  await page.screenshot({ path, fullPage: true });
  saved.push(path);
}

/** A page whose script errors, console errors and unexpected error answers are collected. */
export async function openPage(
  browsers: Browsers,
  options: Parameters<typeof openBrowser>[1],
  expectedStatuses: number[] = [],
): Promise<{ page: Page; errors: string[] }> {
  const page = await openBrowser(browsers, options);
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  page.on('console', (message) => {
    // Chromium logs every error answer of a fetch as a console error; those are checked below.
    if (message.type() === 'error' && !message.text().startsWith('Failed to load resource'))
      errors.push(message.text());
  });
  page.on('response', (response) => {
    if (response.status() >= 400 && !expectedStatuses.includes(response.status()))
      errors.push(`${response.status()} ${response.request().method()} ${response.url()}`);
  });
  return { page, errors };
}

/** Page-side width (a string expression: this package's TypeScript has no DOM types). */
export const pageWidth = (page: Page) =>
  page.evaluate<number>('document.documentElement.scrollWidth');

/** Both audits: PostgreSQL's invariants and Redis against PostgreSQL, at rest. */
export async function audit(db: Database, redis: RedisLike, prefix: string, journeyId: number) {
  const violations = await auditBookings(db, journeyId);
  const inventory = await auditInventory(db, redis, prefix, journeyId, Date.now());
  return {
    violations,
    mismatches: inventory.mismatches,
    countMismatches: inventory.countMismatches,
  };
}

export const clean = { violations: [], mismatches: [], countMismatches: [] };

export async function bookingsOf(db: Database, subject: string) {
  return db
    .select({ id: bookings.id, pnr: bookings.pnr, status: bookings.status })
    .from(bookings)
    .where(eq(bookings.subject, subject));
}

export async function paymentsOf(db: Database, bookingId: number) {
  return db
    .select({ status: payments.status, ref: payments.providerRef })
    .from(payments)
    .where(eq(payments.bookingId, bookingId))
    .orderBy(payments.id);
}
