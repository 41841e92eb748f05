// Arriving and waiting: who arrives (one beforeScenario per scenario), joining (a 429 is
// honoured), status polls at the interval the room suggests, until admitted or gone.
import { setTimeout as sleep } from 'node:timers/promises';
import { tokenScope } from './tokens.ts';
import {
  arrive,
  body,
  type Context,
  count,
  type Events,
  type RequestParams,
  type Response,
  setup,
  type Vars,
  type Visit,
  verdict,
  visitOf,
} from './visit.ts';

// ---- Who arrives (beforeScenario, one per scenario) ----

export async function berthVisitor(context: Context, events: Events) {
  arrive(context, events, 'berths');
}
export async function namedSeatVisitor(context: Context, events: Events) {
  arrive(context, events, 'named_seats');
}
export async function abandoningVisitor(context: Context, events: Events) {
  arrive(context, events, 'abandons');
}
export async function retryingVisitor(context: Context, events: Events) {
  arrive(context, events, 'retries');
}
export async function dishonestVisitor(context: Context, events: Events) {
  arrive(context, events, 'dishonest');
}

// ---- Joining (a 429 is honoured: wait as long as Retry-After says, then join again) ----

export async function waitBeforeJoin(context: Context) {
  await sleep(visitOf(context.vars).retryAfterSeconds * 1000);
}

export async function afterJoin(
  _req: RequestParams,
  res: Response,
  context: Context,
  events: Events,
) {
  const visit = visitOf(context.vars);
  visit.joinAttempts++;
  if (verdict('join', res, events) !== 'ok') {
    visit.retryAfterSeconds = Number(res.headers['retry-after'] ?? 1);
    return;
  }
  const joined = body(res);
  visit.retryAfterSeconds = 0;
  visit.number = Number(joined.number);
  visit.nextPollSeconds = Number(joined.nextPollSeconds);
  context.vars.ticket = String(joined.ticket);
  takeAdmission(visit, context.vars, joined);
}

// Loop conditions must not throw (artillery calls them outside its error handling): they stop
// the loop, and the step after the loop fails the visit.
export function joinAgain(context: Context, next: (again: boolean) => void) {
  const visit = visitOf(context.vars);
  next(visit.retryAfterSeconds > 0 && visit.joinAttempts < 5);
}

export async function settleJoin(context: Context) {
  const visit = visitOf(context.vars);
  if (visit.number === null) {
    throw new Error(`unexpected: join refused with 429 ${visit.joinAttempts} times`);
  }
}

/** A visitor who retries presses "join" again: the same place must come back (200, same number). */
export function rejoins(vars: Vars): boolean {
  return visitOf(vars).profile === 'retries';
}

export async function afterRejoin(
  _req: RequestParams,
  res: Response,
  context: Context,
  events: Events,
) {
  const visit = visitOf(context.vars);
  verdict('join', res, events);
  const again = body(res);
  if (res.statusCode !== 200 || Number(again.number) !== visit.number) {
    throw new Error(`unexpected: a second join gave ${res.statusCode} and another place`);
  }
  count(events, 'rejoined_same_place');
}

// ---- Waiting: poll when told, until admitted (or until an abandoner gives up) ----

function takeAdmission(visit: Visit, vars: Vars, status: Record<string, unknown>) {
  const admission = status.admission as { token?: unknown } | null | undefined;
  if (!admission || typeof admission.token !== 'string' || visit.token) return;
  visit.token = admission.token;
  visit.scope = tokenScope(admission.token);
  vars.journeyId = visit.scope.journeyId;
  vars.otherJourneyId = visit.scope.journeyId + 1;
}

export async function waitAsTold(context: Context) {
  const visit = visitOf(context.vars);
  if (visit.token) return;
  // The room's suggestion, as the queue page follows it (it stays within 1-30 s with jitter).
  await sleep(Math.min(30, Math.max(0, visit.nextPollSeconds)) * 1000);
}

export async function afterStatus(
  _req: RequestParams,
  res: Response,
  context: Context,
  events: Events,
) {
  const visit = visitOf(context.vars);
  verdict('status', res, events);
  const status = body(res);
  visit.polls++;
  visit.nextPollSeconds = Number(status.nextPollSeconds);
  const wasWaiting = !visit.token;
  takeAdmission(visit, context.vars, status);
  if (wasWaiting && visit.token) {
    events.emit('histogram', 'tatkal.admission_wait_ms', Date.now() - visit.arrivedAtMs);
    count(events, 'admitted');
  }
}

export function keepWaiting(context: Context, next: (again: boolean) => void) {
  const visit = visitOf(context.vars);
  if (visit.token) return next(false);
  if (visit.leavesAfterPolls !== null && visit.polls >= visit.leavesAfterPolls) {
    visit.ended = 'abandoned';
    return next(false);
  }
  const { maxWaitSeconds } = setup().settings;
  next(Date.now() - visit.arrivedAtMs < maxWaitSeconds * 1000);
}

/** Admitted, abandoned on purpose, or a failed visit. */
export async function settleWait(context: Context, events: Events) {
  const visit = visitOf(context.vars);
  if (visit.token) return;
  if (visit.ended === 'abandoned') return count(events, 'abandoned');
  throw new Error(`unexpected: not admitted within ${setup().settings.maxWaitSeconds} s`);
}
