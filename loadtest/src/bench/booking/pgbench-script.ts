// The pgbench side of the commit comparison: a script that sends PostgreSQL
// the statements createBooking sends for a two-passenger sleeper Tatkal
// booking through a room (captured from the pg client, in order, same text
// apart from the parameter markers), and the parsing of pgbench's output.
// Pure, so bench-booking.test.ts covers it.
import type { JourneyBlock } from './layout.ts';
import { pairsPerJourney } from './layout.ts';

/**
 * Differences from createBooking, none of which makes pgbench's side cheaper:
 * - seats come from per-client counters (pgbench variables persist across a
 *   client's transactions), so clients never collide, like the Node callers;
 * - the subject, hold id and token id are one number (unique per booking);
 * - the passengers INSERT ... RETURNING is wrapped in a CTE that returns the
 *   two ids as one row, because \gset takes one row.
 */
export function commitScript(): string {
  return `\\set n :n + 1
\\set k :client_id + :clients * :n
\\set journey_index :k / :pairs
\\set journey :first_journey + :journey_index
\\set seat_a :first_seat + :journey_index * :seats_per_journey + 2 * (:k % :pairs)
\\set seat_b :seat_a + 1
\\set hold :run * 100000000 + :k
\\set pnr random(1000000000, 9999999999)
\\set ordinal_1 1
\\set ordinal_2 2
select "id" from "bookings" where "bookings"."hold_id" = :hold;
begin;
select "train_number" from "journeys" where "journeys"."id" = :journey \\gset
select "id", "name", "journey_id", "class_codes", "quotas", "mode", "status", "prequeue_opens_at", "sale_opens_at", "closes_at", "session_seconds", "abandon_after_seconds", "tick_interval_ms", "min_admit_per_second", "max_admit_per_second", "max_active_sessions", "latency_target_ms", "pow_difficulty", "shuffle_seed_hash", "shuffle_seed", "created_at", "updated_at" from "rooms" where "rooms"."id" = :room;
select pg_advisory_xact_lock(7318101, hashtext(:hold));
select "seats"."id", "seats"."class_code", "seats"."quota", "coaches"."code", "seats"."berth_number", "seats"."berth_type" from "seats" inner join "coaches" on "coaches"."id" = "seats"."coach_id" where ("seats"."journey_id" = :journey and "seats"."id" in (:seat_a, :seat_b)) order by "seats"."id" for update of "seats";
select "id" from "bookings" where "bookings"."hold_id" = :hold;
select count(*) from "bookings" where ("bookings"."subject" = :hold and "bookings"."quota" in (:quota_tq, :quota_pt) and "bookings"."status" in (:status_pending_payment, :status_confirmed, :status_waitlisted) and "bookings"."room_id" = :room);
select "seat_id" from "seat_assignments" where ("seat_assignments"."journey_id" = :journey and "seat_assignments"."seat_id" in (:seat_a, :seat_b) and "seat_assignments"."status" in (:seat_pending, :seat_confirmed)) order by "seat_assignments"."seat_id";
select "train_number", "class_code", "base_fare_paise" from "fares" where "fares"."train_number" = :train_number;
select "class_code", "percent_of_base_fare", "min_charge_paise", "max_charge_paise" from "tatkal_charge_rules";
insert into "bookings" ("id", "pnr", "journey_id", "room_id", "subject", "class_code", "quota", "status", "base_fare_paise", "tatkal_charge_paise", "premium_surcharge_paise", "total_paise", "waitlist_number", "token_jti", "hold_id", "expires_at", "created_at", "updated_at", "confirmed_at", "cancelled_at") values (default, :pnr, :journey, :room, :hold, :class_sl, :quota_tq, :status_pending_payment, :base_fare, :tatkal_charge, :premium_surcharge, :total, default, :hold, :hold, :expires_at, default, default, default, default) on conflict ("pnr") do nothing returning "id" \\gset booking_
with p as (insert into "passengers" ("id", "booking_id", "ordinal", "name", "age", "gender", "berth_preference") values (default, :booking_id, :ordinal_1, :name_1, :age_1, :gender_1, null), (default, :booking_id, :ordinal_2, :name_2, :age_2, :gender_2, null) returning "id", "ordinal") select min("id") as passenger_1, max("id") as passenger_2 from p \\gset
insert into "seat_assignments" ("id", "booking_id", "passenger_id", "journey_id", "seat_id", "status", "created_at", "updated_at") values (default, :booking_id, :passenger_1, :journey, :seat_a, :seat_pending, default, default), (default, :booking_id, :passenger_2, :journey, :seat_b, :seat_pending, default, default);
commit;
`;
}

/** Round trips of one booking in the script (and in createBooking): 15. */
export const commitRoundTrips = 15;

