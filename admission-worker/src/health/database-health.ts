// PostgreSQL's own view of its load, asked directly each tick (not from a Prometheus scrape):
// sessions waiting on a lock and sessions running a statement, in this database.
import type pg from 'pg';
import type { DatabaseHealth } from '../controller/types.ts';

const activityQuery = `
  select count(*) filter (where wait_event_type = 'Lock')::int as lock_waits,
         count(*) filter (where state = 'active')::int as active_sessions
    from pg_stat_activity
   where datname = current_database() and pid <> pg_backend_pid()`;

/**
 * Both signals, or both unknown when PostgreSQL does not answer within `timeoutMs`: an
 * overloaded database must slow the tick down no more than that, and a missing answer is
 * not a healthy one.
 */
export async function readDatabaseHealth(
  pool: pg.Pool,
  timeoutMs: number,
): Promise<DatabaseHealth> {
  const unknown: DatabaseHealth = { lockWaits: null, activeSessions: null };
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<null>((resolve) => {
    timer = setTimeout(() => resolve(null), timeoutMs);
  });
  try {
    const result = await Promise.race([
      pool.query<{ lock_waits: number; active_sessions: number }>(activityQuery),
      timeout,
    ]);
    const row = result?.rows[0];
    if (!row) return unknown;
    return { lockWaits: row.lock_waits, activeSessions: row.active_sessions };
  } catch {
    return unknown;
  } finally {
    clearTimeout(timer);
  }
}
