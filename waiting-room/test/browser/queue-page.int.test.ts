import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createDbClient, type DbClient, rooms, seedDemoSale } from '@tatkal/drizzle';
import { Redis } from 'ioredis';
import { createLocalJWKSet, type JSONWebKeySet } from 'jose';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  assertChromium,
  type Browsers,
  closeBrowsers,
  openBrowser as openChromium,
  screenshotDir,
} from '../../../infra/testing/chromium.ts';
import {
  isolatedServiceEnv,
  type ServiceProcess,
  spawnService,
  waitForListening,
} from '../../../infra/testing/service-process.ts';
import { solveChallenge } from '../../src/limits/proof-of-work.ts';
import { admitNextBatch, registerQueueScripts } from '../../src/queue/index.ts';
import { roomKeys } from '../../src/redis-keys.ts';
import { createAdmissionVerifier, generateSigningKey } from '../../src/tokens/index.ts';

const phone = { width: 390, height: 844 };
const desktop = { width: 1280, height: 860 };

let service: ServiceProcess | undefined;
let baseUrl = '';
let booking: Server | undefined;
let bookingUrl = '';
const bookingRequests: IncomingHttpHeaders[] = [];
let redis: Redis | undefined;
let db: DbClient | undefined;
let journeyId = 0;
let prefix = '';
const browsers: Browsers = [];
const screenshots: string[] = [];

