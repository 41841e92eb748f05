// What the fairness endpoint publishes about a shuffled pre-queue, and how anyone checks
// it: the seed's hash (published before opening), the seed (after), the join log and the
// resulting order, both as hashes of visitor ids so no visitor id is ever published.
import { createHash } from 'node:crypto';
import { z } from 'zod';
import { derivePrequeueOrder } from './shuffle-order.ts';

function sha256Hex(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

/** How a visitor appears in published logs: SHA-256 of its id (UTF-8), lowercase hex. */
export function publicVisitorHash(visitor: string): string {
  return sha256Hex(visitor);
}

/** SHA-256 of the seed (UTF-8), lowercase hex: published before the pre-queue opens. */
export function seedHash(seed: string): string {
  return sha256Hex(seed);
}

/** The body of GET /v1/rooms/:room/fairness. */
export const fairnessDocumentSchema = z.object({
  mode: z.enum(['fifo', 'fifo_shuffle']),
  seedHash: z.string().nullable(),
  /** Null until the pre-queue has opened. */
  seed: z.string().nullable(),
  /** publicVisitorHash of each pre-queue visitor, in arrival order. */
  joinLog: z.array(z.string()),
  /** publicVisitorHash of each pre-queue visitor, in queue-number order. */
  order: z.array(z.string()),
});
export type FairnessDocument = z.infer<typeof fairnessDocumentSchema>;

/** Builds the published document from the visitor ids (readPrequeueLog, readPrequeueOrder). */
export function fairnessDocument(input: {
  mode: 'fifo' | 'fifo_shuffle';
  seedHash: string | null;
  seed: string | null;
  prequeueLog: readonly string[];
  prequeueOrder: readonly string[];
}): FairnessDocument {
  return {
    mode: input.mode,
    seedHash: input.seedHash,
    seed: input.seed,
    joinLog: input.prequeueLog.map(publicVisitorHash),
    order: input.prequeueOrder.map(publicVisitorHash),
  };
}

export interface ShuffleCheck {
  ok: boolean;
  /** One line per check, passed or failed, for people to read. */
  findings: string[];
}

/**
 * Checks a published shuffle: sha256(seed) equals the seed hash, and the order is the
 * join log permuted by derivePrequeueOrder(seed, joinLog.length).
 */
export function verifyShuffle(input: {
  seed: string;
  seedHash: string;
  joinLog: readonly string[];
  order: readonly string[];
}): ShuffleCheck {
  const findings: string[] = [];
  let ok = true;
  const actualHash = seedHash(input.seed);
  if (actualHash === input.seedHash.trim().toLowerCase()) {
    findings.push(`ok: sha256(seed) = ${actualHash} matches the published seed hash`);
  } else {
    ok = false;
    findings.push(`MISMATCH: sha256(seed) = ${actualHash}, published seed hash ${input.seedHash}`);
  }
  const expected = derivePrequeueOrder(input.seed, input.joinLog.length).map(
    (index) => input.joinLog[index] as string,
  );
  if (input.order.length !== expected.length) {
    ok = false;
    findings.push(
      `MISMATCH: the order lists ${input.order.length} visitors, the join log ${expected.length}`,
    );
  }
  const differing = expected.findIndex((hash, i) => input.order[i] !== hash);
  if (differing >= 0) {
    ok = false;
    findings.push(
      `MISMATCH: queue position ${differing + 1} should be ${expected[differing]}, published ${input.order[differing] ?? '(none)'}`,
    );
  } else if (input.order.length === expected.length) {
    findings.push(
      `ok: the order of all ${expected.length} pre-queue visitors equals the derivation`,
    );
  }
  return { ok, findings };
}
