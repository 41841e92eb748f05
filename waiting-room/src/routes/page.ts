// The queue page for browsers (DESIGN §3): GET /rooms/:room, the no-JavaScript
// join form POST /rooms/:room/join, and the page's script and stylesheet. The
// page calls the same verbs as the JSON API, with the same dependencies.
import { type Context, Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { getCookie, setCookie } from 'hono/cookie';
import type { WaitingRoomDeps } from '../deps.ts';
import { assets } from '../page/assets.ts';
import { renderProblemPage } from '../page/error-page.ts';
import { assetHeaders } from '../page/headers.ts';
import { chooseLang, isLang, type Lang } from '../page/i18n.ts';
import { sendPage } from '../page/layout.ts';
import {
  type RoomPageContext,
  renderJoinPage,
  renderTicketPage,
  roomPageUrl,
} from '../page/queue-page.ts';
import { roomNotFound } from '../problems.ts';
import { effectiveRoomState } from '../rooms/room.ts';
import { internalError, Problem } from '../service/index.ts';
import { joinVisitor, orUnavailable } from '../visitors/join-visitor.ts';
import { publicStatus } from '../visitors/live-updates.ts';
import { ticketCookieName, verifyTicket } from '../visitors/ticket.ts';
import { visitorStatus } from '../visitors/visitor-status.ts';
import { clearTicketCookie, clientIp, setTicketCookie } from './request-helpers.ts';
import { roomIdPattern } from './schemas.ts';

export interface PageDeps extends WaitingRoomDeps {
  /** Take the client address from X-Forwarded-For (only behind a proxy you run). */
  trustProxy?: boolean;
}

interface Language {
  lang: Lang;
  picked: Lang | null;
}

function pageLanguage(c: Context): Language {
  const query = c.req.query('lang');
  return {
    lang: chooseLang(query, c.req.header('accept-language')),
    picked: isLang(query) ? query : null,
  };
}

const crossSiteJoin = () =>
  new Problem({
    status: 403,
    code: 'cross_site_join',
    title: 'Join refused',
    detail: 'A join must come from the room’s own page; use the button on it.',
  });

const formTooLarge = () =>
  new Problem({
    status: 413,
    code: 'body_too_large',
    title: 'Request body too large',
    detail: 'The join form sends no data.',
  });

/** The first position a ticket holder saw, so the progress bar measures from where they began. */
const startCookieName = (roomId: string) => `tatkal_start_${roomId.replaceAll('-', '_')}`;
const startCookieValue = /^([0-9]{1,15})\.([0-9]{1,15})$/;

function startPosition(
  c: Context,
  roomId: string,
  number: number,
  position: number,
  maxAgeSeconds: number,
): number {
  const match = startCookieValue.exec(getCookie(c, startCookieName(roomId)) ?? '');
  if (match && Number(match[1]) === number && Number(match[2]) >= position) return Number(match[2]);
  setCookie(c, startCookieName(roomId), `${number}.${position}`, {
    httpOnly: true,
    secure: true,
    sameSite: 'Lax',
    path: `/rooms/${roomId}`,
    maxAge: Math.max(60, Math.ceil(maxAgeSeconds)),
  });
  return position;
}

function problemPage(c: Context, error: unknown, language: Language, roomId: string): Response {
  let problem: Problem;
  if (error instanceof Problem) problem = error;
  else {
    c.get('log')?.error({ err: error, roomId }, 'queue page failed');
    problem = internalError();
  }
  for (const [name, value] of Object.entries(problem.headers)) c.header(name, value);
  const knownRoom = roomIdPattern.test(roomId) && problem.code !== 'room_not_found';
  const other: Lang = language.lang === 'en' ? 'hi' : 'en';
  const body = renderProblemPage({
    lang: language.lang,
    pickedLang: language.picked,
    problem,
    roomId: knownRoom ? roomId : null,
    requestId: c.get('requestId') ?? '',
    otherLanguageHref: roomIdPattern.test(roomId) ? roomPageUrl(roomId, other) : `?lang=${other}`,
    // A queue page that failed for a moment (Redis away) comes back by itself, even without JavaScript.
    reloadAfterRetry: c.req.method === 'GET',
  });
  return sendPage(c, body, problem.status);
}

/** Before the pre-queue opens, the page reloads itself around the opening, spread by up to 20 %. */
function refreshBeforeOpening(untilMs: number, random: () => number): number {
  const seconds = Math.min(300, Math.max(5, Math.ceil(untilMs / 1000)));
  return Math.ceil(seconds * (1 + 0.2 * random()));
}

async function roomPage(
  c: Context,
  deps: PageDeps,
  roomId: string,
  language: Language,
): Promise<Response> {
  if (!roomIdPattern.test(roomId)) throw roomNotFound(roomId);
  const room = await deps.catalog.get(roomId);
  if (!room) throw roomNotFound(roomId);
  const nowMs = deps.now();
  const state = effectiveRoomState(room, nowMs);
  const context: RoomPageContext = {
    lang: language.lang,
    pickedLang: language.picked,
    room,
    state,
  };
  const cookieMaxAge = (room.closesAt.getTime() - nowMs) / 1000 + 3600;

  const presented = getCookie(c, ticketCookieName(room.id));
  const ticket =
    presented === undefined ? null : verifyTicket(deps.settings.ticketSecret, presented);
  if (presented !== undefined && (ticket === null || ticket.room !== room.id)) {
    // A stale or forged cookie: forget it and offer to join again.
    clearTicketCookie(c, room.id);
  } else if (ticket) {
    const status = await visitorStatus(deps, room.id, ticket);
    if (status.renewedTicket) setTicketCookie(c, room.id, status.renewedTicket, cookieMaxAge);
    const start =
      status.number !== null && status.position !== null && status.standing !== 'admitted'
        ? startPosition(c, room.id, status.number, status.position, cookieMaxAge)
        : null;
    return sendPage(c, renderTicketPage(context, publicStatus(status), start));
  }

  const { queue, rates } = await orUnavailable(deps.queueState.get(room.id));
  const refresh =
    state === 'scheduled'
      ? refreshBeforeOpening(room.prequeueOpensAt.getTime() - nowMs, deps.random)
      : null;
  return sendPage(
    c,
    renderJoinPage(
      context,
      {
        waiting: Math.max(0, queue.lastNumber - queue.servedUpTo),
        ratePerSecond: Math.round(Math.max(rates.short, rates.long) * 100) / 100,
      },
      refresh,
    ),
  );
}

async function joinFromForm(
  c: Context,
  deps: PageDeps,
  roomId: string,
  language: Language,
): Promise<Response> {
  // A form post from another site would give this browser a place it did not ask for.
  if (c.req.header('sec-fetch-site') === 'cross-site') throw crossSiteJoin();
  if (!roomIdPattern.test(roomId)) throw roomNotFound(roomId);
  const presented = getCookie(c, ticketCookieName(roomId));
  const held = presented === undefined ? null : verifyTicket(deps.settings.ticketSecret, presented);
  const joined = await joinVisitor(deps, {
    roomId,
    // A stale or forged cookie is dropped here, not refused: the form is how a visitor recovers.
    presentedTicket: held !== null && held.room === roomId ? presented : undefined,
    clientIp: clientIp(c, deps.trustProxy ?? false),
    proofOfWork: undefined,
  });
  setTicketCookie(
    c,
    roomId,
    joined.signedTicket,
    (joined.room.closesAt.getTime() - deps.now()) / 1000 + 3600,
  );
  c.header('cache-control', 'no-store');
  return c.redirect(roomPageUrl(roomId, language.picked), 303);
}

export function pageRoutes(deps: PageDeps) {
  const app = new Hono();

  app.get('/assets/:file', (c) => {
    const asset = assets.get(c.req.param('file'));
    if (!asset) return c.notFound();
    return c.body(asset.body, 200, assetHeaders(asset));
  });

  app.get('/rooms/:room', async (c) => {
    const language = pageLanguage(c);
    const roomId = c.req.param('room');
    try {
      return await roomPage(c, deps, roomId, language);
    } catch (error) {
      return problemPage(c, error, language, roomId);
    }
  });

  app.post(
    '/rooms/:room/join',
    bodyLimit({
      maxSize: 4096,
      onError: (c) => problemPage(c, formTooLarge(), pageLanguage(c), c.req.param('room') ?? ''),
    }),
    async (c) => {
      const language = pageLanguage(c);
      const roomId = c.req.param('room');
      try {
        return await joinFromForm(c, deps, roomId, language);
      } catch (error) {
        return problemPage(c, error, language, roomId);
      }
    },
  );

  return app;
}
