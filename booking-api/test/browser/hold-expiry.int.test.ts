// A hold that runs out while the visitor is still typing passengers: the countdown reaches zero,
// the page says so and goes back to choosing, the berths are free again for everyone, and
// nothing of the hold is left in Redis or PostgreSQL. Its own booking API, with a short Tatkal
// hold, so the other browser tests keep the service's default.
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Browsers, closeBrowsers } from '../../../infra/testing/chromium.ts';
import { readAvailability } from '../../src/inventory/index.ts';
import { type BookingWorld, createBookingWorld } from '../support/booking-world.ts';
import {
  audit,
  bookingsOf,
  clean,
  openPage,
  phone,
  prepareScreenshots,
  screenshot,
} from './support.ts';

const holdSeconds = 6;
let world: BookingWorld;
const browsers: Browsers = [];
const screenshots: string[] = [];

beforeAll(async () => {
  await prepareScreenshots();
  world = await createBookingWorld({ tatkalHoldTtlMs: holdSeconds * 1000 });
});

afterAll(async () => {
  await closeBrowsers(browsers);
  await world?.close();
  if (screenshots.length > 0)
    console.log(`booking page screenshots:\n  ${screenshots.join('\n  ')}`);
});

const heldIn3aTatkal = async () =>
  (await readAvailability(world.deps.redis, world.deps.prefix, world.journeyId, Date.now())).find(
    (pool) => pool.classCode === '3A' && pool.quota === 'TQ',
  )?.held;

/** The hold the page keeps for a reload (session storage), or 'none'. */
const storedHoldId = (page: Page) =>
  page.evaluate<string>(
    `JSON.parse(sessionStorage.getItem(Object.keys(sessionStorage).find((k) => k.startsWith('tatkal-booking:flow:'))) ?? '{}').hold?.holdId ?? 'none'`,
  );

describe('booking page: the hold runs out during the passenger form', () => {
  it('counts down, says the hold expired, offers the berths again, and leaves no hold behind', async () => {
    const subject = 'slow-typist';
    const token = await world.token(subject);
    const { page, errors } = await openPage(browsers, { viewport: phone, locale: 'en-IN' });
    await page.goto(`${world.url}/book?room=demo#token=${token}`);
    await page.getByRole('radio', { name: /^AC 3 Tier \(3A\), Tatkal:/ }).check();
    await page.getByRole('button', { name: 'Coach B4, berth 17, Lower, free' }).click();
    await page.getByRole('button', { name: 'Hold these berths' }).click();
    await page.locator('#s-held').waitFor();
    expect(await heldIn3aTatkal()).toBe(1);
    const holdId = await storedHoldId(page);
    expect(holdId).toMatch(/^\d+\./);
    const first = (await page.locator('#hold-countdown').textContent()) ?? '';
    expect(first).toMatch(/^0:0\d$/);
    await page.getByLabel('Full name').fill('Nandini Rao');
    // The countdown goes down as the visitor types, and is announced for screen readers.
    await page
      .locator('#hold-countdown')
      .filter({ hasNotText: new RegExp(`^${first}$`) })
      .waitFor();
    expect(await page.locator('#announce').textContent()).toMatch(
      /^0:0\d left to book these berths\.$/,
    );
    await screenshot(page, 'hold-counting-down-phone', screenshots);

    await page.locator('#alert', { hasText: 'Your hold ran out' }).waitFor({ timeout: 15_000 });
    expect(await page.locator('#alert').textContent()).toBe(
      'Your hold ran out and the berths went back on sale. Choose berths again.',
    );
    await page.locator('#s-choose').waitFor();
    expect(await page.locator('#s-held').isVisible()).toBe(false);
    // The berth is offered again, to this visitor and to everyone.
    await page.getByRole('button', { name: 'Coach B4, berth 17, Lower, free' }).waitFor();
    await screenshot(page, 'hold-expired-phone', screenshots);

    // The page forgot the hold; booking it anyway (a stale tab) is refused and books nothing.
    expect(await storedHoldId(page)).toBe('none');
    const late = await world.call(
      'POST',
      '/v1/bookings',
      token,
      {
        holdId,
        passengers: [{ name: 'Nandini Rao', age: 30, gender: 'F', berthPreference: null }],
      },
      { 'idempotency-key': 'late-booking' },
    );
    expect(late.status).toBe(409);
    expect(late.body.code).toBe('hold_expired');
    expect(await bookingsOf(world.deps.db.db, subject)).toEqual([]);
    expect(await heldIn3aTatkal()).toBe(0);
    expect(
      await audit(world.deps.db.db, world.deps.redis, world.deps.prefix, world.journeyId),
    ).toEqual(clean);
    expect(errors).toEqual([]);
  }, 60_000);
});
