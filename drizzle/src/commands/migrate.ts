import { ensureDatabaseExists } from '../admin.ts';
import { migrateDatabase } from '../migrate.ts';

const url = process.env.DATABASE_URL;
if (!url) {
  process.stderr.write(
    'DATABASE_URL is required (for example postgres://postgres@127.0.0.1:5432/tatkal)\n',
  );
  process.exit(2);
}
const database = new URL(url).pathname.slice(1);
if (await ensureDatabaseExists(url)) process.stdout.write(`created database ${database}\n`);
await migrateDatabase(url);
process.stdout.write(`migrations applied to ${database}\n`);
