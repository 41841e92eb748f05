// Child process: opens one Server-Sent Events connection per ticket in a file
// (raw node:http, X-Queue-Ticket header), counts the `status` events each one
// receives, and answers the parent over IPC. Configured by argv[2] (JSON).
import { readFileSync } from 'node:fs';
import { type ClientRequest, request } from 'node:http';
import {
  type SseClientConfig,
  type SseClientMessage,
  type SseClientReport,
  SseEventParser,
} from './sse-protocol.ts';

const config = JSON.parse(process.argv[2] ?? '{}') as SseClientConfig;
const tickets = readFileSync(config.ticketsFile, 'utf8')
  .split('\n')
  .filter((line) => line.length > 0);
const count = tickets.length;

const statusEvents = new Uint32Array(count);
/** Epoch ms of the latest status event, per connection. */
const lastStatusAt = new Float64Array(count);
const closedByServer = new Uint8Array(count);
const requests: Array<ClientRequest | undefined> = new Array(count);
const samples = new Map<
  number,
  { firstPosition: number | null; lastPosition: number | null; lastStanding: string | null }
>();
const errors: Record<string, number> = {};
let opened = 0;
let failed = 0;
let closing = false;

function fail(index: number, reason: string): void {
  if (closing) return;
  failed += 1;
  errors[reason] = (errors[reason] ?? 0) + 1;
  requests[index] = undefined;
}

function connect(index: number, done: () => void): void {
  const ticket = tickets[index] ?? '';
  const parser = new SseEventParser();
  const sampled = index % config.sampleEvery === 0;
  if (sampled) samples.set(index, { firstPosition: null, lastPosition: null, lastStanding: null });
  let settled = false;
  const settle = () => {
    if (settled) return;
    settled = true;
    done();
  };
  const req = request(
    {
      host: config.host,
      port: config.port,
      path: config.path,
      method: 'GET',
      agent: false,
      ...(config.localAddress ? { localAddress: config.localAddress } : {}),
      headers: { accept: 'text/event-stream', 'x-queue-ticket': ticket },
    },
    (res) => {
      if (res.statusCode !== 200) {
        fail(index, `http ${res.statusCode}`);
        res.resume();
        settle();
        return;
      }
      opened += 1;
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        for (const event of parser.push(chunk)) {
          if (event.event !== 'status') continue;
          statusEvents[index] = (statusEvents[index] ?? 0) + 1;
          lastStatusAt[index] = Date.now();
          const sample = samples.get(index);
          if (sample) {
            const data = JSON.parse(event.data) as { position?: number | null; standing?: string };
            if (sample.firstPosition === null) sample.firstPosition = data.position ?? null;
            sample.lastPosition = data.position ?? null;
            sample.lastStanding = data.standing ?? null;
          }
          settle();
        }
      });
      res.on('error', () => undefined);
      // 'close' follows both a clean end and a reset: either way the stream is gone.
      res.on('close', () => {
        if (!closing) closedByServer[index] = 1;
        settle();
      });
    },
  );
  req.on('error', (error: NodeJS.ErrnoException) => {
    fail(index, error.code ?? error.message);
    settle();
  });
  req.end();
  requests[index] = req;
}

/** Opens every connection, at most `concurrency` still waiting for their first event. */
function openAll(): void {
  let next = 0;
  let inFlight = 0;
  const pump = () => {
    while (!closing && inFlight < config.concurrency && next < count) {
      const index = next;
      next += 1;
      inFlight += 1;
      connect(index, () => {
        inFlight -= 1;
        setImmediate(pump);
      });
    }
  };
  pump();
}

function report(sinceMs: number): SseClientReport {
  let withFirst = 0;
  let withNewSince = 0;
  let open = 0;
  let serverClosed = 0;
  const delays: number[] = [];
  for (let i = 0; i < count; i += 1) {
    if ((statusEvents[i] ?? 0) > 0) withFirst += 1;
    if (closedByServer[i]) serverClosed += 1;
    else if (requests[i] && (statusEvents[i] ?? 0) > 0) open += 1;
    const at = lastStatusAt[i] ?? 0;
    if (sinceMs > 0 && at >= sinceMs) {
      withNewSince += 1;
      delays.push(at - sinceMs);
    }
  }
  delays.sort((a, b) => a - b);
  return {
    type: 'report',
    tickets: count,
    opened,
    failed,
    withFirst,
    open,
    closedByServer: serverClosed,
    withNewSince,
    newDelayP50Ms: delays[Math.floor(delays.length / 2)] ?? null,
    newDelayMaxMs: delays.at(-1) ?? null,
    errors,
    samples: [...samples.values()],
  };
}

process.on('message', (message: SseClientMessage) => {
  if (message.type === 'report') process.send?.(report(message.sinceMs));
  if (message.type === 'close') {
    closing = true;
    for (const req of requests) req?.destroy();
    setTimeout(() => process.exit(0), 200);
  }
});
process.on('disconnect', () => process.exit(0));
setTimeout(() => process.exit(3), config.maxS * 1000).unref();

openAll();
