// The booking page when things go wrong, in real Chromium against the booking API over real
// sockets, PostgreSQL and Redis: an admission that expired or was used up, berths taken by
// someone else between the map and the hold, a payment that fails and is retried, and a
// double click on "Pay". After each, PostgreSQL and Redis agree and nothing was done twice.
import { consumeAdmissionToken, issueAdmissionToken } from '@tatkal/waiting-room/tokens';
import type { Locator } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Browsers, closeBrowsers } from '../../../infra/testing/chromium.ts';
import { withInventory } from '../../src/flows/index.ts';
import { readAvailability } from '../../src/inventory/index.ts';
import { type BookingWorld, createBookingWorld } from '../support/booking-world.ts';
import {
  audit,
  bookingsOf,
  clean,
  desktop,
  openPage,
  paymentsOf,
  prepareScreenshots,
  screenshot,
} from './support.ts';

let world: BookingWorld;
const browsers: Browsers = [];
const screenshots: string[] = [];
/** The payment simulator's next draws: below 0.5 fails, otherwise (and when empty) succeeds. */
const paymentDraws: number[] = [];

beforeAll(async () => {
  await prepareScreenshots();
  world = await createBookingWorld({
    paymentDelayMs: 150,
    paymentFailureRate: 0.5,
    paymentRandom: () => paymentDraws.shift() ?? 0.99,
  });
});

afterAll(async () => {
  await closeBrowsers(browsers);
  await world?.close();
  if (screenshots.length > 0)
    console.log(`booking page screenshots:\n  ${screenshots.join('\n  ')}`);
});

const bookUrl = (token: string) => `${world.url}/book?room=demo#token=${token}`;
const auditNow = () =>
  audit(world.deps.db.db, world.deps.redis, world.deps.prefix, world.journeyId);

async function seatId(coach: string, berthNumber: number, token: string): Promise<number> {
  const map = await world.call(
    'GET',
    `/v1/journeys/${world.journeyId}/seats?classCode=3A&quota=TQ`,
    token,
  );
  const coaches = map.body.coaches as Array<{
    coach: string;
    seats: Array<{ seatId: number; berthNumber: number }>;
  }>;
  const seat = coaches
    .find((entry) => entry.coach === coach)
    ?.seats.find((entry) => entry.berthNumber === berthNumber);
  if (!seat) throw new Error(`no seat ${coach}/${berthNumber}`);
  return seat.seatId;
}

/** Someone else, with an admission of their own, holds this seat through the API. */
async function someoneElseHolds(seat: number, subject: string): Promise<void> {
  const token = await world.token(subject);
  const held = await world.call(
    'POST',
    '/v1/holds',
    token,
    { journeyId: world.journeyId, classCode: '3A', quota: 'TQ', seatIds: [seat] },
    { 'idempotency-key': `${subject}-hold` },
  );
  expect(held.status, JSON.stringify(held.body)).toBe(201);
}

async function fillPassenger(
  form: Locator,
  index: number,
  name: string,
  age: string,
  gender: string,
) {
  await form.getByLabel('Full name').nth(index).fill(name);
  await form.getByLabel('Age').nth(index).fill(age);
  await form.getByLabel('Gender').nth(index).selectOption(gender);
}

/** Opens the page with a fresh admission and holds one berth of 3A Tatkal (any, no preference). */
async function holdOneBerth(subject: string, expectedStatuses: number[] = []) {
  const token = await world.token(subject);
  const opened = await openPage(browsers, { viewport: desktop, locale: 'en-GB' }, expectedStatuses);
  const { page } = opened;
  await page.goto(bookUrl(token));
  await page.getByRole('radio', { name: /^AC 3 Tier \(3A\), Tatkal:/ }).check();
  await page.getByRole('radio', { name: 'Any free berths, with preferences' }).check();
  await page.getByRole('button', { name: 'Hold these berths' }).click();
  await page.locator('#s-held').waitFor();
  return { ...opened, token };
}