export interface CommitConstants {
  block: JourneyBlock;
  clients: number;
  /** Distinguishes runs: hold ids stay unique across them. */
  run: number;
  roomId: string;
  passengers: ReadonlyArray<{ name: string; age: number; gender: string }>;
  amount: {
    baseFarePaise: number;
    tatkalChargePaise: number;
    premiumSurchargePaise: number;
    totalPaise: number;
  };
  expiresAt: Date;
}

/** `-D name=value` arguments for commitScript. */
export function commitDefines(constants: CommitConstants): string[] {
  return Object.entries(commitVariables(constants)).flatMap(([name, value]) => [
    '-D',
    `${name}=${value}`,
  ]);
}

/** The script's constants, by variable name. */
export function commitVariables(constants: CommitConstants): Record<string, string | number> {
  const { block, amount } = constants;
  const [first, second] = constants.passengers;
  if (!first || !second) throw new RangeError('the script books two passengers');
  const values: Record<string, string | number> = {
    n: -1,
    clients: constants.clients,
    pairs: pairsPerJourney(block),
    first_journey: block.firstJourneyId,
    first_seat: block.firstSeatId,
    seats_per_journey: block.seatsPerJourney,
    run: constants.run,
    room: constants.roomId,
    class_sl: 'SL',
    quota_tq: 'TQ',
    quota_pt: 'PT',
    status_pending_payment: 'PENDING_PAYMENT',
    status_confirmed: 'CONFIRMED',
    status_waitlisted: 'WAITLISTED',
    seat_pending: 'PENDING',
    seat_confirmed: 'CONFIRMED',
    base_fare: amount.baseFarePaise,
    tatkal_charge: amount.tatkalChargePaise,
    premium_surcharge: amount.premiumSurchargePaise,
    total: amount.totalPaise,
    expires_at: constants.expiresAt.toISOString(),
    name_1: first.name,
    age_1: first.age,
    gender_1: first.gender,
    name_2: second.name,
    age_2: second.age,
    gender_2: second.gender,
  };
  return values;
}

/** One SQL line of the script as node-postgres takes it: `:name` turned into `$n`. */
export interface ScriptStatement {
  text: string;
  /** The variable behind each `$n`, in order. */
  parameters: string[];
  /** `\gset [prefix]`: the row's columns become variables (prefix + column name). */
  gsetPrefix: string | null;
}

/** The script's SQL lines (not its `\set` lines), ready for a pg client. */
export function scriptStatements(script: string): ScriptStatement[] {
  return script
    .split('\n')
    .filter((line) => line.trim() !== '' && !line.startsWith('\\'))
    .map((line) => {
      const gset = / \\gset(?: (\w+))?$/.exec(line);
      const parameters: string[] = [];
      const text = line
        .replace(/ \\gset(?: \w+)?$/, '')
        .replace(/;$/, '')
        .replace(/:(\w+)/g, (_, name: string) => {
          if (!parameters.includes(name)) parameters.push(name);
          return `$${parameters.indexOf(name) + 1}`;
        });
      return { text, parameters, gsetPrefix: gset ? (gset[1] ?? '') : null };
    });
}

export interface PgbenchSummary {
  tps: number;
  processed: number;
  failed: number;
  latencyAverageMs: number | null;
  /** Clients that stopped on an error: the run is not a measurement. */
  aborted: boolean;
}

/** Reads pgbench's end-of-run report (stdout) and its errors (stderr). */
export function parsePgbenchOutput(stdout: string, stderr: string): PgbenchSummary {
  const number = (pattern: RegExp) => {
    const match = pattern.exec(stdout);
    return match?.[1] === undefined ? null : Number(match[1]);
  };
  const tps = number(/^tps = ([\d.]+) \(without initial connection time\)/m);
  const processed = number(/^number of transactions actually processed: (\d+)/m);
  if (tps === null || processed === null) {
    throw new Error(`pgbench printed no summary\nstdout:\n${stdout}\nstderr:\n${stderr}`);
  }
  return {
    tps,
    processed,
    failed: number(/^number of failed transactions: (\d+)/m) ?? 0,
    latencyAverageMs: number(/^latency average = ([\d.]+) ms/m),
    aborted: /aborted|client \d+ .*error/i.test(stderr) || /aborted/i.test(stdout),
  };
}

/**
 * Latencies in ms from pgbench's per-transaction log (-l): lines of
 * `client_id transaction_no time_us script_no time_epoch time_us_fraction`.
 */
export function parsePgbenchLog(text: string): number[] {
  const latencies: number[] = [];
  for (const line of text.split('\n')) {
    const fields = line.trim().split(/\s+/);
    const micros = Number(fields[2]);
    if (fields.length >= 6 && Number.isFinite(micros)) latencies.push(micros / 1000);
  }
  return latencies;
}
