import { createHash, randomBytes } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type pg from 'pg';
import { quoteIdent, withAdminClient, withDatabase } from '../admin.ts';
import { migrateDatabase, migrationsFolder } from '../migrate.ts';

const templatePrefix = 'tatkal_tpl_';
const testPrefix = 'tatkal_t_';
// Key for pg_advisory_lock while templates are built or dropped.
const templateLockKey = 7_318_002;
// Test databases left behind by a crashed run are dropped after this long.
const abandonedAfterSeconds = 3_600;

/** A hash of every committed migration file, so a schema change builds a new template. */
async function migrationsHash(): Promise<string> {
  const hash = createHash('sha256');
  const walk = async (dir: string): Promise<void> => {
    const entries = (await readdir(dir, { withFileTypes: true })).sort((a, b) =>
      a.name.localeCompare(b.name),
    );
    for (const entry of entries) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) await walk(path);
      else hash.update(entry.name).update(await readFile(path));
    }
  };
  await walk(migrationsFolder);
  return hash.digest('hex').slice(0, 12);
}

async function databaseExists(client: pg.Client, name: string): Promise<boolean> {
  const result = await client.query('select 1 from pg_database where datname = $1', [name]);
  return (result.rowCount ?? 0) > 0;
}

/**
 * Makes sure a migrated template database for the current migrations exists and
 * returns its name. Built once, reused by every test file and every later run
 * until a migration changes; templates of older migrations are dropped.
 */
export async function ensureTemplateDatabase(adminUrl: string): Promise<string> {
  const name = `${templatePrefix}${await migrationsHash()}`;
  return withAdminClient(adminUrl, async (client) => {
    await client.query('select pg_advisory_lock($1)', [templateLockKey]);
    try {
      await dropAbandonedTestDatabases(client);
      const stale = await client.query<{ datname: string }>(
        'select datname from pg_database where datname like $1 and datname <> $2',
        [`${templatePrefix}%`, name],
      );
      for (const row of stale.rows) {
        // PostgreSQL refuses to drop a database still marked as a template.
        await client.query(`alter database ${quoteIdent(row.datname)} with is_template false`);
        await client.query(`drop database if exists ${quoteIdent(row.datname)} with (force)`);
      }
      if (await databaseExists(client, name)) return name;
      // Build under a scratch name and rename, so a crash never leaves a half-migrated template.
      const scratch = `${name}_building`;
      await client.query(`drop database if exists ${quoteIdent(scratch)} with (force)`);
      await client.query(`create database ${quoteIdent(scratch)}`);
      await migrateDatabase(withDatabase(adminUrl, scratch));
      await client.query(`alter database ${quoteIdent(scratch)} rename to ${quoteIdent(name)}`);
      await client.query(`alter database ${quoteIdent(name)} with is_template true`);
      return name;
    } finally {
      await client.query('select pg_advisory_unlock($1)', [templateLockKey]);
    }
  });
}

async function dropAbandonedTestDatabases(client: pg.Client): Promise<void> {
  const cutoff = Math.floor(Date.now() / 1000) - abandonedAfterSeconds;
  const rows = await client.query<{ datname: string }>(
    'select datname from pg_database where datname like $1',
    [`${testPrefix}%`],
  );
  for (const { datname } of rows.rows) {
    const createdAt = Number(datname.slice(testPrefix.length).split('_')[0]);
    if (Number.isFinite(createdAt) && createdAt < cutoff) {
      await client.query(`drop database if exists ${quoteIdent(datname)} with (force)`);
    }
  }
}

export interface TestDatabase {
  name: string;
  url: string;
  drop(): Promise<void>;
}

/** Clones the migrated template into a fresh database that belongs to one test file. */
export async function createTestDatabase(
  adminUrl: string,
  template: string,
): Promise<TestDatabase> {
  const name = `${testPrefix}${Math.floor(Date.now() / 1000)}_${randomBytes(5).toString('hex')}`;
  await withAdminClient(adminUrl, async (client) => {
    // CREATE DATABASE ... TEMPLATE fails while another session is copying the
    // same template; parallel test files retry briefly.
    for (let attempt = 0; ; attempt++) {
      try {
        await client.query(`create database ${quoteIdent(name)} template ${quoteIdent(template)}`);
        return;
      } catch (error) {
        const code = (error as { code?: string }).code;
        if (code !== '55006' || attempt >= 50) throw error;
        await new Promise((resolve) => setTimeout(resolve, 50 + Math.random() * 100));
      }
    }
  });
  return {
    name,
    url: withDatabase(adminUrl, name),
    drop: () =>
      withAdminClient(adminUrl, async (client) => {
        await client.query(`drop database if exists ${quoteIdent(name)} with (force)`);
      }),
  };
}
