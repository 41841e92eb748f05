// A database of a run's own: created, migrated, and dropped (with force, so a crashed child's
// connections do not keep it) by the run's cleanup, also on failure or Ctrl-C.
import {
  createDbClient,
  ensureDatabaseExists,
  migrateDatabase,
  withDatabase,
} from '@tatkal/drizzle';
import type { Cleanup, Progress } from './cleanup.ts';

/** Returns the new database's URL. */
export async function throwawayDatabase(
  cleanup: Cleanup,
  pgAdminUrl: string,
  databaseName: string,
  progress: Progress,
): Promise<string> {
  const databaseUrl = withDatabase(pgAdminUrl, databaseName);
  cleanup.defer(`drop database ${databaseName}`, async () => {
    const admin = createDbClient({ url: pgAdminUrl, poolMax: 1 });
    try {
      await admin.pool.query(`drop database if exists "${databaseName}" with (force)`);
      progress(`cleanup: dropped database ${databaseName}`);
    } finally {
      await admin.close();
    }
  });
  await ensureDatabaseExists(databaseUrl);
  await migrateDatabase(databaseUrl);
  return databaseUrl;
}
