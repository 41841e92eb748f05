// The queue page in-process, over the test file's own PostgreSQL and Redis:
// what a browser without JavaScript gets, in English and Hindi.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { QueueStateCache } from '../../src/rooms/queue-state-cache.ts';
import { pageRoutes } from '../../src/routes/page.ts';
import { ticketCookieName } from '../../src/visitors/ticket.ts';
import { createWorld, type World } from '../support/world.ts';

let world: World;
let limited: World;
let ipCounter = 0;

beforeAll(async () => {
  world = await createWorld();
  limited = await createWorld({
    joinLimits: { perIp: { burst: 1, perMinute: 1 }, perVisitor: { burst: 0, perMinute: 0 } },
  });
});
afterAll(async () => {
  await world?.close();
  await limited?.close();
});

/** Each test browser gets its own address, so the join limits never meet. */
const freshIp = () => `10.9.${Math.floor(++ipCounter / 250)}.${ipCounter % 250}`;

interface Browser {
  ip: string;
  cookies: Map<string, string>;
}

const newBrowser = (): Browser => ({ ip: freshIp(), cookies: new Map() });

function remember(browser: Browser, response: Response): void {
  for (const line of response.headers.getSetCookie()) {
    const [pair = ''] = line.split(';');
    const eq = pair.indexOf('=');
    const name = pair.slice(0, eq);
    const value = pair.slice(eq + 1);
    if (/max-age=0/i.test(line) || value === '') browser.cookies.delete(name);
    else browser.cookies.set(name, value);
  }
}

async function request(
  target: World,
  browser: Browser,
  path: string,
  init: { method?: string; headers?: Record<string, string>; body?: string } = {},
) {
  const cookie = [...browser.cookies].map(([name, value]) => `${name}=${value}`).join('; ');
  const response = await target.app.request(path, {
    method: init.method ?? 'GET',
    headers: {
      'x-forwarded-for': browser.ip,
      ...(cookie ? { cookie } : {}),
      ...init.headers,
    },
    ...(init.body === undefined ? {} : { body: init.body }),
  });
  remember(browser, response);
  return { response, text: await response.text() };
}

const page = (browser: Browser, path: string, headers: Record<string, string> = {}) =>
  request(world, browser, path, { headers });

const submitJoin = (browser: Browser, roomId: string, query = '', target = world) =>
  request(target, browser, `/rooms/${roomId}/join${query}`, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      'sec-fetch-site': 'same-origin',
    },
    body: '',
  });

async function apiJoin(roomId: string) {
  const response = await world.app.request(`/v1/rooms/${roomId}/join`, {
    method: 'POST',
    headers: { 'x-forwarded-for': freshIp() },
  });
  expect(response.status).toBe(201);
}

const count = (text: string, pattern: RegExp) => [...text.matchAll(pattern)].length;

