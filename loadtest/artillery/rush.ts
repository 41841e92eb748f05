// `pnpm loadtest:rush`: a bounded Tatkal rush on the running demo (`./infra/run demo`), to watch
// on the queue page and the operator console. 115 visitors arrive within a minute (60 in the
// first 5 s), loopback only; the run ends when the last visitor is done, at most after 8
// minutes. Exits non-zero when a threshold of journey.yml's rush environment is breached.
//
// Environment: TATKAL_WAITING_ROOM_URL, TATKAL_BOOKING_URL, TATKAL_ROOM (defaults: the demo's),
// DATABASE_URL (the demo's; read once for the seat map named-seat visitors pick from),
// TATKAL_ADMIN_URL (the admission worker, for the console's address).
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { runArtillery } from './run-artillery.ts';
import { writeSeatMap } from './visitor/seat-map.ts';
import { journeySettings } from './visitor/settings.ts';

const settings = journeySettings(process.env);
const databaseUrl = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/tatkal';
const adminUrl = process.env.TATKAL_ADMIN_URL ?? 'http://127.0.0.1:8082';
const say = (line: string) => process.stderr.write(`[rush] ${line}\n`);

for (const url of [settings.waitingRoomUrl, settings.bookingUrl]) {
  const ready = await fetch(`${url}/readyz`).then(
    (response) => response.ok,
    () => false,
  );
  if (!ready) {
    say(`${url} is not ready: start the demo first (./infra/run demo) and run this again`);
    process.exit(2);
  }
}

const dir = mkdtempSync(join(tmpdir(), 'tatkal-rush-'));
// Beside the demo's other state (.data/ is not committed); each rush replaces the last report.
const repoRoot = fileURLToPath(new URL('../../', import.meta.url));
mkdirSync(join(repoRoot, '.data'), { recursive: true });
const reportFile = join(repoRoot, '.data', 'rush-report.json');
const seatMapFile = join(dir, 'seats.json');
const db = new pg.Client({ connectionString: databaseUrl });
await db.connect();
try {
  const room = await db.query<{ journey_id: number | null; quotas: string[] }>(
    'select journey_id, quotas from rooms where id = $1',
    [settings.room],
  );
  const journeyId = room.rows[0]?.journey_id;
  if (!journeyId) {
    say(`room ${settings.room} does not exist or sells no single journey`);
    process.exit(2);
  }
  await writeSeatMap(db, journeyId, room.rows[0]?.quotas ?? ['TQ'], seatMapFile);
} finally {
  await db.end();
}

say(`115 visitors for room ${settings.room}; watch them on`);
say(`  queue page        ${settings.waitingRoomUrl}/rooms/${settings.room}`);
say(`  operator console  ${adminUrl}/admin/console (token in .data/operator-token)`);
const run = await runArtillery({
  environment: 'rush',
  env: {
    TATKAL_WAITING_ROOM_URL: settings.waitingRoomUrl,
    TATKAL_BOOKING_URL: settings.bookingUrl,
    TATKAL_ROOM: settings.room,
    TATKAL_SEAT_MAP: seatMapFile,
    TATKAL_MAX_WAIT_SECONDS: '360',
  },
  deadlineMs: 8 * 60_000,
  echo: true,
  reportFile,
});
rmSync(dir, { recursive: true, force: true });
if (run.killedAtDeadline) say('stopped at the 8-minute deadline');
say(`artillery's JSON report: ${relative(process.cwd(), reportFile)}`);
const outcome = (name: string) => run.counters[`tatkal.outcome.${name}`] ?? 0;
process.stdout.write(
  `${JSON.stringify({
    visitors: run.counters['vusers.created'] ?? 0,
    failed: run.counters['vusers.failed'] ?? 0,
    admitted: outcome('admitted'),
    abandoned: outcome('abandoned'),
    booked: outcome('booked'),
    confirmed: outcome('confirmed'),
    sold_out: outcome('sold_out'),
    seat_taken: outcome('seat_taken'),
    refused_tokens:
      outcome('forged_token_refused') +
      outcome('unsigned_token_refused') +
      outcome('out_of_scope_refused') +
      outcome('reused_token_refused'),
    thresholds_breached: run.checks.filter((check) => check.startsWith('fail')).length,
  })}\n`,
);
process.exit(run.exitCode ?? 1);
