// One visitor's state between the requests of the journey scenario, and what every step shares:
// its settings, the verdict on an answer, the outcome counters. An answer the visitor does not
// expect throws, which fails the visit; expected refusals are counted as outcomes.
import { judge, type Step } from './outcomes.ts';
import { readSeatMap, type SeatMap } from './seat-map.ts';
import { crowdAddress, type JourneySettings, journeySettings } from './settings.ts';
import type { TokenScope } from './tokens.ts';

export type Profile = 'berths' | 'named_seats' | 'abandons' | 'retries' | 'dishonest';

export interface Visit {
  profile: Profile;
  arrivedAtMs: number;
  joinAttempts: number;
  /** Seconds the last join's 429 asked to wait; 0 when it was not refused. */
  retryAfterSeconds: number;
  number: number | null;
  nextPollSeconds: number;
  polls: number;
  /** Abandoners close the tab after this many status polls. */
  leavesAfterPolls: number | null;
  token: string | null;
  scope: TokenScope | null;
  classCode: string | null;
  quota: string | null;
  passengers: number;
  passengerList: Array<Record<string, unknown>> | null;
  namedSeatsTaken: boolean;
  holdId: string | null;
  pnr: string | null;
  paid: boolean;
  bookingStatus: string | null;
  confirmPolls: number;
  /** Why the visit ended early (sold out, abandoned); null while it goes on. */
  ended: string | null;
}

export interface Vars extends Record<string, unknown> {
  visit?: Visit;
}

export interface Context {
  vars: Vars;
  /** The virtual user's own agent (artillery creates one per visitor when no pool is set). */
  _httpAgent?: { options?: Record<string, unknown> };
}

export interface Events {
  emit(type: 'counter' | 'histogram', name: string, value: number): void;
}

export interface RequestParams {
  name?: string;
  headers?: Record<string, string>;
  json?: unknown;
}

export interface Response {
  statusCode: number;
  body: string;
  headers: Record<string, string | string[] | undefined>;
}

let loaded: { settings: JourneySettings; seatMap: SeatMap | null } | undefined;

export function setup() {
  if (!loaded) {
    const settings = journeySettings(process.env);
    loaded = {
      settings,
      seatMap: settings.seatMapFile ? readSeatMap(settings.seatMapFile) : null,
    };
  }
  return loaded;
}

export function visitOf(vars: Vars): Visit {
  if (!vars.visit) throw new Error('the visitor was not set up (beforeScenario missing)');
  return vars.visit;
}

export const count = (events: Events, outcome: string) =>
  events.emit('counter', `tatkal.outcome.${outcome}`, 1);

export function arrive(context: Context, events: Events, profile: Profile): void {
  const { settings } = setup();
  if (settings.spreadAddresses) {
    const options = context._httpAgent?.options;
    if (!options) throw new Error('no per-visitor HTTP agent to give a source address to');
    options.localAddress = crowdAddress();
  }
  const passengers = profile === 'berths' && Math.random() < 0.3 ? 2 : 1;
  context.vars.visit = {
    profile,
    arrivedAtMs: Date.now(),
    joinAttempts: 0,
    retryAfterSeconds: 0,
    number: null,
    nextPollSeconds: 0,
    polls: 0,
    leavesAfterPolls: profile === 'abandons' ? 1 + Math.floor(Math.random() * 3) : null,
    token: null,
    scope: null,
    classCode: null,
    quota: null,
    passengers,
    passengerList: null,
    namedSeatsTaken: false,
    holdId: null,
    pnr: null,
    paid: false,
    bookingStatus: null,
    confirmPolls: 0,
    ended: null,
  };
  Object.assign(context.vars, {
    waitingRoomUrl: settings.waitingRoomUrl,
    bookingUrl: settings.bookingUrl,
    room: settings.room,
    ticket: '',
    journeyId: 0,
    otherJourneyId: 0,
    pnr: '',
  });
  events.emit('counter', `tatkal.visitors.${profile}`, 1);
}

/** The verdict on an answer: throws (failing the visit) unless it is ok or an expected refusal. */
export function verdict(step: Step, res: Response, events: Events): 'ok' | string {
  const result = judge(step, res.statusCode, res.body);
  if (result.kind === 'unexpected') throw new Error(`unexpected: ${result.reason}`);
  if (result.kind === 'ok') return 'ok';
  count(events, result.outcome);
  return result.outcome;
}

export const body = (res: Response) => JSON.parse(res.body) as Record<string, unknown>;