describe('queue page without a ticket', () => {
  it('explains the queue and offers a join form that works without JavaScript', async () => {
    const roomId = await world.addRoom({ name: 'AC Tatkal 10:00' });
    const { response, text } = await page(newBrowser(), `/rooms/${roomId}`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(text).toContain('<html lang="en">');
    expect(text).toContain('<meta name="viewport" content="width=device-width, initial-scale=1">');
    expect(count(text, /<h1[ >]/g)).toBe(1);
    expect(text).toContain('<h1>AC Tatkal 10:00</h1>');
    expect(text).toContain(`<form id="join-form" method="post" action="/rooms/${roomId}/join">`);
    expect(text).toMatch(/<button class="button" type="submit">Join the queue<\/button>/);
    expect(text).toContain('Sale open');
    expect(text).toContain('<time datetime=');
    expect(text).toContain(`href="/rooms/${roomId}?lang=hi" lang="hi"`);
  });

  it('sends a strict Content-Security-Policy, no Referer, and runs no inline script', async () => {
    const roomId = await world.addRoom();
    const { response, text } = await page(newBrowser(), `/rooms/${roomId}`);
    const csp = response.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toContain('unsafe-inline');
    expect(response.headers.get('referrer-policy')).toBe('no-referrer');
    expect(response.headers.get('cache-control')).toBe('no-store');
    const scripts = [...text.matchAll(/<script([^>]*)>/g)].map((m) => m[1]);
    expect(scripts.length).toBe(2);
    for (const attributes of scripts)
      expect(attributes).toMatch(/ src="\/assets\/|type="application\/json"/);
    expect(text).not.toMatch(/ style=| on[a-z]+=/);
  });

  it('serves the script and stylesheet under hashed names with long cache lifetimes', async () => {
    const roomId = await world.addRoom();
    const { text } = await page(newBrowser(), `/rooms/${roomId}`);
    const scriptUrl = /<script src="(\/assets\/queue\.[0-9a-f]{12}\.js)"/.exec(text)?.[1];
    const styleUrl = /<link rel="stylesheet" href="(\/assets\/queue\.[0-9a-f]{12}\.css)"/.exec(
      text,
    )?.[1];
    expect(scriptUrl).toBeDefined();
    expect(styleUrl).toBeDefined();
    const script = await world.app.request(scriptUrl ?? '');
    expect(script.status).toBe(200);
    expect(script.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(script.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    expect(await script.text()).toContain('TatkalQueue');
    const style = await world.app.request(styleUrl ?? '');
    expect(style.headers.get('content-type')).toBe('text/css; charset=utf-8');
    expect((await world.app.request('/assets/nothing.js')).status).toBe(404);
  });

  it('escapes the room name everywhere it appears', async () => {
    const roomId = await world.addRoom({ name: '<script>alert(1)</script>' });
    const { text } = await page(newBrowser(), `/rooms/${roomId}`);
    expect(text).not.toContain('<script>alert(1)</script>');
    expect(text).toContain('<h1>&lt;script&gt;alert(1)&lt;/script&gt;</h1>');
    expect(text).toContain('<title>&lt;script&gt;alert(1)&lt;/script&gt; ·');
    expect(text).toContain('\\u003cscript\\u003ealert(1)\\u003c/script\\u003e');
  });

  it('before the queue opens: no form, and the page reloads itself around the opening', async () => {
    const roomId = await world.addRoom({
      prequeueOpensAt: new Date(world.clock.nowMs + 60_000),
      saleOpensAt: new Date(world.clock.nowMs + 120_000),
    });
    const { text } = await page(newBrowser(), `/rooms/${roomId}`);
    expect(text).toContain('Not open yet');
    expect(text).toContain('The queue opens at');
    expect(text).not.toContain('join-form');
    const refresh = Number(/<meta http-equiv="refresh" content="(\d+)">/.exec(text)?.[1]);
    expect(refresh).toBeGreaterThanOrEqual(60);
    expect(refresh).toBeLessThanOrEqual(72);
  });

  it('in a proof-of-work room, says that joining needs JavaScript', async () => {
    const roomId = await world.addRoom({ powDifficulty: 8 });
    const browser = newBrowser();
    const { text } = await page(browser, `/rooms/${roomId}`);
    expect(text).toMatch(/<noscript><p class="notice" id="pow-needs-js">[^<]*turn on JavaScript/);
    expect(text).toContain(`action="/rooms/${roomId}/join" hidden>`);
    const refused = await submitJoin(browser, roomId);
    expect(refused.response.status).toBe(428);
    expect(refused.text).toContain('Proof of work required');
    expect(browser.cookies.has(ticketCookieName(roomId))).toBe(false);
  });
});

describe('joining with the form', () => {
  it('303s back to the page with the ticket cookie; the page shows the position and reloads itself', async () => {
    const roomId = await world.addRoom();
    await apiJoin(roomId);
    await apiJoin(roomId);
    const browser = newBrowser();
    const joined = await submitJoin(browser, roomId);
    expect(joined.response.status).toBe(303);
    expect(joined.response.headers.get('location')).toBe(`/rooms/${roomId}`);
    const setCookie = joined.response.headers.getSetCookie().join('\n');
    expect(setCookie).toContain(`${ticketCookieName(roomId)}=q1.`);
    expect(setCookie).toMatch(/HttpOnly/i);
    expect(setCookie).toMatch(/Secure/i);
    expect(setCookie).toMatch(/SameSite=Lax/i);

    const { response, text } = await page(browser, `/rooms/${roomId}`);
    expect(response.status).toBe(200);
    expect(text).toContain('<p class="position" id="position">3</p>');
    expect(text).toContain('2 people ahead of you');
    expect(text).toContain('no estimate yet');
    expect(text).toContain('<progress id="progress" max="100" value="0"');
    expect(text).not.toContain('join-form');
    const refresh = /<noscript><meta http-equiv="refresh" content="(\d+)"><\/noscript>/.exec(text);
    expect(Number(refresh?.[1])).toBeGreaterThanOrEqual(2);
    expect(text).toMatch(
      /<p id="announce" class="visually-hidden" role="status" aria-live="polite"><\/p>/,
    );

    // Posting the form again keeps the same place: one place per visitor.
    const again = await submitJoin(browser, roomId);
    expect(again.response.status).toBe(303);
    expect((await page(browser, `/rooms/${roomId}`)).text).toContain('id="position">3<');
  });

  it('measures progress from the first position the visitor saw', async () => {
    const roomId = await world.addRoom();
    await apiJoin(roomId);
    await apiJoin(roomId);
    await apiJoin(roomId);
    const browser = newBrowser();
    await submitJoin(browser, roomId);
    expect((await page(browser, `/rooms/${roomId}`)).text).toContain('value="0"');
    expect(await world.admit(roomId, 2)).toEqual([1, 2]);
    await new Promise((resolve) => setTimeout(resolve, 120));
    const { text } = await page(browser, `/rooms/${roomId}`);
    expect(text).toContain('id="position">2<');
    expect(text).toContain('<progress id="progress" max="100" value="50"');
  });

  it('admitted: a prominent link to booking, and a no-JavaScript refresh to it', async () => {
    const roomId = await world.addRoom();
    const browser = newBrowser();
    await submitJoin(browser, roomId);
    expect(await world.admit(roomId, 1)).toEqual([1]);
    await new Promise((resolve) => setTimeout(resolve, 120));
    const { text } = await page(browser, `/rooms/${roomId}`);
    const href =
      /<a class="button button-go" id="booking-link" href="([^"]+)">Continue to booking<\/a>/.exec(
        text,
      )?.[1];
    expect(href).toMatch(
      new RegExp(`^https://book\\.example\\.test/book\\?room=${roomId}#token=ey`),
    );
    expect(text).toContain(
      `<noscript><meta http-equiv="refresh" content="3; url='${href}'"></noscript>`,
    );
    expect(text).toMatch(/<section class="card" id="s-admitted">/);
    expect(text).toMatch(/<section class="card" id="s-waiting"[^>]* hidden>/);
    expect(text).toContain('It is your turn');
  });

  it('in a shuffled pre-queue, shows the pre-queue instead of a position', async () => {
    const roomId = await world.addRoom({
      mode: 'fifo_shuffle',
      shuffleSeedHash: 'a'.repeat(64),
      prequeueOpensAt: new Date(world.clock.nowMs - 60_000),
      saleOpensAt: new Date(world.clock.nowMs + 600_000),
    });
    const browser = newBrowser();
    const before = await page(browser, `/rooms/${roomId}`);
    expect(before.text).toContain('Everyone who joins before the sale opens gets a random place');
    await submitJoin(browser, roomId);
    await new Promise((resolve) => setTimeout(resolve, 120));
    const { text } = await page(browser, `/rooms/${roomId}`);
    expect(text).toMatch(/<section class="card" id="s-prequeue">/);
    expect(text).toContain('You are in the pre-queue');
    expect(text).toContain('1 person in the pre-queue');
  });

  it('ignores a forged ticket cookie: clears it and offers the join form', async () => {
    const roomId = await world.addRoom();
    const browser = newBrowser();
    browser.cookies.set(ticketCookieName(roomId), 'q1.forged.signature');
    const { response, text } = await page(browser, `/rooms/${roomId}`);
    expect(response.status).toBe(200);
    expect(text).toContain('join-form');
    expect(browser.cookies.has(ticketCookieName(roomId))).toBe(false);
  });
});

describe('the page in Hindi', () => {
  it('follows ?lang=hi, carries it through the join, and links back to English', async () => {
    const roomId = await world.addRoom({ name: 'स्लीपर तत्काल' });
    const browser = newBrowser();
    const { text } = await page(browser, `/rooms/${roomId}?lang=hi`);
    expect(text).toContain('<html lang="hi">');
    expect(text).toContain('<h1>स्लीपर तत्काल</h1>');
    expect(text).toContain('कतार में शामिल हों');
    expect(text).toContain('बिक्री जारी है');
    expect(text).toContain(`action="/rooms/${roomId}/join?lang=hi"`);
    expect(text).toContain(`href="/rooms/${roomId}?lang=en" lang="en" hreflang="en"`);
    const joined = await submitJoin(browser, roomId, '?lang=hi');
    expect(joined.response.headers.get('location')).toBe(`/rooms/${roomId}?lang=hi`);
    const waiting = await page(browser, `/rooms/${roomId}?lang=hi`);
    expect(waiting.text).toContain('कतार में आपकी स्थिति');
    expect(waiting.text).toContain('अगली बारी आपकी है।');
    expect(waiting.text).toContain('अभी कोई अनुमान नहीं');
  });

  it('follows Accept-Language, unless ?lang= says otherwise', async () => {
    const roomId = await world.addRoom();
    const hindi = await page(newBrowser(), `/rooms/${roomId}`, {
      'accept-language': 'hi-IN,hi;q=0.9,en;q=0.8',
    });
    expect(hindi.text).toContain('<html lang="hi">');
    expect(hindi.text).toContain('कतार में शामिल हों');
    expect(hindi.text).toContain(`action="/rooms/${roomId}/join"`);
    const english = await page(newBrowser(), `/rooms/${roomId}?lang=en`, {
      'accept-language': 'hi-IN',
    });
    expect(english.text).toContain('<html lang="en">');
    expect(english.text).toContain('Join the queue');
  });
});

describe('problems as pages', () => {
  it('unknown room: 404 page, in either language', async () => {
    const english = await page(newBrowser(), '/rooms/no-such-room');
    expect(english.response.status).toBe(404);
    expect(english.response.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(english.text).toContain('<h1 lang="en">No such room</h1>');
    expect(english.text).not.toContain('Back to the queue page');
    const hindi = await page(newBrowser(), '/rooms/no-such-room?lang=hi');
    expect(hindi.response.status).toBe(404);
    expect(hindi.text).toContain('<h1 lang="hi">ऐसा कोई कक्ष नहीं है</h1>');
    const hostile = await page(
      newBrowser(),
      `/rooms/${encodeURIComponent('<img src=x onerror=alert(1)>')}`,
    );
    expect(hostile.response.status).toBe(404);
    expect(hostile.text).not.toContain('<img');
  });

  it('a closed room: no form on the page, 409 page for a join', async () => {
    const roomId = await world.addRoom({ status: 'closed' });
    const browser = newBrowser();
    const { text } = await page(browser, `/rooms/${roomId}`);
    expect(text).toContain('This sale has closed');
    expect(text).not.toContain('join-form');
    const refused = await submitJoin(browser, roomId);
    expect(refused.response.status).toBe(409);
    expect(refused.text).toContain('The sale is closed');
    expect(refused.text).toContain(`href="/rooms/${roomId}"`);
  });

  it('rate limited: 429 page that says how long to wait, with Retry-After', async () => {
    const roomId = await limited.addRoom();
    const browser = newBrowser();
    expect((await submitJoin(browser, roomId, '', limited)).response.status).toBe(303);
    const other = { ip: browser.ip, cookies: new Map<string, string>() };
    const refused = await submitJoin(other, roomId, '?lang=hi', limited);
    expect(refused.response.status).toBe(429);
    const retryAfter = Number(refused.response.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThan(0);
    expect(refused.text).toContain('बहुत ज़्यादा प्रयास');
    expect(refused.text).toContain(`कृपया ${retryAfter} सेकंड रुककर फिर कोशिश करें।`);
    expect(other.cookies.size).toBe(0);
  });

  it('refuses a join form posted from another site', async () => {
    const roomId = await world.addRoom();
    const browser = newBrowser();
    const { response, text } = await request(world, browser, `/rooms/${roomId}/join`, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        'sec-fetch-site': 'cross-site',
      },
      body: '',
    });
    expect(response.status).toBe(403);
    expect(text).toContain('Join refused');
    expect(browser.cookies.size).toBe(0);
  });

  it('refuses an oversized form body', async () => {
    const roomId = await world.addRoom();
    const { response, text } = await request(world, newBrowser(), `/rooms/${roomId}/join`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: `x=${'a'.repeat(10_000)}`,
    });
    expect(response.status).toBe(413);
    expect(text).toContain('Request body too large');
  });

  it('queue store not answering: a 503 page that reloads itself after Retry-After', async () => {
    const roomId = await world.addRoom();
    const unavailable = {
      get: () => Promise.reject(new Error('connection refused')),
    } as unknown as QueueStateCache;
    const routes = pageRoutes({ ...world.deps, queueState: unavailable });
    const response = await routes.request(`/rooms/${roomId}`);
    expect(response.status).toBe(503);
    expect(response.headers.get('retry-after')).toBe('2');
    const text = await response.text();
    expect(text).toContain('Queue temporarily unavailable');
    expect(text).toContain('<meta http-equiv="refresh" content="2">');
    expect(text).not.toContain('connection refused');
  });
});