describe('booking page failure paths in Chromium', () => {
  it('an expired admission, and a used-up one, are explained with the way back to the queue', async () => {
    const expired = await issueAdmissionToken(world.keys.signing, {
      issuer: 'tatkal-waiting-room',
      audience: 'tatkal-booking-api',
      subject: 'late-visitor',
      room: 'demo',
      scope: { journeyId: world.journeyId, classes: ['3A'], quotas: ['TQ'] },
      jti: 'late-visitor-jti',
      issuedAtSec: Math.floor(Date.now() / 1000) - 700,
      sessionSeconds: 600,
    });
    const { page, errors } = await openPage(browsers, { viewport: desktop }, [401, 403]);
    await page.goto(bookUrl(expired));
    await page.locator('#s-stop').waitFor();
    expect(await page.locator('#stop-reason').textContent()).toBe(
      'Your admission has expired. Go back to the queue to get a new turn.',
    );
    const back = page.getByRole('link', { name: 'Back to the queue' });
    expect(await back.getAttribute('href')).toBe('http://127.0.0.1:8080/rooms/demo?lang=en');
    expect(new URL(page.url()).hash).toBe('');
    expect(await page.locator('#session-ends').isVisible()).toBe(false);
    expect(await page.locator('#s-choose').isVisible()).toBe(false);
    await screenshot(page, 'token-expired', screenshots);

    const used = await world.token('used-visitor', {}, 'used-visitor-jti');
    await consumeAdmissionToken(world.deps.redis as never, world.deps.prefix, {
      room: 'demo',
      jti: 'used-visitor-jti',
      exp: Math.floor(Date.now() / 1000) + 3_600,
    });
    await page.goto(bookUrl(used));
    await page.locator('#s-stop').waitFor();
    expect(await page.locator('#stop-reason').textContent()).toBe(
      'This admission has already been used for a confirmed booking.',
    );
    expect(await bookingsOf(world.deps.db.db, 'late-visitor')).toEqual([]);
    expect(await bookingsOf(world.deps.db.db, 'used-visitor')).toEqual([]);
    // Refused at the gate: nothing was held (the inventory is built only now, for this check).
    await withInventory(world.deps, world.journeyId);
    const pools = await readAvailability(
      world.deps.redis,
      world.deps.prefix,
      world.journeyId,
      Date.now(),
    );
    expect(pools.filter((pool) => pool.held > 0 || pool.sold > 0)).toEqual([]);
    expect(errors).toEqual([]);
  }, 60_000);

  it('berths taken between the map and the hold: shown taken, other berths or the waitlist offered', async () => {
    const subject = 'slow-visitor';
    const token = await world.token(subject);
    const { page, errors } = await openPage(browsers, { viewport: desktop }, [409]);
    await page.goto(bookUrl(token));
    await page.getByRole('radio', { name: /^AC 3 Tier \(3A\), Tatkal:/ }).check();
    await page.getByRole('button', { name: 'Coach B3, berth 17, Lower, free' }).click();

    // Between the visitor's look at the map and their click, another admission takes B3/17.
    await someoneElseHolds(await seatId('B3', 17, token), 'fast-visitor-1');
    await page.getByRole('button', { name: 'Hold these berths' }).click();
    await page.locator('#alert', { hasText: 'Someone else has just taken' }).waitFor();
    expect(await page.locator('#alert').textContent()).toBe(
      'Someone else has just taken some of these berths. They are now shown as taken: choose others, or join the waitlist.',
    );
    // The map was read again: B3/17 is shown taken and cannot be picked.
    const taken = page.getByRole('button', { name: 'Coach B3, berth 17, Lower, taken' });
    await taken.waitFor();
    expect(await taken.getAttribute('data-state')).toBe('held');
    expect(await taken.isDisabled()).toBe(true);
    expect(await page.getByRole('button', { name: 'Join the waitlist instead' }).isVisible()).toBe(
      true,
    );
    await screenshot(page, 'seats-taken', screenshots);

    // Other berths: the next one is free, and holding it works. (Keyboard after a full-page
    // screenshot: a mouse click right after one is sometimes lost in headless Chromium.)
    await page.getByRole('button', { name: 'Coach B3, berth 18, Middle, free' }).press('Enter');
    await page.getByRole('button', { name: 'Hold these berths' }).click();
    await page.locator('#s-held').waitFor();
    expect(await page.locator('#held-seats').textContent()).toBe('B3 / 18 (Middle)');
    await page.getByRole('button', { name: 'Release and choose again' }).click();
    await page.locator('#s-choose').waitFor();

    // Or the waitlist, when the berths picked went again.
    await page.getByRole('button', { name: 'Coach B3, berth 19, Upper, free' }).click();
    await someoneElseHolds(await seatId('B3', 19, token), 'fast-visitor-2');
    await page.getByRole('button', { name: 'Hold these berths' }).click();
    await page.locator('#alert', { hasText: 'Someone else has just taken' }).waitFor();
    await page.getByRole('button', { name: 'Join the waitlist instead' }).click();
    await page.locator('#s-waitlist-form').waitFor();
    await fillPassenger(page.locator('#waitlist-form'), 0, 'Meena Iyer', '41', 'F');
    await page.getByRole('button', { name: 'Join the waitlist' }).click();
    await page.locator('#s-done').waitFor();
    expect(await page.locator('#done-heading').textContent()).toBe('You are on the waitlist');
    expect(await page.locator('#done-status').textContent()).toMatch(/^Waitlisted \(WL \d+\)$/);

    const rows = await bookingsOf(world.deps.db.db, subject);
    expect(rows.map((row) => row.status)).toEqual(['WAITLISTED']);
    // The released hold left nothing behind: only the two other visitors' holds are live.
    const pools = await readAvailability(
      world.deps.redis,
      world.deps.prefix,
      world.journeyId,
      Date.now(),
    );
    expect(pools.find((pool) => pool.classCode === '3A' && pool.quota === 'TQ')?.held).toBe(2);
    expect(await auditNow()).toEqual(clean);
    expect(errors).toEqual([]);
  }, 60_000);

  it('a page that lost its hold (storage cleared) is given it back by the API, and can release it', async () => {
    const subject = 'forgetful-visitor';
    const { page, errors, token } = await holdOneBerth(subject, [409]);
    const seats = await page.locator('#held-seats').textContent();
    const heldNow = async () =>
      (
        await readAvailability(world.deps.redis, world.deps.prefix, world.journeyId, Date.now())
      ).find((pool) => pool.classCode === '3A' && pool.quota === 'TQ')?.held ?? 0;
    const heldBefore = await heldNow();

    // The tab's storage is gone (another tab, a cleared browser): the page starts afresh and
    // asks for a new hold under a new idempotency key.
    await page.evaluate('sessionStorage.clear()');
    await page.goto('about:blank');
    await page.goto(bookUrl(token));
    await page.getByRole('radio', { name: /^AC 3 Tier \(3A\), Tatkal:/ }).check();
    await page.getByRole('radio', { name: 'Any free berths, with preferences' }).check();
    await page.getByRole('button', { name: 'Hold these berths' }).click();
    await page.locator('#alert', { hasText: 'You already hold these berths' }).waitFor();
    await page.locator('#s-held').waitFor();
    expect(await page.locator('#held-seats').textContent()).toBe(seats);
    expect(await heldNow()).toBe(heldBefore);

    await page.getByRole('button', { name: 'Release and choose again' }).click();
    await page.locator('#s-choose').waitFor();
    expect(await heldNow()).toBe(heldBefore - 1);
    expect(await bookingsOf(world.deps.db.db, subject)).toEqual([]);
    expect(await auditNow()).toEqual(clean);
    expect(errors).toEqual([]);
  }, 60_000);

  it('a failed payment says so and keeps the berths; the retry succeeds: one booking, CONFIRMED', async () => {
    const subject = 'unlucky-payer';
    const { page, errors } = await holdOneBerth(subject, [422]);
    // An empty form: the API's own messages, each by its field, and focus on the first.
    await page.getByRole('button', { name: 'Continue to payment' }).click();
    await page.locator('#alert', { hasText: 'Please correct the marked fields.' }).waitFor();
    expect(await page.locator('#p1-name-error').textContent()).toBe(
      'Too small: expected string to have >=1 characters',
    );
    expect(await page.locator('#p1-age-error').textContent()).toBe(
      'Invalid input: expected number, received null',
    );
    expect(await page.locator('#p1-gender-error').textContent()).toBe(
      'Invalid option: expected one of "M"|"F"|"T"',
    );
    expect(await page.locator('#p1-name').getAttribute('aria-invalid')).toBe('true');
    expect(await page.evaluate<string>('document.activeElement.id')).toBe('p1-name');
    await screenshot(page, 'passenger-errors', screenshots);
    await fillPassenger(page.locator('#passenger-form'), 0, 'Kabir Das', '29', 'M');
    await page.getByRole('button', { name: 'Continue to payment' }).press('Enter');
    await page.locator('#s-pay').waitFor();
    paymentDraws.push(0.1);
    await page.locator('#pay-button').click();
    await page.locator('#pay-failed').waitFor();
    expect(await page.locator('#pay-failed').textContent()).toBe(
      'The payment did not go through. Nothing was charged; your berths are still reserved. Please try again.',
    );
    const retry = page.getByRole('button', { name: 'Try the payment again' });
    expect(await retry.isEnabled()).toBe(true);
    await screenshot(page, 'payment-failed', screenshots);
    const [pending] = await bookingsOf(world.deps.db.db, subject);
    expect(pending?.status).toBe('PENDING_PAYMENT');

    await retry.press('Enter');
    await page.locator('#s-done').waitFor({ timeout: 15_000 });
    expect(await page.locator('#done-status').textContent()).toBe('Confirmed');
    const rows = await bookingsOf(world.deps.db.db, subject);
    expect(rows.map((row) => row.status)).toEqual(['CONFIRMED']);
    expect(rows[0]?.pnr).toBe(await page.locator('#done-pnr').textContent());
    const attempts = await paymentsOf(world.deps.db.db, rows[0]?.id ?? 0);
    expect(attempts.map((attempt) => attempt.status)).toEqual(['FAILED', 'SUCCEEDED']);
    expect(await auditNow()).toEqual(clean);
    expect(errors).toEqual([]);
  }, 60_000);

  it('reloads and double clicks on "Continue to payment" and on "Pay" book once and pay once', async () => {
    const subject = 'double-clicker';
    const { page, errors } = await holdOneBerth(subject);
    const posts: string[] = [];
    page.on('request', (request) => {
      if (request.method() === 'POST') posts.push(new URL(request.url()).pathname);
    });
    const seats = await page.locator('#held-seats').textContent();
    await fillPassenger(page.locator('#passenger-form'), 0, 'Farah Khan', '38', 'F');
    // A reload comes back to the same hold, with what was typed.
    await page.reload();
    await page.locator('#s-held').waitFor();
    expect(await page.locator('#held-seats').textContent()).toBe(seats);
    expect(await page.locator('#p1-name').inputValue()).toBe('Farah Khan');
    await page.getByRole('button', { name: 'Continue to payment' }).dblclick();
    await page.locator('#s-pay').waitFor();
    const pnrHeading = await page.locator('#pay-heading').textContent();
    // And to the same booking once it is made.
    await page.reload();
    await page.locator('#s-pay').waitFor();
    expect(await page.locator('#pay-heading').textContent()).toBe(pnrHeading);
    await page.locator('#pay-button').dblclick();
    await page.locator('#s-done').waitFor({ timeout: 15_000 });
    expect(await page.locator('#done-status').textContent()).toBe('Confirmed');

    const rows = await bookingsOf(world.deps.db.db, subject);
    expect(rows.map((row) => row.status)).toEqual(['CONFIRMED']);
    expect(posts.filter((path) => path === '/v1/bookings')).toHaveLength(1);
    expect(posts.filter((path) => path.endsWith('/pay'))).toHaveLength(1);
    const attempts = await paymentsOf(world.deps.db.db, rows[0]?.id ?? 0);
    expect(attempts.map((attempt) => attempt.status)).toEqual(['SUCCEEDED']);
    await world.payments.whenIdle();
    expect(await auditNow()).toEqual(clean);
    expect(errors).toEqual([]);
  }, 60_000);

  it('a shedding service (503 Retry-After): the wait is shown, then the hold is retried by itself: one hold', async () => {
    const subject = 'patient-visitor';
    const token = await world.token(subject);
    const { page, errors } = await openPage(browsers, { viewport: desktop }, [503]);
    const holdPosts: number[] = [];
    page.on('response', (response) => {
      if (response.request().method() === 'POST' && response.url().endsWith('/v1/holds'))
        holdPosts.push(response.status());
    });
    await page.goto(bookUrl(token));
    await page.getByRole('radio', { name: /^AC 3 Tier \(3A\), Tatkal:/ }).check();
    await page.getByRole('button', { name: 'Coach B1, berth 25, Lower, free' }).click();

    // The process is at its in-flight limit: its own gate sheds every request with 503.
    const gauge = world.deps.metrics.inFlight;
    const saturation = 256 - gauge.value();
    for (let i = 0; i < saturation; i++) gauge.inc();
    try {
      await page.getByRole('button', { name: 'Hold these berths' }).click();
      await page
        .locator('#busy', { hasText: /^The booking service is busy\. Trying again in \d s…$/ })
        .waitFor();
      await screenshot(page, 'shedding-retry', screenshots);
      await expect.poll(() => holdPosts.length, { timeout: 10_000 }).toBeGreaterThanOrEqual(2);
    } finally {
      for (let i = 0; i < saturation; i++) gauge.dec();
    }
    await page.locator('#s-held').waitFor({ timeout: 15_000 });
    expect(await page.locator('#held-seats').textContent()).toBe('B1 / 25 (Lower)');
    expect(await page.locator('#busy').isVisible()).toBe(false);
    expect(holdPosts.at(-1)).toBe(201);
    expect(holdPosts.slice(0, -1).every((status) => status === 503)).toBe(true);
    // One hold for this admission, whatever the number of tries.
    const pools = await readAvailability(
      world.deps.redis,
      world.deps.prefix,
      world.journeyId,
      Date.now(),
    );
    const heldBefore = pools.find((pool) => pool.classCode === '3A' && pool.quota === 'TQ')?.held;
    await page.getByRole('button', { name: 'Release and choose again' }).click();
    await page.locator('#s-choose').waitFor();
    const after = await readAvailability(
      world.deps.redis,
      world.deps.prefix,
      world.journeyId,
      Date.now(),
    );
    expect(after.find((pool) => pool.classCode === '3A' && pool.quota === 'TQ')?.held).toBe(
      (heldBefore ?? 0) - 1,
    );
    expect(await auditNow()).toEqual(clean);
    expect(errors).toEqual([]);
  }, 60_000);
});
