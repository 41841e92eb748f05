// What a tick stages before it admits (stage-tick.lua), so that a successor can record the
// batch if this worker dies between admitting and recording.
import { z } from 'zod';
import type { ControllerDecision, ControllerInputs, ControllerState } from '../controller/types.ts';
import type { AdmissionBatchRecord, DecisionRecord } from '../decisions/record.ts';

export interface PendingTick {
  fence: number;
  workerId: string;
  atMs: number;
  inputs: ControllerInputs;
  decision: ControllerDecision;
  controllerState: ControllerState;
  servedBefore: number;
  admittedBefore: number;
  skippedBefore: number;
}

// Only the fields recovery computes with are checked; inputs and decision are carried as
// written by the same code that reads them back.
const pendingSchema = z.object({
  fence: z.number().int().positive(),
  workerId: z.string(),
  atMs: z.number().int().nonnegative(),
  inputs: z.record(z.string(), z.unknown()),
  decision: z.record(z.string(), z.unknown()),
  controllerState: z.record(z.string(), z.unknown()),
  servedBefore: z.number().int().nonnegative(),
  admittedBefore: z.number().int().nonnegative(),
  skippedBefore: z.number().int().nonnegative(),
});

export function parsePendingTick(value: string | undefined): PendingTick | null {
  if (!value) return null;
  try {
    const parsed = pendingSchema.safeParse(JSON.parse(value));
    return parsed.success ? (parsed.data as unknown as PendingTick) : null;
  } catch {
    return null;
  }
}

/** Suffix of the workerId of a record written by a successor for a tick that died. */
export const recoveredMarker = ' (recorded by ';

export interface QueueTotals {
  served: number;
  admittedTotal: number;
  skippedTotal: number;
}

/**
 * The record of a tick that admitted but died before recording, or null when it changed
 * nothing. Only ticks move the pointer and totals, and only the lock holder may, so
 * whatever moved since the staged totals is that tick's batch.
 */
export function recoveredRecord(
  roomId: string,
  pending: PendingTick,
  now: QueueTotals,
  recordedBy: string,
): DecisionRecord | null {
  const admitted = now.admittedTotal - pending.admittedBefore;
  const skipped = now.skippedTotal - pending.skippedBefore;
  const moved = now.served > pending.servedBefore;
  if (!moved && admitted <= 0 && skipped <= 0) return null;
  const batch: AdmissionBatchRecord = {
    firstNumber: moved ? pending.servedBefore + 1 : null,
    lastNumber: moved ? now.served : null,
    admitted: Math.max(0, admitted),
    skipped: Math.max(0, skipped),
  };
  return {
    roomId,
    atMs: pending.atMs,
    workerId: `${pending.workerId}${recoveredMarker}${recordedBy} after it stopped)`,
    fence: pending.fence,
    inputs: pending.inputs,
    decision: pending.decision,
    batch,
  };
}
