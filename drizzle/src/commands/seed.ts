// Seeds the demo Tatkal sale into DATABASE_URL (already migrated).
//   node src/commands/seed.ts [--now 2025-01-15T03:00:00Z]
// --now fixes the clock so tests and rehearsals get predictable dates.
import { parseArgs } from 'node:util';
import { createDbClient } from '../client.ts';
import { seedDemoSale } from '../seed/demo-sale.ts';

const ist = new Intl.DateTimeFormat('en-IN', {
  timeZone: 'Asia/Kolkata',
  dateStyle: 'medium',
  timeStyle: 'short',
});

function fail(message: string): never {
  process.stderr.write(`${message}\n`);
  process.exit(2);
}

const { values } = parseArgs({ options: { now: { type: 'string' } } });
const now = values.now === undefined ? new Date() : new Date(values.now);
if (Number.isNaN(now.getTime())) fail(`--now must be an ISO 8601 instant, got ${values.now}`);

const url = process.env.DATABASE_URL;
if (!url) fail('DATABASE_URL is required (for example postgres://postgres@127.0.0.1:5432/tatkal)');

const client = createDbClient({ url, poolMax: 1, applicationName: 'tatkal-seed' });
try {
  const summary = await seedDemoSale(client.db, { now });
  const { journey, created } = summary;
  const lines = [
    `demo sale seeded in ${new URL(url).pathname.slice(1)} (now ${now.toISOString()})`,
    `journey ${journey.id}: train ${journey.trainNumber} on ${journey.travelDate}, departs ${ist.format(journey.departsAt)} IST`,
    `rows created: ${Object.entries(created)
      .map(([table, count]) => `${table} ${count}`)
      .join(', ')}`,
    ...(summary.rearmedRooms > 0
      ? [`rooms re-armed with a new schedule: ${summary.rearmedRooms}`]
      : []),
    ...summary.rooms.map(
      (room) =>
        `room ${room.id}: pre-queue ${ist.format(room.prequeueOpensAt)}, sale ${ist.format(room.saleOpensAt)}, closes ${ist.format(room.closesAt)} IST`,
    ),
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
} finally {
  await client.close();
}