/** The booking site stand-in: a page at /book that shows it received a token. */
function startBookingSite(): Promise<Server> {
  const server = createServer((request, response) => {
    if (!request.url?.startsWith('/book')) {
      response.writeHead(request.url === '/favicon.ico' ? 204 : 404).end();
      return;
    }
    bookingRequests.push(request.headers);
    response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    response.end(`<!doctype html><html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1"><title>Booking</title>
<style>body{font-family:system-ui,sans-serif;margin:2rem;color:#17191e}code{word-break:break-all}</style></head>
<body><h1>Booking (test stand-in)</h1><p>Admission token received in the URL fragment:</p>
<p><code id="token"></code></p>
<script>document.getElementById('token').textContent = location.hash.slice(0, 80) + '…';</script>
</body></html>`);
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

async function addRoom(
  id: string,
  overrides: Partial<typeof rooms.$inferInsert> = {},
): Promise<string> {
  const now = Date.now();
  await db?.db.insert(rooms).values({
    id,
    name: 'AC Tatkal · 12951 Mumbai Rajdhani',
    journeyId,
    classCodes: ['3A', '2A'],
    quotas: ['TQ'],
    prequeueOpensAt: new Date(now - 120_000),
    saleOpensAt: new Date(now - 60_000),
    closesAt: new Date(now + 3_600_000),
    ...overrides,
  });
  return id;
}

async function apiJoins(roomId: string, count: number): Promise<void> {
  for (let i = 0; i < count; i++) {
    const response = await fetch(`${baseUrl}/v1/rooms/${roomId}/join`, { method: 'POST' });
    expect(response.status).toBe(201);
  }
}

async function admit(roomId: string, n: number, nowMs = Date.now()): Promise<number[]> {
  if (!redis) throw new Error('no redis');
  const result = await admitNextBatch(redis, roomKeys(prefix, roomId), n, {
    nowMs,
    abandonAfterMs: 3_600_000,
  });
  return result.admitted.map((entry) => entry.number);
}

/** A browser with a fresh profile directory of its own (removed in afterAll). */
function openBrowser(
  options: Parameters<typeof import('playwright-core').chromium.launchPersistentContext>[1],
): Promise<Page> {
  return openChromium(browsers, options);
}

async function screenshot(page: Page, name: string): Promise<void> {
  const path = join(screenshotDir, `queue-page-${name}.png`);
  await page.screenshot({ path, fullPage: true });
  screenshots.push(path);
}

const positionText = (page: Page) => page.locator('#position').textContent();

/** Waits until the page shows this position (a locator: the page's CSP forbids eval-based polling). */
const waitForPosition = (page: Page, text: string) =>
  page
    .locator('#position')
    .filter({ hasText: new RegExp(`^${text}$`) })
    .waitFor();

// Page-side expressions are strings: this package's TypeScript has no DOM types.
/** Pretends the tab was hidden or shown: what the browser reports, and the event it fires. */
const setHidden = (page: Page, hidden: boolean) =>
  page.evaluate(`(() => {
    Object.defineProperty(document, 'hidden', { configurable: true, get: () => ${hidden} });
    Object.defineProperty(document, 'visibilityState', { configurable: true, get: () => '${hidden ? 'hidden' : 'visible'}' });
    document.dispatchEvent(new Event('visibilitychange'));
  })()`);

const pageWidth = (page: Page) => page.evaluate<number>('document.documentElement.scrollWidth');

beforeAll(async () => {
  assertChromium();
  await mkdir(screenshotDir, { recursive: true });
  const keysDir = await mkdtemp(join(tmpdir(), 'tatkal-keys-'));
  const keysFile = join(keysDir, 'admission-keys.json');
  await writeFile(keysFile, JSON.stringify({ keys: [await generateSigningKey()] }), {
    mode: 0o600,
  });

  booking = await startBookingSite();
  bookingUrl = `http://127.0.0.1:${(booking.address() as AddressInfo).port}/book`;

  const env = isolatedServiceEnv();
  prefix = env.REDIS_KEY_PREFIX ?? '';
  db = createDbClient({ url: env.DATABASE_URL ?? '' });
  journeyId = (await seedDemoSale(db.db, { now: new Date() })).journey.id;
  redis = new Redis(env.REDIS_URL ?? '');
  registerQueueScripts(redis);

  service = spawnService('waiting-room', {
    ...env,
    QUEUE_TICKET_SECRET: 'browser-test-ticket-secret-0123456789abcdef',
    ADMISSION_KEYS_FILE: keysFile,
    BOOKING_URL: bookingUrl,
    JOIN_LIMIT_IP_BURST: '0',
    JOIN_LIMIT_VISITOR_BURST: '0',
    STATE_REFRESH_MS: '100',
    HEARTBEAT_FLUSH_MS: '200',
    ROOM_CACHE_MS: '0',
  });
  baseUrl = await waitForListening(service);
});

afterAll(async () => {
  await closeBrowsers(browsers);
  if (service && service.child.exitCode === null) {
    service.child.kill('SIGTERM');
    const stopped = await Promise.race([
      service.exited.then(() => true),
      new Promise<boolean>((resolve) => setTimeout(() => resolve(false), 10_000)),
    ]);
    if (!stopped) service.child.kill('SIGKILL');
  }
  await new Promise((resolve) => (booking ? booking.close(resolve) : resolve(undefined)));
  redis?.disconnect();
  await db?.close();
  if (screenshots.length > 0) console.log(`queue page screenshots:\n  ${screenshots.join('\n  ')}`);
});

describe('queue page in Chromium', () => {
  it('joins behind three visitors, follows the position live to booking, with a token that verifies', async () => {
    const roomId = await addRoom('browser-journey');
    await apiJoins(roomId, 3);

    const page = await openBrowser({ viewport: desktop, locale: 'en-GB' });
    const statusPolls: string[] = [];
    const consoleErrors: string[] = [];
    page.on('request', (request) => {
      if (request.url().includes('/status')) statusPolls.push(request.url());
    });
    page.on('console', (message) => {
      if (message.type() === 'error') consoleErrors.push(message.text());
    });
    page.on('response', (response) => {
      if (response.status() >= 400) consoleErrors.push(`${response.status()} ${response.url()}`);
    });
    page.on('pageerror', (error) => consoleErrors.push(error.message));

    await page.goto(`${baseUrl}/rooms/${roomId}`);
    expect(await page.locator('h1').textContent()).toBe('AC Tatkal · 12951 Mumbai Rajdhani');
    await screenshot(page, 'join');
    await page.getByRole('button', { name: 'Join the queue' }).click();

    await waitForPosition(page, '4');
    await page.locator('#conn[data-mode="live"]').waitFor();
    expect(await page.locator('#ahead').textContent()).toBe('3 people ahead of you');
    expect(await page.locator('#estimate').textContent()).toBe('no estimate yet');
    expect(await page.title()).toMatch(/^4 · /);
    await screenshot(page, 'waiting');
    await page.setViewportSize(phone);
    await screenshot(page, 'waiting-phone');
    expect(await pageWidth(page)).toBeLessThanOrEqual(phone.width);
    await page.setViewportSize(desktop);

    // Every value the position shows, in order, from here on.
    await page.evaluate(`(() => {
      const element = document.getElementById('position');
      const seen = [element.textContent];
      window.seenPositions = seen;
      new MutationObserver(() => {
        if (seen.at(-1) !== element.textContent) seen.push(element.textContent);
      }).observe(element, { childList: true, characterData: true, subtree: true });
    })()`);

    expect(await admit(roomId, 2)).toEqual([1, 2]);
    await waitForPosition(page, '2');
    expect(await page.locator('#announce').textContent()).toBe(
      'Your position in the queue is now 2.',
    );
    expect(await page.locator('#progress').getAttribute('value')).toBe('50');

    expect(await admit(roomId, 1)).toEqual([3]);
    await waitForPosition(page, '1');
    expect(await page.locator('#ahead').textContent()).toBe('You are next.');
    const seen = await page.evaluate('window.seenPositions');
    expect(seen).toEqual(['4', '2', '1']);
    // All of it arrived over the event stream: the page never had to poll.
    expect(statusPolls).toEqual([]);

    expect(await admit(roomId, 1)).toEqual([4]);
    await page.waitForURL((url) => url.pathname === '/book', { timeout: 15_000 });
    await page.locator('#token').waitFor();
    await screenshot(page, 'booking');

    const landed = new URL(page.url());
    expect(landed.searchParams.get('room')).toBe(roomId);
    const token = landed.hash.replace(/^#token=/, '');
    expect(token).toMatch(/^ey/);
    // No Referer reached the booking site (the queue page is no-referrer).
    expect(bookingRequests.at(-1)?.referer).toBeUndefined();

    const jwks = (await (await fetch(`${baseUrl}/.well-known/jwks.json`)).json()) as JSONWebKeySet;
    if (!redis) throw new Error('no redis');
    const verifier = createAdmissionVerifier({
      keys: createLocalJWKSet(jwks),
      issuer: 'tatkal-waiting-room',
      audience: 'tatkal-booking-api',
      redis,
      keyPrefix: prefix,
    });
    const claims = await verifier.verify(token, { room: roomId });
    expect(claims.room).toBe(roomId);
    expect(consoleErrors).toEqual([]);
  }, 90_000);

  it('in Hindi on a phone: solves the proof-of-work with Web Crypto and shows a measured wait band', async () => {
    const roomId = await addRoom('browser-hindi', {
      name: 'स्लीपर तत्काल · 12951 राजधानी',
      powDifficulty: 12,
    });
    // Queue history so there is a measured rate: 40 admitted over the last 20 s.
    for (let i = 0; i < 200; i++) {
      const { challenge } = (await (
        await fetch(`${baseUrl}/v1/rooms/${roomId}/challenge`)
      ).json()) as {
        challenge: string;
      };
      const response = await fetch(`${baseUrl}/v1/rooms/${roomId}/join`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ proofOfWork: { challenge, nonce: solveChallenge(challenge, 12) } }),
      });
      expect(response.status).toBe(201);
    }
    expect(await admit(roomId, 20, Date.now() - 20_000)).toHaveLength(20);
    expect(await admit(roomId, 20, Date.now() - 10_000)).toHaveLength(20);

    const page = await openBrowser({
      viewport: phone,
      locale: 'hi-IN',
      isMobile: true,
      hasTouch: true,
    });
    await page.goto(`${baseUrl}/rooms/${roomId}`);
    expect(await page.locator('html').getAttribute('lang')).toBe('hi');
    expect(await page.locator('#join-form').isVisible()).toBe(true);
    await page.getByRole('button', { name: 'कतार में शामिल हों' }).click();
    await waitForPosition(page, '161');
    expect(await page.locator('#ahead').textContent()).toBe('आपसे आगे 160 लोग हैं');
    expect(await page.locator('#estimate').textContent()).toMatch(/^लगभग \d+–\d+ मिनट$/);
    expect(await page.locator('#rate').textContent()).toMatch(/लोग प्रति सेकंड$/);
    await page.locator('#conn[data-mode="live"]').waitFor();
    await screenshot(page, 'hindi-phone');
    expect(await pageWidth(page)).toBeLessThanOrEqual(phone.width);

    // Keyboard users see where focus is.
    await page.keyboard.press('Tab');
    const outline = await page.evaluate('getComputedStyle(document.activeElement).outlineStyle');
    expect(outline).toBe('solid');
  }, 90_000);

  it('without an event stream: polls at the suggested pace, rests while hidden, never shows a position going up', async () => {
    const roomId = await addRoom('browser-polling');
    await apiJoins(roomId, 2);
    const page = await openBrowser({ viewport: desktop });
    // The event stream is unavailable (a proxy that refuses it, say): the page must poll.
    await page.route('**/events', (route) =>
      route.fulfill({ status: 503, body: 'no streams here' }),
    );
    const polls: number[] = [];
    const suggested: number[] = [];
    let inflate = false;
    await page.route('**/status', async (route) => {
      polls.push(Date.now());
      const response = await route.fetch();
      const status = (await response.json()) as {
        standing: string;
        position: number | null;
        nextPollSeconds: number;
      };
      if (status.standing === 'waiting') suggested.push(status.nextPollSeconds);
      // A stale answer from a lagging instance: it must not move the visitor back.
      if (inflate && status.position !== null) status.position += 40;
      await route.fulfill({ response, json: status });
    });

    await page.goto(`${baseUrl}/rooms/${roomId}`);
    await page.getByRole('button', { name: 'Join the queue' }).click();
    await waitForPosition(page, '3');
    await page.locator('#conn[data-mode="polling"]').waitFor();

    expect(await admit(roomId, 1)).toEqual([1]);
    await waitForPosition(page, '2');
    inflate = true;
    const before = polls.length;
    await expect.poll(() => polls.length, { timeout: 10_000 }).toBeGreaterThan(before + 1);
    expect(await positionText(page)).toBe('2');
    inflate = false;

    // Hidden tab: no polls at all; shown again: one at once.
    await setHidden(page, true);
    await page.locator('#conn[data-mode="hidden"]').waitFor();
    const whileHidden = polls.length;
    await new Promise((resolve) => setTimeout(resolve, 4_500));
    expect(polls.length).toBeLessThanOrEqual(whileHidden + 1); // at most one already in flight
    const shownAt = Date.now();
    await setHidden(page, false);
    await expect.poll(() => polls.at(-1) ?? 0, { timeout: 3_000 }).toBeGreaterThanOrEqual(shownAt);

    expect(await admit(roomId, 2)).toEqual([2, 3]);
    await page.waitForURL((url) => url.pathname === '/book', { timeout: 15_000 });
    // The polls kept the server's pace (2 s or more near the front, jittered), not a fixed one.
    const gaps = polls.slice(1).map((at, i) => at - (polls[i] ?? at));
    expect(Math.min(...suggested)).toBeGreaterThanOrEqual(1);
    expect(gaps.filter((gap) => gap < 1_000).length).toBeLessThanOrEqual(2);
  }, 90_000);

  it('without JavaScript: the form joins, the page refreshes itself, and offers the booking link once admitted', async () => {
    const roomId = await addRoom('browser-nojs');
    await apiJoins(roomId, 2);
    const page = await openBrowser({ viewport: phone, javaScriptEnabled: false });
    await page.goto(`${baseUrl}/rooms/${roomId}`);
    await page.getByRole('button', { name: 'Join the queue' }).click();
    await page.locator('#position').waitFor();
    expect(await positionText(page)).toBe('3');
    const html = await page.content();
    expect(html).toMatch(/<meta http-equiv="refresh" content="\d+">/);
    await screenshot(page, 'nojs-waiting');

    expect(await admit(roomId, 3)).toEqual([1, 2, 3]);
    // The meta refresh (a few seconds) brings the admitted page.
    const link = page.getByRole('link', { name: 'Continue to booking' });
    await link.waitFor({ state: 'visible', timeout: 20_000 });
    expect(await link.getAttribute('href')).toMatch(
      new RegExp(`^${bookingUrl.replaceAll('.', '\\.')}\\?room=${roomId}#token=ey`),
    );
    await screenshot(page, 'nojs-admitted');
    // And then takes the visitor there by itself.
    await page.waitForURL((url) => url.pathname === '/book', { timeout: 15_000 });
  }, 90_000);
});
