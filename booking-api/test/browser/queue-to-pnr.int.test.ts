// From the waiting room's queue page to a confirmed PNR, in real Chromium against the real
// services as processes: the waiting room admits the visitor, the queue page sends them to the
// booking page with the token in the URL fragment, and the page holds, books and pays.
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createDbClient, type DbClient, seedDemoSale } from '@tatkal/drizzle';
import { bookings } from '@tatkal/drizzle/schema';
import { roomKeys } from '@tatkal/waiting-room/keys';
import { admitNextBatch } from '@tatkal/waiting-room/queue';
import { generateSigningKey } from '@tatkal/waiting-room/tokens';
import { eq } from 'drizzle-orm';
import { Redis } from 'ioredis';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Browsers, closeBrowsers } from '../../../infra/testing/chromium.ts';
import { freePort } from '../../../infra/testing/ports.ts';
import {
  isolatedServiceEnv,
  type ServiceProcess,
  spawnService,
  waitForListening,
} from '../../../infra/testing/service-process.ts';
import {
  audit,
  clean,
  desktop,
  openPage,
  pageWidth,
  phone,
  prepareScreenshots,
  screenshot,
} from './support.ts';

const webhookSecret = 'browser-test-webhook-secret-0123456789abcdef';
const services: ServiceProcess[] = [];
const browsers: Browsers = [];
const screenshots: string[] = [];
let waitingRoomUrl = '';
let bookingUrl = '';
let db: DbClient;
let redis: Redis;
let prefix = '';
let journeyId = 0;

beforeAll(async () => {
  await prepareScreenshots();
  const env = isolatedServiceEnv();
  prefix = env.REDIS_KEY_PREFIX ?? '';
  db = createDbClient({ url: env.DATABASE_URL ?? '' });
  redis = new Redis(env.REDIS_URL ?? '');
  // Seeded two minutes ago, so the demo room's sale (a minute after the seed) is open.
  journeyId = (await seedDemoSale(db.db, { now: new Date(Date.now() - 120_000) })).journey.id;
  const keysDir = await mkdtemp(join(tmpdir(), 'tatkal-keys-'));
  const keysFile = join(keysDir, 'admission-keys.json');
  await writeFile(keysFile, JSON.stringify({ keys: [await generateSigningKey()] }), {
    mode: 0o600,
  });
  const bookingPort = await freePort();
  const waitingRoom = spawnService('waiting-room', {
    ...env,
    QUEUE_TICKET_SECRET: 'browser-test-ticket-secret-0123456789abcdef',
    ADMISSION_KEYS_FILE: keysFile,
    BOOKING_URL: `http://127.0.0.1:${bookingPort}/book`,
    JOIN_LIMIT_IP_BURST: '0',
    JOIN_LIMIT_VISITOR_BURST: '0',
    STATE_REFRESH_MS: '100',
    HEARTBEAT_FLUSH_MS: '200',
    ROOM_CACHE_MS: '0',
  });
  services.push(waitingRoom);
  waitingRoomUrl = await waitForListening(waitingRoom);
  const bookingApi = spawnService('booking-api', {
    ...env,
    PORT: String(bookingPort),
    ADMISSION_JWKS_URL: `${waitingRoomUrl}/.well-known/jwks.json`,
    WAITING_ROOM_URL: waitingRoomUrl,
    PAYMENT_WEBHOOK_SECRETS: webhookSecret,
    PAYMENT_SIMULATOR_DELAY_MS: '200',
  });
  services.push(bookingApi);
  bookingUrl = await waitForListening(bookingApi);
}, 60_000);

afterAll(async () => {
  await closeBrowsers(browsers);
  for (const service of services.reverse()) {
    if (service.child.exitCode !== null) continue;
    service.child.kill('SIGTERM');
    const stopped = await Promise.race([
      service.exited.then(() => true),
      new Promise<boolean>((resolve) => setTimeout(() => resolve(false), 10_000)),
    ]);
    if (!stopped) service.child.kill('SIGKILL');
  }
  redis?.disconnect();
  await db?.close();
  if (screenshots.length > 0)
    console.log(`booking page screenshots:\n  ${screenshots.join('\n  ')}`);
});

