// Turning script replies back into typed values. A reply that does not have the documented
// shape is an UnexpectedReply error, never a silently wrong value.
import { unexpectedReply } from './scripts.ts';
import { decodeSeatMeta, type SeatRef } from './types.ts';

export function toInteger(script: string, reply: unknown, value: unknown): number {
  const n =
    typeof value === 'number' ? value : typeof value === 'string' ? Number(value) : Number.NaN;
  if (!Number.isSafeInteger(n)) throw unexpectedReply(script, reply);
  return n;
}

export function toArray(script: string, reply: unknown): unknown[] {
  if (!Array.isArray(reply)) throw unexpectedReply(script, reply);
  return reply;
}

/** {seatId1, meta1, seatId2, meta2, ...} from `offset` on. */
export function toSeatRefs(script: string, reply: unknown[], offset: number): SeatRef[] {
  if ((reply.length - offset) % 2 !== 0) throw unexpectedReply(script, reply);
  const seats: SeatRef[] = [];
  for (let i = offset; i < reply.length; i += 2) {
    const seatId = toInteger(script, reply, reply[i]);
    const meta = reply[i + 1];
    if (typeof meta !== 'string' || meta === '') throw unexpectedReply(script, reply);
    seats.push(decodeSeatMeta(seatId, meta));
  }
  return seats;
}

export function toSeatIds(script: string, reply: unknown[], offset: number): number[] {
  return reply.slice(offset).map((value) => toInteger(script, reply, value));
}
