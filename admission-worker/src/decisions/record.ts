// What every admission tick records: its inputs, the controller's decision and the rule that
// fired, and the admission batch it made. Written to a bounded Redis stream per room (the live
// view: console, `tatkal watch`) and, batched, to PostgreSQL's admission_batches (the audit).
import type { ControllerDecision, ControllerInputs } from '../controller/types.ts';

/** The part of the admission worker's Redis layout that other tools read. */
export const workerLayoutVersion = 'aw:v1';

/** Stream of tick records for one room; entry field `d` holds a DecisionRecord as JSON. */
export function decisionStreamKey(prefix: string, roomId: string): string {
  return `${prefix}:${workerLayoutVersion}:{room:${roomId}}:decisions`;
}

/** Entries kept in a room's decision stream (about an hour of one-second ticks). */
export const decisionStreamLength = 4_000;

/** The queue numbers one tick admitted; null when it admitted nobody. */
export interface AdmissionBatchRecord {
  /** Inclusive range of queue numbers the pointer moved over (null when it did not move). */
  firstNumber: number | null;
  lastNumber: number | null;
  admitted: number;
  skipped: number;
}

export interface DecisionRecord {
  roomId: string;
  /** Epoch ms the tick ran. */
  atMs: number;
  workerId: string;
  /** The fencing token of the tick's lock: strictly increasing per room. */
  fence: number;
  inputs: ControllerInputs;
  decision: ControllerDecision;
  batch: AdmissionBatchRecord;
}