/** Joins the demo room's queue on its page and waits there until the waiting room admits. */
async function queueAndAdmit(page: Page, joinLabel: string): Promise<void> {
  await page.goto(`${waitingRoomUrl}/rooms/demo`);
  await page.getByRole('button', { name: joinLabel }).click();
  await page.locator('#position').waitFor();
  const admitted = await admitNextBatch(redis, roomKeys(prefix, 'demo'), 1, {
    nowMs: Date.now(),
    abandonAfterMs: 3_600_000,
  });
  expect(admitted.admitted).toHaveLength(1);
  await page.waitForURL((url) => url.pathname === '/book', { timeout: 20_000 });
}

async function confirmedBooking(pnr: string) {
  const [row] = await db.db
    .select({ status: bookings.status, subject: bookings.subject, classCode: bookings.classCode })
    .from(bookings)
    .where(eq(bookings.pnr, pnr));
  return row;
}

describe('booking page, from the queue to a PNR', () => {
  it('queues, is admitted, picks berths on the coach map, holds, books, pays: CONFIRMED', async () => {
    const { page, errors } = await openPage(browsers, { viewport: desktop, locale: 'en-GB' });
    await queueAndAdmit(page, 'Join the queue');

    // The token left the address bar; the journey and live availability are shown.
    await page.locator('#s-choose').waitFor();
    const landed = new URL(page.url());
    expect(landed.hash).toBe('');
    expect(landed.searchParams.get('room')).toBe('demo');
    expect(`${landed.origin}`).toBe(bookingUrl);
    expect(await page.locator('#title').textContent()).toBe('12381 Poorva Express');
    expect(await page.locator('#journey-route').textContent()).toBe(
      'Howrah Jn (HWH) → New Delhi (NDLS)',
    );
    expect(await page.locator('#journey-when').textContent()).toMatch(
      /^[A-Z][a-z]{2}, \d{1,2} [A-Z][a-z]{2},? \d{4} · Departs 08:05 IST$/,
    );
    await page.getByRole('radio', { name: /^AC 3 Tier \(3A\), Tatkal: 64 free$/ }).check();
    await page.getByRole('region', { name: 'Coach B4' }).waitFor();
    expect(await page.locator('#seat-map .coach').count()).toBe(4);

    await page.getByRole('button', { name: 'Coach B2, berth 17, Lower, free' }).click();
    await page.getByRole('button', { name: 'Coach B2, berth 20, Lower, free' }).click();
    expect(await page.locator('#map-hint').textContent()).toBe(
      'Select up to 4 free berths. Selected: 2.',
    );
    await screenshot(page, 'seat-choice', screenshots);

    await page.getByRole('button', { name: 'Hold these berths' }).press('Enter');
    await page.locator('#s-held').waitFor();
    expect(await page.locator('#held-seats').textContent()).toBe('B2 / 17 (Lower)B2 / 20 (Lower)');
    expect(await page.locator('#hold-countdown').textContent()).toMatch(/^[45]:\d\d$/);
    expect(await page.locator('#hold-countdown').getAttribute('role')).toBe('timer');
    // Availability refreshed after the hold: two of the 64 are being booked.
    await page.locator('#pools-body tr[data-pool="3A-TQ"] td.num', { hasText: /^62$/ }).waitFor();

    await page.getByLabel('Full name').nth(0).fill('Asha Verma');
    await page.getByLabel('Age').nth(0).fill('34');
    await page.getByLabel('Gender').nth(0).selectOption('F');
    await page.getByLabel('Full name').nth(1).fill('Ravi Verma');
    await page.getByLabel('Age').nth(1).fill('36');
    await page.getByLabel('Gender').nth(1).selectOption('M');
    await screenshot(page, 'held', screenshots);

    // From the keyboard, as a keyboard user would (a mouse click right after a full-page
    // screenshot is sometimes lost in headless Chromium).
    await page.getByRole('button', { name: 'Continue to payment' }).press('Enter');
    await page.locator('#s-pay').waitFor();
    const payLabel = await page.locator('#pay-button').textContent();
    expect(payLabel).toMatch(/^Pay ₹[\d,]+\.\d\d$/);
    await page.locator('#pay-button').click();

    await page.locator('#s-done').waitFor({ timeout: 20_000 });
    expect(await page.locator('#done-heading').textContent()).toBe('Booking confirmed');
    expect(await page.locator('#done-status').textContent()).toBe('Confirmed');
    const pnr = (await page.locator('#done-pnr').textContent()) ?? '';
    expect(pnr).toMatch(/^[1-9]\d{9}$/);
    expect(await page.locator('#done-passengers tbody').textContent()).toBe(
      'Asha VermaB2 / 17 (Lower)Ravi VermaB2 / 20 (Lower)',
    );
    const fare = await page.locator('#done-fare').textContent();
    expect(fare).toContain('Base fare');
    expect(fare).toContain('Tatkal charge');
    expect(fare).toContain('Premium Tatkal surcharge');
    expect(fare).toContain(payLabel?.replace(/^Pay /, '') ?? '-');
    await screenshot(page, 'confirmed', screenshots);

    const row = await confirmedBooking(pnr);
    expect(row).toMatchObject({ status: 'CONFIRMED', classCode: '3A' });
    expect(await audit(db.db, redis, prefix, journeyId)).toEqual(clean);

    // A reload shows the confirmation again (the used-up admission may still read it).
    await page.reload();
    await page.locator('#s-done').waitFor();
    expect(await page.locator('#done-pnr').textContent()).toBe(pnr);
    expect(errors).toEqual([]);
  }, 90_000);

  it('in Hindi on a 390x844 phone: N berths with preferences, confirmed, nothing wider than the screen', async () => {
    const { page, errors } = await openPage(
      browsers,
      { viewport: phone, locale: 'hi-IN', isMobile: true, hasTouch: true },
      [422],
    );
    await queueAndAdmit(page, 'कतार में शामिल हों');
    await page.locator('#s-choose').waitFor();
    expect(await page.locator('html').getAttribute('lang')).toBe('hi');
    await page.getByRole('radio', { name: /^स्लीपर \(SL\), तत्काल:/ }).check();
    await page.getByRole('radio', { name: 'कोई भी खाली बर्थ, पसंद के साथ' }).check();
    await page.getByLabel('यात्रियों की संख्या').selectOption('2');
    await page.getByLabel('बर्थ की पसंद, यात्री 1').selectOption('LB');
    await page.getByLabel('बर्थ की पसंद, यात्री 2').selectOption('UB');
    await screenshot(page, 'hindi-phone-choice', screenshots);
    expect(await pageWidth(page)).toBeLessThanOrEqual(phone.width);

    await page.getByRole('button', { name: 'ये बर्थ रोकें' }).press('Enter');
    await page.locator('#s-held').waitFor();
    expect(await page.locator('#held-seats').textContent()).toMatch(/\(लोअर\).*\(अपर\)/);
    // The API's validation messages, in Hindi, by their fields.
    await page.getByRole('button', { name: 'भुगतान के लिए आगे बढ़ें' }).click();
    await page.locator('#p1-name-error', { hasText: 'खाली नहीं हो सकता' }).waitFor();
    expect(await page.locator('#p1-age-error').textContent()).toBe('आयु लिखें');
    expect(await page.locator('#alert').textContent()).toBe('कृपया चिह्नित फ़ील्ड ठीक करें।');
    await page.getByLabel('पूरा नाम').nth(0).fill('सीता देवी');
    await page.getByLabel('आयु').nth(0).fill('52');
    await page.getByLabel('लिंग').nth(0).selectOption('F');
    await page.getByLabel('पूरा नाम').nth(1).fill('राम प्रसाद');
    await page.getByLabel('आयु').nth(1).fill('55');
    await page.getByLabel('लिंग').nth(1).selectOption('M');
    await screenshot(page, 'hindi-phone-held', screenshots);
    expect(await pageWidth(page)).toBeLessThanOrEqual(phone.width);

    await page.getByRole('button', { name: 'भुगतान के लिए आगे बढ़ें' }).press('Enter');
    await page.locator('#pay-button').click();
    await page.locator('#s-done').waitFor({ timeout: 20_000 });
    expect(await page.locator('#done-heading').textContent()).toBe('बुकिंग की पुष्टि हो गई');
    expect(await page.locator('#done-status').textContent()).toBe('पुष्टि हो गई');
    expect(await page.locator('#done-fare').textContent()).toContain('तत्काल शुल्क');
    await screenshot(page, 'hindi-phone-confirmed', screenshots);
    expect(await pageWidth(page)).toBeLessThanOrEqual(phone.width);
    const pnr = (await page.locator('#done-pnr').textContent()) ?? '';
    expect(await confirmedBooking(pnr)).toMatchObject({ status: 'CONFIRMED', classCode: 'SL' });
    expect(await audit(db.db, redis, prefix, journeyId)).toEqual(clean);
    expect(errors).toEqual([]);
  }, 90_000);
});
