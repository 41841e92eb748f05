// One admitted visitor in a booking storm, over HTTP: hold (named seats in
// random or reversed order, or N berths), sometimes as duplicate requests with
// the same Idempotency-Key or a retry with another; then book (sometimes twice
// at once), let the hold run out, or release it; then pay at once, pay around
// the payment deadline, or never pay; sometimes cancel once confirmed. Every
// answer is checked against the answers the API may give at that step, and
// what the API promised (PNRs, seats, confirmations) goes into a ledger the
// test compares with PostgreSQL and Redis afterwards.
import { berthTypes } from '@tatkal/drizzle/schema';
import { pause, seededRandom, shuffled } from '../bookings/support.ts';
import type { BookingWorld } from './booking-world.ts';

export type Call = BookingWorld['call'];
type Answer = Awaited<ReturnType<Call>>;

export interface StormPlan {
  journeyId: number;
  classCode: string;
  quota: string;
  /** Seats visitors name in their requests (may include seats sold before the storm). */
  namedSeatIds: number[];
  attemptsPerVisitor: number;
  seed: number;
  /** Pause between a visitor's attempts, ms (uniform in [min, max]). */
  thinkMs: [number, number];
  /** Lifetime of a hold of this quota, ms: two holds of one token overlap if closer than it. */
  holdTtlMs: number;
}

export interface BookedByApi {
  visitor: number;
  pnr: string;
  seatIds: number[];
  expiresAtMs: number;
}

export interface StormLedger {
  holdPosts: number;
  /** "<step> <status> <code>" -> how many times. */
  answers: Map<string, number>;
  /** Answers the API must never give at that step (5xx, unknown codes). */
  unexpected: Array<{ step: string; status: number; body: unknown }>;
  /** Promises the API broke that a client can see (two live holds for one token, ...). */
  violations: string[];
  /** Every booking the API answered 201 for, by PNR. */
  booked: Map<string, BookedByApi>;
  /** Bookings a client saw CONFIRMED, with the seats GET reported. */
  confirmed: Map<string, number[]>;
  cancelled: Set<string>;
  /** Payments started within `raceMs` of the booking's deadline. */
  paymentsNearDeadline: number;
}

export function newLedger(): StormLedger {
  return {
    holdPosts: 0,
    answers: new Map(),
    unexpected: [],
    violations: [],
    booked: new Map(),
    confirmed: new Map(),
    cancelled: new Set(),
    paymentsNearDeadline: 0,
  };
}

export function answered(ledger: StormLedger, prefix: string): number {
  let total = 0;
  for (const [key, n] of ledger.answers) if (key.startsWith(prefix)) total += n;
  return total;
}

type Allowed = ReadonlyArray<readonly [status: number, code?: string]>;

const holdAnswers: Allowed = [
  [201],
  [409, 'seat_unavailable'],
  [409, 'not_enough_berths'],
  [409, 'hold_exists'],
  [409, 'idempotency_request_in_flight'],
];
const bookAnswers: Allowed = [
  [201],
  [409, 'hold_expired'],
  [409, 'seat_unavailable'],
  [409, 'tatkal_limit'],
  [409, 'idempotency_request_in_flight'],
];

function check(ledger: StormLedger, step: string, answer: Answer, allowed: Allowed): boolean {
  const code = typeof answer.body.code === 'string' ? answer.body.code : '';
  const key = `${step} ${answer.status} ${code}`;
  ledger.answers.set(key, (ledger.answers.get(key) ?? 0) + 1);
  const ok = allowed.some(
    ([status, wanted]) => status === answer.status && (wanted === undefined || wanted === code),
  );
  if (!ok) ledger.unexpected.push({ step, status: answer.status, body: answer.body });
  return ok;
}

interface VisitorContext {
  index: number;
  token: string;
  plan: StormPlan;
  call: Call;
  ledger: StormLedger;
  random: () => number;
}

function holdRequest(ctx: VisitorContext) {
  const { plan, random } = ctx;
  const pool = { journeyId: plan.journeyId, classCode: plan.classCode, quota: plan.quota };
  if (random() < 0.5) {
    const picked = shuffled(plan.namedSeatIds, random).slice(0, 1 + Math.floor(random() * 3));
    // Half of the multi-seat requests name their seats in descending order.
    if (random() < 0.5) picked.sort((a, b) => b - a);
    return { ...pool, seatIds: picked };
  }
  const count = 1 + Math.floor(random() * 2);
  const preferences = Array.from({ length: count }, () =>
    random() < 0.5 ? null : (berthTypes[Math.floor(random() * berthTypes.length)] ?? null),
  );
  return { ...pool, berths: { count, preferences } };
}

