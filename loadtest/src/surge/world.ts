// One run's throwaway world: its own PostgreSQL database (migrated, seeded with a Tatkal sale
// of exactly the requested sleeper berths), its own Redis key prefix and admission key file.
// The cleanup drops and deletes all of it, also on failure or Ctrl-C.
import { randomBytes } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createDbClient, type DbClient, seedDemoSale } from '@tatkal/drizzle';
import { generateSigningKey } from '@tatkal/waiting-room';
import type { Redis } from 'ioredis';
import type { Cleanup } from '../bench/cleanup.ts';
import { deletePrefix } from '../bench/fixture.ts';
import { throwawayDatabase } from '../bench/throwaway-database.ts';
import type { SurgeOptions } from './options.ts';
import { progress } from './progress.ts';

export const surgeRoomId = 'demo';
export const surgeClass = 'SL';
export const surgeQuota = 'TQ';

export interface SurgeWorld {
  label: string;
  databaseUrl: string;
  db: DbClient;
  prefix: string;
  keyFile: string;
  ticketSecret: string;
  journeyId: number;
}

const runId = `${Date.now().toString(36)}${randomBytes(2).toString('hex')}`;

export async function createSurgeWorld(
  cleanup: Cleanup,
  redis: Redis,
  options: SurgeOptions,
  label: 'p' | 'c',
  scratchDir: string,
): Promise<SurgeWorld> {
  const prefix = `s${label}-${runId}`;
  cleanup.defer(`delete Redis keys ${prefix}:*`, async () => {
    const deleted = await deletePrefix(redis, prefix);
    progress(`cleanup: deleted ${deleted} Redis keys under ${prefix}:`);
  });
  const databaseName = `tatkal_surge_${label}_${runId}`;
  const databaseUrl = await throwawayDatabase(cleanup, options.pgAdminUrl, databaseName, progress);
  const db = createDbClient({ url: databaseUrl, poolMax: 3, applicationName: 'tatkal-surge' });
  cleanup.defer(`close pool of ${databaseName}`, () => db.close());
  const journeyId = await seedSurgeSale(db, options);
  const keyFile = join(scratchDir, `admission-keys-${label}.json`);
  await writeFile(keyFile, JSON.stringify({ keys: [await generateSigningKey()] }), { mode: 0o600 });
  return {
    label,
    databaseUrl,
    db,
    prefix,
    keyFile,
    ticketSecret: randomBytes(32).toString('base64url'),
    journeyId,
  };
}

/**
 * The demo sale, with the rake lengthened to 23 sleeper coaches so that `seats` sleeper berths
 * can be Tatkal: exactly `seats` berths are TQ (sleeper, in coach and berth order) and every
 * other berth of the journey is general quota. The demo room sells sleeper Tatkal, is open
 * now, and carries the controller's bounds from the options.
 */
async function seedSurgeSale(db: DbClient, options: SurgeOptions): Promise<number> {
  const seeded = await seedDemoSale(db.db);
  const journeyId = seeded.journey.id;
  const client = await db.pool.connect();
  try {
    await client.query('begin');
    const train = await client.query<{ train_number: string; taken: number }>(
      `select train_number, max(position)::int as taken from coaches
        where train_number = (select train_number from journeys where id = $1)
        group by train_number`,
      [journeyId],
    );
    const trainNumber = train.rows[0]?.train_number;
    const taken = train.rows[0]?.taken ?? 0;
    if (!trainNumber) throw new Error('the seeded journey has no coaches');
    // S9 .. S23 fill the rake's positions up to 30.
    for (let position = taken + 1, code = 9; position <= 30; position++, code++) {
      await client.query(
        `insert into coaches (train_number, code, class_code, position) values ($1, $2, 'SL', $3)
           on conflict do nothing`,
        [trainNumber, `S${code}`, position],
      );
    }
    const bay = ['LB', 'MB', 'UB', 'LB', 'MB', 'UB', 'SL', 'SU'];
    await client.query(
      `insert into seats (journey_id, train_number, coach_id, class_code, berth_number, berth_type, quota)
         select $1, c.train_number, c.id, 'SL', b.n, ($2::text[])[((b.n - 1) % 8) + 1], 'GN'
           from coaches c cross join generate_series(1, 72) as b(n)
          where c.train_number = $3 and c.class_code = 'SL'
         on conflict do nothing`,
      [journeyId, bay, trainNumber],
    );
    await client.query(`update seats set quota = 'GN' where journey_id = $1`, [journeyId]);
    const tatkal = await client.query(
      `update seats set quota = 'TQ' where id in (
         select s.id from seats s join coaches c on c.id = s.coach_id
          where s.journey_id = $1 and s.class_code = 'SL'
          order by c.position, s.berth_number limit $2)`,
      [journeyId, options.seats],
    );
    if (tatkal.rowCount !== options.seats) {
      throw new Error(`only ${tatkal.rowCount} sleeper berths for ${options.seats} seats`);
    }
    await client.query(
      `update rooms set class_codes = '{SL}', quotas = '{TQ}',
              prequeue_opens_at = now() - interval '2 minutes',
              sale_opens_at = now() - interval '1 second',
              closes_at = now() + interval '2 hours',
              min_admit_per_second = $2, max_admit_per_second = $3,
              max_active_sessions = $4, latency_target_ms = $5, session_seconds = $6
        where id = $1`,
      [
        surgeRoomId,
        options.minAdmitPerSecond,
        options.maxAdmitPerSecond,
        options.maxActiveSessions,
        options.latencyTargetMs,
        options.sessionSeconds,
      ],
    );
    await client.query('commit');
  } catch (error) {
    await client.query('rollback');
    throw error;
  } finally {
    client.release();
  }
  return journeyId;
}
