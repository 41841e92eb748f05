import { drizzle, type NodePgDatabase } from 'drizzle-orm/node-postgres';
import pg from 'pg';
import * as schema from './schema/index.ts';

export type Schema = typeof schema;
export type Database = NodePgDatabase<Schema>;

export interface DbClientOptions {
  url: string;
  /** Largest number of pooled connections. */
  poolMax?: number;
  /** Name shown in pg_stat_activity, so operators can tell services apart. */
  applicationName?: string;
  /** Milliseconds a checkout may wait for a free connection before failing. */
  connectionTimeoutMs?: number;
  /** Server-side statement_timeout in milliseconds; 0 disables it. */
  statementTimeoutMs?: number;
}

export interface DbClient {
  db: Database;
  pool: pg.Pool;
  /** Answers true when PostgreSQL runs a trivial query. */
  ping(): Promise<boolean>;
  close(): Promise<void>;
}

/** Opens a pooled connection to PostgreSQL with the typed drizzle schema. */
export function createDbClient(options: DbClientOptions): DbClient {
  const pool = new pg.Pool({
    connectionString: options.url,
    max: options.poolMax ?? 10,
    application_name: options.applicationName ?? 'tatkal',
    connectionTimeoutMillis: options.connectionTimeoutMs ?? 5_000,
    statement_timeout: options.statementTimeoutMs ?? 0,
  });
  // An idle client that loses its connection emits here; without a listener
  // the process would crash. The next checkout gets a fresh connection.
  pool.on('error', () => {});
  const db = drizzle(pool, { schema });
  let closed = false;
  return {
    db,
    pool,
    async ping() {
      try {
        await pool.query('select 1');
        return true;
      } catch {
        return false;
      }
    },
    async close() {
      if (closed) return;
      closed = true;
      await pool.end();
    },
  };
}
