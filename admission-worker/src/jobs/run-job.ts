// One place that knows every background job by name: the BullMQ processor and the tests call
// the same function, and each run is timed and counted.
import { z } from 'zod';
import type { JobDeps } from './deps.ts';
import { expireDueBookings } from './expire-unpaid-bookings.ts';
import { type SendOptions, sendDueNotifications } from './notifications/send-notifications.ts';
import { promoteWaitlists } from './promote-waitlist.ts';
import { reconcileOnSale } from './reconcile-inventory.ts';
import { releaseExpiredHolds } from './release-expired-holds.ts';

export const jobNames = [
  'release-expired-holds',
  'expire-unpaid-bookings',
  'promote-waitlist',
  'send-notifications',
  'reconcile-inventory',
] as const;
export type JobName = (typeof jobNames)[number];
export const jobNameSchema = z.enum(jobNames);

/** Default period of each job's scheduler. */
export const defaultEveryMs: Record<JobName, number> = {
  'release-expired-holds': 1_000,
  'expire-unpaid-bookings': 2_000,
  'promote-waitlist': 10_000,
  'send-notifications': 1_000,
  'reconcile-inventory': 60_000,
};

export interface RunJobOptions {
  notifications?: SendOptions;
}

/** Runs one job to completion; resolves to what it changed (counts only). */
export async function runJob(
  deps: JobDeps,
  name: JobName,
  options: RunJobOptions = {},
): Promise<Record<string, number>> {
  const stop = deps.jobMetrics.duration.startTimer({ job: name });
  try {
    const counts = await dispatch(deps, name, options);
    deps.jobMetrics.runs.inc({ job: name, outcome: 'ok' });
    for (const [kind, value] of Object.entries(counts)) {
      if (kind !== 'journeys' && value > 0) deps.jobMetrics.items.inc({ job: name, kind }, value);
    }
    return counts;
  } catch (error) {
    deps.jobMetrics.runs.inc({ job: name, outcome: 'error' });
    throw error;
  } finally {
    stop();
  }
}

async function dispatch(
  deps: JobDeps,
  name: JobName,
  options: RunJobOptions,
): Promise<Record<string, number>> {
  switch (name) {
    case 'release-expired-holds':
      return { ...(await releaseExpiredHolds(deps)) };
    case 'expire-unpaid-bookings':
      return { ...(await expireDueBookings(deps)) };
    case 'promote-waitlist':
      return { ...(await promoteWaitlists(deps)) };
    case 'send-notifications':
      return { ...(await sendDueNotifications(deps, options.notifications)) };
    case 'reconcile-inventory':
      return { ...(await reconcileOnSale(deps)) };
  }
}