const seatIdsOf = (body: Record<string, unknown>) =>
  ((body.seats as Array<{ seatId: number }> | undefined) ?? []).map((seat) => seat.seatId);

/** A hold, possibly sent as duplicates; the one live hold the token got, if any. */
async function hold(ctx: VisitorContext, attempt: number): Promise<Answer | undefined> {
  const { call, ledger, token, random } = ctx;
  const request = holdRequest(ctx);
  const key = `v${ctx.index}-hold-${attempt}`;
  const send = (idempotencyKey: string) => {
    ledger.holdPosts++;
    return call('POST', '/v1/holds', token, request, { 'idempotency-key': idempotencyKey });
  };
  const mode = random();
  let answers: Answer[];
  if (mode < 0.15) {
    // A double click: the same request and key twice at once.
    answers = await Promise.all([send(key), send(key)]);
    const ids = new Set(answers.filter((a) => a.status === 201).map((a) => a.body.holdId));
    if (ids.size > 1) ledger.violations.push(`${key}: one key gave holds ${[...ids].join(', ')}`);
  } else if (mode < 0.3) {
    // A retry after a lost answer: the same key again, which must give the same hold.
    const first = await send(key);
    const again = await send(key);
    answers = [first];
    if (first.status === 201 && again.body.holdId !== first.body.holdId) {
      ledger.violations.push(`${key}: retry gave ${String(again.body.holdId)}`);
    }
    check(ledger, 'hold-retry', again, holdAnswers);
  } else if (mode < 0.4) {
    // A retry without the key: the token may still have only one live hold.
    answers = await Promise.all([send(key), send(`${key}-other`)]);
    // Both may succeed only one after the other: on a loaded machine the second request can
    // reach the hold script after the first hold (of a short test TTL) has already expired.
    const expiries = answers
      .filter((a) => a.status === 201)
      .map((a) => Date.parse(String(a.body.expiresAt)));
    const [first, second] = expiries;
    if (
      first !== undefined &&
      second !== undefined &&
      Math.abs(first - second) < ctx.plan.holdTtlMs
    ) {
      ledger.violations.push(
        `${key}: one token got two live holds (expiring ${Math.abs(first - second)} ms apart)`,
      );
    }
  } else {
    answers = [await send(key)];
  }
  for (const answer of answers) check(ledger, 'hold', answer, holdAnswers);
  return answers.find((answer) => answer.status === 201);
}

function passengers(ctx: VisitorContext, count: number) {
  return Array.from({ length: count }, (_, i) => ({
    name: `Visitor ${ctx.index} P${i + 1}`,
    age: 20 + ((ctx.index + i) % 60),
    gender: i % 2 === 0 ? 'F' : 'M',
    berthPreference: null,
  }));
}

async function book(
  ctx: VisitorContext,
  held: Answer,
  attempt: number,
  options: { duplicate?: boolean; allowed?: Allowed } = {},
) {
  const { call, ledger, token } = ctx;
  const body = {
    holdId: held.body.holdId,
    passengers: passengers(ctx, seatIdsOf(held.body).length),
  };
  const key = `v${ctx.index}-book-${attempt}`;
  const send = (k: string) => call('POST', '/v1/bookings', token, body, { 'idempotency-key': k });
  // A duplicate is a double click (same key, at once) and a retry with a new key afterwards.
  const answers = options.duplicate
    ? [...(await Promise.all([send(key), send(key)])), await send(`${key}-retry`)]
    : [await send(key)];
  for (const answer of answers) check(ledger, 'book', answer, options.allowed ?? bookAnswers);
  const pnrs = new Set(answers.filter((a) => a.status === 201).map((a) => a.body.pnr));
  if (pnrs.size > 1) ledger.violations.push(`${key}: one hold booked as ${[...pnrs].join(', ')}`);
  const won = answers.find((answer) => answer.status === 201);
  if (!won) return undefined;
  const booked: BookedByApi = {
    visitor: ctx.index,
    pnr: String(won.body.pnr),
    seatIds: seatIdsOf(won.body).sort((a, b) => a - b),
    expiresAtMs: Date.parse(String(won.body.expiresAt)),
  };
  const heldSeats = seatIdsOf(held.body).sort((a, b) => a - b);
  if (booked.seatIds.join() !== heldSeats.join()) {
    ledger.violations.push(`${booked.pnr}: booked ${booked.seatIds} from a hold of ${heldSeats}`);
  }
  ledger.booked.set(booked.pnr, booked);
  return booked;
}

