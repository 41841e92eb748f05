// The crowd driver: one process holding the whole crowd. Visitors arrive on the plan's schedule
// from the opening on; in the protected mode each joins the waiting room and waits (SSE or
// polls), in the contrast mode each already holds a minted admission token; then each books.
// Loopback only, bounded in count and time: it stops on the parent's "stop" message or its own
// budget, writes its results file and prints one JSON line per second and a last "done" line.
//
//   node loadtest/src/crowd/main.ts <config.json>
import { readFileSync, writeFileSync } from 'node:fs';
import type { Agent, ClientRequest } from 'node:http';
import { keepAliveAgent } from './http-client.ts';
import { bookingJourney, pause } from './journey.ts';
import { CrowdLedger } from './ledger.ts';
import { type CrowdConfig, crowdPlan } from './plan.ts';
import { crowdResults, type GaugeSample } from './results.ts';
import { type WaitingContext, waitForTurn } from './waiting.ts';

const config = JSON.parse(readFileSync(process.argv[2] ?? '', 'utf8')) as CrowdConfig;
for (const url of [...config.waitingRoomUrls, ...config.bookingUrls]) {
  const host = new URL(url).hostname;
  if (host !== '127.0.0.1' && host !== 'localhost') {
    throw new Error(`the crowd only runs against loopback services, not ${url}`);
  }
}
const tokens =
  config.mode === 'contrast'
    ? readFileSync(config.tokensFile ?? '', 'utf8')
        .split('\n')
        .filter(Boolean)
    : [];
if (config.mode === 'contrast' && tokens.length < config.visitors) {
  throw new Error(`${tokens.length} tokens for ${config.visitors} visitors`);
}

const plan = crowdPlan(config);
const ledger = new CrowdLedger(config.visitors, config.releaseAtMs);
const agents = new Map<string, Agent>();
for (const url of [...config.waitingRoomUrls, ...config.bookingUrls]) {
  agents.set(new URL(url).origin, keepAliveAgent(config.maxSockets));
}
let stopped = false;
const streams = new Set<ClientRequest>();
const gauges = { waiting: 0, sseOpen: 0, inJourney: 0 };
const context: WaitingContext = {
  config,
  ledger,
  agents,
  streams,
  gauges,
  isStopped: () => stopped,
};
const gaugeSeries: GaugeSample[] = [];

async function visit(n: number): Promise<void> {
  ledger.bump('arrivals');
  let token: string | null;
  if (config.mode === 'contrast') {
    // No queue: the visitor is "in" the moment it arrives.
    ledger.joinSentMs[n] = Date.now();
    ledger.joinDoneMs[n] = ledger.joinSentMs[n] ?? 0;
    ledger.number[n] = n + 1;
    token = tokens[n] ?? null;
  } else {
    token = await waitForTurn(context, n, plan.usesSse[n] === 1, plan.abandonAfterMs[n] ?? 0);
  }
  if (!token || stopped) return;
  ledger.admittedSeenMs[n] = Date.now();
  ledger.bump('admitted');
  gauges.inJourney++;
  try {
    await bookingJourney(context, n, token);
  } finally {
    gauges.inJourney--;
  }
}

function report(line: Record<string, unknown>): void {
  process.stdout.write(`${JSON.stringify(line)}\n`);
}

let next = 0;
async function release(): Promise<void> {
  while (next < config.visitors && !stopped) {
    const due = config.releaseAtMs + (plan.arrivalMs[next] ?? 0);
    const wait = due - Date.now();
    if (wait > 2) {
      await pause(Math.min(wait, 200));
      continue;
    }
    const n = next++;
    visit(n).catch((error: unknown) => {
      ledger.setOutcome(n, 'gave_up');
      process.stderr.write(`visitor ${n}: ${String(error)}\n`);
    });
  }
}

function finish(reason: string): void {
  if (stopped) return;
  stopped = true;
  clearInterval(ticker);
  clearTimeout(budget);
  for (const stream of streams) stream.destroy();
  for (const agent of agents.values()) agent.destroy();
  for (let n = 0; n < config.visitors; n++) {
    if (ledger.outcomeOf(n) !== 'pending') continue;
    if (n >= next) ledger.setOutcome(n, 'not_arrived');
    else if (ledger.admittedSeenMs[n] === 0) ledger.setOutcome(n, 'still_waiting');
  }
  const results = crowdResults(
    ledger,
    { mode: config.mode, stoppedAtMs: Date.now(), stopReason: reason },
    gaugeSeries,
  );
  writeFileSync(config.resultsFile, JSON.stringify(results));
  report({ type: 'done', reason, outcomes: results.outcomes });
  process.exit(0);
}

const ticker = setInterval(() => {
  const second = Math.floor((Date.now() - config.releaseAtMs) / 1000);
  if (second < 0) return;
  const sample = { second, ...gauges };
  gaugeSeries.push(sample);
  report({ type: 'second', arrived: next, ...sample });
}, 1000);
const budget = setTimeout(() => finish('budget'), config.budgetS * 1000);
process.on('message', (message) => {
  if (message === 'stop') finish('stopped');
});
process.on('SIGTERM', () => finish('terminated'));

report({ type: 'ready', visitors: config.visitors, releaseAtMs: config.releaseAtMs });
await release();
