import { getConnInfo } from '@hono/node-server/conninfo';
import type { Context } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import { ticketInvalid, ticketMissing } from '../problems.ts';
import { type QueueTicket, ticketCookieName, verifyTicket } from '../visitors/ticket.ts';

/** The ticket a request presents: the X-Queue-Ticket header (API clients) or the room's cookie. */
export function presentedTicket(c: Context, roomId: string): string | undefined {
  return c.req.header('x-queue-ticket') ?? getCookie(c, ticketCookieName(roomId));
}

/** The presented ticket, verified; 401 problem+json when missing or forged. */
export function requireTicket(c: Context, roomId: string, secret: string): QueueTicket {
  const token = presentedTicket(c, roomId);
  if (!token) throw ticketMissing();
  const ticket = verifyTicket(secret, token);
  if (!ticket) throw ticketInvalid();
  return ticket;
}

/** HttpOnly, Secure, SameSite=Lax: scripts cannot read it and other sites cannot post with it. */
export function setTicketCookie(
  c: Context,
  roomId: string,
  signedTicket: string,
  maxAgeSeconds: number,
): void {
  setCookie(c, ticketCookieName(roomId), signedTicket, {
    httpOnly: true,
    secure: true,
    sameSite: 'Lax',
    path: '/',
    maxAge: Math.max(60, Math.ceil(maxAgeSeconds)),
  });
}

const forwardedFor = /^[0-9a-fA-F:.]{2,45}$/;

/** The client's address: the socket peer, or the proxy's X-Forwarded-For when trusted. */
export function clientIp(c: Context, trustProxy: boolean): string {
  if (trustProxy) {
    const first = c.req.header('x-forwarded-for')?.split(',')[0]?.trim();
    if (first && forwardedFor.test(first)) return first;
  }
  try {
    return getConnInfo(c).remote.address ?? 'unknown';
  } catch {
    // In-process requests (tests) have no socket.
    return 'unknown';
  }
}

export function clearTicketCookie(c: Context, roomId: string): void {
  deleteCookie(c, ticketCookieName(roomId), { path: '/', secure: true });
}