/** Pays, then reads the booking until the webhook has settled it. */
async function pay(ctx: VisitorContext, booked: BookedByApi, attempt: number) {
  const { call, ledger, token } = ctx;
  const started = await call('POST', `/v1/bookings/${booked.pnr}/pay`, token, undefined, {
    'idempotency-key': `v${ctx.index}-pay-${attempt}`,
  });
  if (!check(ledger, 'pay', started, [[202], [409, 'booking_not_payable']])) return undefined;
  if (started.status !== 202) return undefined;
  const deadline = Date.now() + 10_000;
  while (Date.now() < deadline) {
    const view = await call('GET', `/v1/bookings/${booked.pnr}`, token);
    check(ledger, 'get', view, [[200]]);
    const status = String(view.body.status);
    if (status === 'CONFIRMED') {
      ledger.confirmed.set(
        booked.pnr,
        seatIdsOf(view.body).sort((a, b) => a - b),
      );
      return status;
    }
    if (status === 'REFUND_PENDING') return status;
    await pause(40)();
  }
  ledger.violations.push(`${booked.pnr}: paid, but the webhook never settled it`);
  return undefined;
}

/** One visitor's whole visit; resolves when it is over. */
export async function runVisitor(
  index: number,
  token: string,
  plan: StormPlan,
  call: Call,
  ledger: StormLedger,
): Promise<void> {
  const random = seededRandom(plan.seed * 7_919 + index);
  const ctx: VisitorContext = { index, token, plan, call, ledger, random };
  const think = () => pause(plan.thinkMs[0] + random() * (plan.thinkMs[1] - plan.thinkMs[0]))();
  await pause(random() * plan.thinkMs[1])();
  for (let attempt = 0; attempt < plan.attemptsPerVisitor; attempt++) {
    const held = await hold(ctx, attempt);
    if (!held) {
      await think();
      continue;
    }
    const next = random();
    if (next < 0.15) {
      // Too slow: the hold runs out before the booking arrives.
      await pause(Date.parse(String(held.body.expiresAt)) - Date.now() + 100)();
      await book(ctx, held, attempt, { allowed: [[409, 'hold_expired']] });
      continue;
    }
    if (next < 0.25) {
      const released = await call('DELETE', `/v1/holds/${String(held.body.holdId)}`, token);
      check(ledger, 'release', released, [[204], [404, 'hold_not_found']]);
      await think();
      continue;
    }
    const booked = await book(ctx, held, attempt, { duplicate: next > 0.85 });
    if (!booked) continue;
    // Payment is the exception, so seats keep coming back to be fought over.
    const payMode = random();
    if (payMode < 0.45) continue; // never pays: the booking expires
    if (payMode < 0.75) {
      // Pays around the deadline, racing the expiry job and the sweep.
      const offset = -200 + random() * 350;
      await pause(Math.max(0, booked.expiresAtMs - Date.now() + offset))();
      ledger.paymentsNearDeadline++;
    }
    const status = await pay(ctx, booked, attempt);
    if (status !== 'CONFIRMED') continue;
    if (random() < 0.35) {
      const cancelled = await call('POST', `/v1/bookings/${booked.pnr}/cancel`, token);
      if (check(ledger, 'cancel', cancelled, [[200]])) ledger.cancelled.add(booked.pnr);
    }
    // A confirmed booking uses the admission up: the token holds nothing more. The webhook
    // consumes it just after the commit a GET can already see, so allow it a moment.
    for (let retry = 0; retry < 20; retry++) {
      ledger.holdPosts++;
      const after = await call('POST', '/v1/holds', token, holdRequest(ctx), {
        'idempotency-key': `v${index}-after-${retry}`,
      });
      check(ledger, 'hold-after-confirm', after, [
        [201],
        [403, 'token_consumed'],
        [409, 'seat_unavailable'],
        [409, 'not_enough_berths'],
      ]);
      if (after.status === 403) return;
      if (after.status === 201)
        await call('DELETE', `/v1/holds/${String(after.body.holdId)}`, token);
      await pause(50)();
    }
    ledger.violations.push(`${booked.pnr}: confirmed, yet its admission still holds seats`);
    return;
  }
}
