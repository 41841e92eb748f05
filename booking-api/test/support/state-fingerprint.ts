// Everything a refused request must leave as it was: the booking tables (row
// count and an md5 over every row), the idempotency keys row by row, and every
// Redis key under the test's prefix (the journey's inventory, token state) by
// its DUMP and by its content. Two equal fingerprints mean nothing changed;
// equal contents with different DUMPs mean a key was written back as it was.
import type { Redis } from 'ioredis';
import type pg from 'pg';

const bookingTables = ['bookings', 'passengers', 'seat_assignments', 'payments'] as const;

export interface StateFingerprint {
  /** table -> "<rows>:<md5 of all rows>". */
  tables: Record<string, string>;
  /** One line per idempotency key: "<subject> <key> <state> <status>". */
  idempotencyKeys: string[];
  /** Redis key -> "<type>:<hex DUMP>". */
  redis: Record<string, string>;
  /** Redis key -> "<type>:<content>" (fields and members sorted). */
  redisContent: Record<string, string>;
}

export async function stateFingerprint(
  pool: pg.Pool,
  redis: Redis,
  prefix: string,
): Promise<StateFingerprint> {
  const tables: Record<string, string> = {};
  for (const table of [...bookingTables, 'idempotency_keys']) {
    const result = await pool.query<{ rows: string; hash: string | null }>(
      `select count(*)::text as rows, md5(string_agg(t::text, '|' order by t::text)) as hash
         from ${table} t`,
    );
    const row = result.rows[0];
    tables[table] = `${row?.rows}:${row?.hash ?? '-'}`;
  }
  const keys = await pool.query<{ line: string }>(
    `select concat_ws(' ', subject, key, state, response_status) as line
       from idempotency_keys order by subject, key`,
  );
  return {
    tables,
    idempotencyKeys: keys.rows.map((row) => row.line),
    ...(await redisState(redis, prefix)),
  };
}

async function content(redis: Redis, key: string, type: string): Promise<string> {
  switch (type) {
    case 'hash':
      return JSON.stringify(Object.entries(await redis.hgetall(key)).sort());
    case 'zset':
      return JSON.stringify(await redis.zrangebyscore(key, '-inf', '+inf', 'WITHSCORES'));
    case 'set':
      return JSON.stringify((await redis.smembers(key)).sort());
    case 'list':
      return JSON.stringify(await redis.lrange(key, 0, -1));
    case 'string':
      return JSON.stringify(await redis.get(key));
    default:
      return type;
  }
}

async function redisState(redis: Redis, prefix: string) {
  const dumps: Array<[string, string]> = [];
  const contents: Array<[string, string]> = [];
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 1000);
    cursor = next;
    for (const key of keys) {
      const [type, dump] = await Promise.all([redis.type(key), redis.dumpBuffer(key)]);
      dumps.push([key, `${type}:${dump?.toString('hex') ?? 'gone'}`]);
      contents.push([key, `${type}:${await content(redis, key, type)}`]);
    }
  } while (cursor !== '0');
  const sorted = (entries: Array<[string, string]>) =>
    Object.fromEntries(entries.sort(([a], [b]) => a.localeCompare(b)));
  return { redis: sorted(dumps), redisContent: sorted(contents) };
}
