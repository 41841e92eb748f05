import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * A queue ticket: proof that a visitor holds a place in a room. It is signed
 * (HMAC-SHA256) so nobody can claim another's place or number, and it carries
 * the queue number so a status poll needs no Redis round trip.
 * Format: `q1.<base64url(JSON payload)>.<base64url(mac)>`.
 */
export interface QueueTicket {
  room: string;
  visitor: string;
  /** Null while the visitor waits in a shuffled pre-queue whose order is not drawn yet. */
  number: number | null;
  issuedAtSec: number;
}

const version = 'q1';
const maxTicketLength = 512;
const visitorPattern = /^[A-Za-z0-9_-]{16,64}$/;

// Visitor ids are cut from a pooled buffer: one randomBytes call per 256 joins.
const idBytes = 16;
let pool = Buffer.alloc(0);
let poolOffset = 0;

export function newVisitorId(): string {
  if (poolOffset + idBytes > pool.length) {
    pool = randomBytes(idBytes * 256);
    poolOffset = 0;
  }
  const id = pool.subarray(poolOffset, poolOffset + idBytes).toString('base64url');
  poolOffset += idBytes;
  return id;
}

export function isVisitorId(value: string): boolean {
  return visitorPattern.test(value);
}

function mac(secret: string, body: string): Buffer {
  return createHmac('sha256', secret).update(`${version}.${body}`).digest();
}

export function signTicket(secret: string, ticket: QueueTicket): string {
  const body = Buffer.from(
    JSON.stringify({ r: ticket.room, v: ticket.visitor, n: ticket.number, t: ticket.issuedAtSec }),
  ).toString('base64url');
  return `${version}.${body}.${mac(secret, body).toString('base64url')}`;
}

// Tickets already verified, by exact token and secret: a waiting visitor polls
// with the same ticket many times, and its MAC only needs checking once.
const verified = new Map<string, { secret: string; ticket: QueueTicket }>();
const maxVerified = 100_000;

/** The ticket if it is well formed and its signature holds; otherwise null. */
export function verifyTicket(secret: string, token: string | undefined): QueueTicket | null {
  if (!token || token.length > maxTicketLength) return null;
  const known = verified.get(token);
  if (known && known.secret === secret) return known.ticket;
  const ticket = checkTicket(secret, token);
  if (ticket) {
    if (verified.size >= maxVerified) verified.clear();
    verified.set(token, { secret, ticket });
  }
  return ticket;
}

function checkTicket(secret: string, token: string): QueueTicket | null {
  const [prefix, body, signature, extra] = token.split('.');
  if (prefix !== version || !body || !signature || extra !== undefined) return null;
  const given = Buffer.from(signature, 'base64url');
  const expected = mac(secret, body);
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return null;
  let payload: unknown;
  try {
    payload = JSON.parse(Buffer.from(body, 'base64url').toString('utf8'));
  } catch {
    return null;
  }
  if (typeof payload !== 'object' || payload === null) return null;
  const { r, v, n, t } = payload as Record<string, unknown>;
  if (typeof r !== 'string' || typeof v !== 'string' || !isVisitorId(v)) return null;
  if (!(n === null || (Number.isSafeInteger(n) && (n as number) > 0))) return null;
  if (!Number.isSafeInteger(t)) return null;
  return { room: r, visitor: v, number: n as number | null, issuedAtSec: t as number };
}

/** Cookie name of a room's ticket: one cookie per room, so rooms do not overwrite each other. */
export function ticketCookieName(roomId: string): string {
  return `tatkal_q_${roomId.replaceAll('-', '_')}`;
}
