// Redis inventory rebuilt from PostgreSQL, the only source it is ever built from (DESIGN §5).
// On demand for one journey (operators, the reconcile command) and on a schedule for every
// journey on sale. rebuildInventory is safe under traffic and alongside other rebuilders, so
// several workers may reconcile at once. Before rebuilding, seats whose return to the
// waitlist was cut short are handed to the waitlist first: a rebuild alone would put them
// on general sale and let newcomers overtake people waiting.
import {
  auditInventory,
  type InventoryAudit,
  type RebuildResult,
  rebuildInventory,
} from '@tatkal/booking-api/inventory';
import type { JobDeps } from './deps.ts';
import { journeysOnSale } from './journeys.ts';
import { promoteWaitlists } from './promote-waitlist.ts';

export interface JourneyReconcile {
  journeyId: number;
  before: InventoryAudit;
  /** Null when the audit found nothing to repair and `force` was off. */
  rebuilt: RebuildResult | null;
  after: InventoryAudit;
  promoted: number;
}

export const isClean = (audit: InventoryAudit): boolean =>
  audit.mismatches.length === 0 && audit.countMismatches.length === 0;

export async function reconcileJourney(
  deps: JobDeps,
  journeyId: number,
  options: { force?: boolean } = {},
): Promise<JourneyReconcile> {
  const before = await auditInventory(deps.db.db, deps.redis, deps.prefix, journeyId, deps.now());
  if (isClean(before) && !options.force) {
    return { journeyId, before, rebuilt: null, after: before, promoted: 0 };
  }
  const { promoted } = await promoteWaitlists(deps, { journeyIds: [journeyId] });
  const rebuilt = await rebuildInventory(deps.db.db, deps.redis, deps.prefix, journeyId, {
    nowMs: deps.now(),
  });
  const after = await auditInventory(deps.db.db, deps.redis, deps.prefix, journeyId, deps.now());
  return { journeyId, before, rebuilt, after, promoted };
}

export interface ReconcileResult {
  journeys: number;
  /** Journeys whose audit disagreed and were rebuilt. */
  rebuilt: number;
  /** Journeys still disagreeing after the rebuild (a booking mid-flight; the next run sees it settled). */
  unsettled: number;
}

/**
 * Every journey on sale, as the booking API's own reconcile does; a journey Redis lost entirely
 * audits as all-missing and is rebuilt here rather than on the next shopper's request.
 */
export async function reconcileOnSale(deps: JobDeps): Promise<ReconcileResult> {
  const journeys = await journeysOnSale(deps.db.db, deps.now());
  let rebuilt = 0;
  let unsettled = 0;
  for (const journeyId of journeys) {
    const outcome = await reconcileJourney(deps, journeyId);
    if (outcome.rebuilt) rebuilt += 1;
    if (!isClean(outcome.after)) unsettled += 1;
  }
  return { journeys: journeys.length, rebuilt, unsettled };
}
