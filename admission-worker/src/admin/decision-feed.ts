// Reading the ticks' decision records back from their Redis stream (the key and
// the record's shape are defined by decisions/record.ts). Each entry is checked
// against the contract: a malformed one is skipped, never shown as a decision.
import type { Redis } from 'ioredis';
import { z } from 'zod';
import type { ControllerRule } from '../controller/types.ts';
import { type DecisionRecord, decisionStreamKey } from '../decisions/record.ts';

const signal = z.number().nullable();
const rules = [
  'paused',
  'emergency_brake',
  'queue_unreachable',
  'operator_max',
  'operator_min',
  'session_cap',
  'blind_hold',
  'blind_decay',
  'overload_cut',
  'cut_hold',
  'headroom_increase',
  'steady',
  'no_demand',
] as const satisfies readonly ControllerRule[];

export const decisionRecordSchema = z.object({
  roomId: z.string(),
  atMs: z.number(),
  workerId: z.string(),
  fence: z.number(),
  inputs: z.object({
    nowMs: z.number(),
    intervalSeconds: z.number(),
    queueReachable: z.boolean(),
    booking: z.object({
      commitP50Ms: signal,
      commitP95Ms: signal,
      commitSamples: z.number(),
      poolBusy: signal,
      poolWaiting: signal,
      poolMax: signal,
      inFlight: signal,
      requests: signal,
      errors5xx: signal,
      timeouts: signal,
      ageMs: signal,
    }),
    database: z.object({ lockWaits: signal, activeSessions: signal }),
    queue: z.object({ waiting: z.number(), headAgeMs: signal }),
    sessions: z.object({ active: z.number(), meanSessionSeconds: signal, liveHolds: signal }),
    bounds: z.object({
      paused: z.boolean(),
      emergencyBrake: z.boolean(),
      minPerSecond: z.number(),
      maxPerSecond: z.number(),
      maxActiveSessions: z.number(),
      latencyTargetMs: z.number(),
    }),
  }),
  decision: z.object({
    admit: z.number(),
    ratePerSecond: z.number(),
    activeSessionCap: z.number(),
    // Unknown rules from a newer worker are shown as they are, not dropped.
    rule: z.union([z.enum(rules), z.string()]),
    reason: z.string(),
  }),
  batch: z.object({
    firstNumber: signal,
    lastNumber: signal,
    admitted: z.number(),
    skipped: z.number(),
  }),
});

// Fails to compile if the schema and the contract drift apart.
type Parsed = z.infer<typeof decisionRecordSchema>;
const sameShape = <A, B extends A>(check: (a: A) => B) => check;
sameShape<Omit<DecisionRecord, 'decision'>, Omit<Parsed, 'decision'>>((a) => a);
sameShape<Omit<Parsed, 'decision'>, Omit<DecisionRecord, 'decision'>>((a) => a);

export interface DecisionEntry {
  /** The stream entry id; resume a live view after it. */
  id: string;
  record: DecisionRecord;
}

/** A stream entry's record, or null when the entry is not a valid DecisionRecord. */
export function decisionFromFields(fields: string[]): DecisionRecord | null {
  const at = fields.indexOf('d');
  const raw = at >= 0 && at % 2 === 0 ? fields[at + 1] : undefined;
  if (raw === undefined) return null;
  try {
    const value: unknown = JSON.parse(raw);
    // Checked against the contract, but passed on whole: fields a newer tick adds are kept.
    return decisionRecordSchema.safeParse(value).success ? (value as DecisionRecord) : null;
  } catch {
    return null;
  }
}

export function toEntries(raw: Array<[id: string, fields: string[]]>): DecisionEntry[] {
  const entries: DecisionEntry[] = [];
  for (const [id, fields] of raw) {
    const record = decisionFromFields(fields);
    if (record) entries.push({ id, record });
  }
  return entries;
}

/** The newest `count` records of a room, oldest first. */
export async function recentDecisions(
  redis: Redis,
  prefix: string,
  roomId: string,
  count: number,
): Promise<DecisionEntry[]> {
  if (count <= 0) return [];
  const raw = await redis.xrevrange(decisionStreamKey(prefix, roomId), '+', '-', 'COUNT', count);
  return toEntries(raw.reverse());
}
