// Reading a room's decision stream back: the audit flush copies it to PostgreSQL, tests and
// tools inspect it. Entries that do not carry a DecisionRecord's essentials are skipped.
import { z } from 'zod';
import type { RedisLike } from '../ticks/scripts.ts';
import { type DecisionRecord, decisionStreamKey } from './record.ts';

const count = z.number().int().nonnegative();
const essentials = z.object({
  roomId: z.string().min(1),
  atMs: count,
  workerId: z.string().min(1),
  fence: z.number().int().positive(),
  inputs: z.record(z.string(), z.unknown()),
  decision: z.object({ admit: count, rule: z.string() }).loose(),
  batch: z.object({
    firstNumber: count.nullable(),
    lastNumber: count.nullable(),
    admitted: count,
    skipped: count,
  }),
});

export interface StreamedDecision {
  /** The stream entry id; its time part is when the record was written (Redis clock). */
  id: string;
  record: DecisionRecord;
}

export function parseDecisionEntry(entry: [id: string, fields: string[]]): StreamedDecision | null {
  const [id, fields] = entry;
  const at = fields.indexOf('d');
  const value = at >= 0 ? fields[at + 1] : undefined;
  if (value === undefined) return null;
  try {
    const parsed = essentials.safeParse(JSON.parse(value));
    return parsed.success ? { id, record: parsed.data as unknown as DecisionRecord } : null;
  } catch {
    return null;
  }
}

/** Records after `afterId` (exclusive; "-" for the start), oldest first, at most `limit`. */
export async function readDecisions(
  redis: RedisLike,
  prefix: string,
  roomId: string,
  afterId: string,
  limit: number,
): Promise<StreamedDecision[]> {
  const start = afterId === '-' ? '-' : `(${afterId}`;
  const entries = await redis.xrange(decisionStreamKey(prefix, roomId), start, '+', 'COUNT', limit);
  return entries.map(parseDecisionEntry).filter((entry) => entry !== null);
}
