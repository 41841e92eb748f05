// Child process: runs one autocannon measurement described by the LoadSpec in
// argv[2] and prints its summary as one JSON line. Its own process, so the
// load generator never shares an event loop with the bench or the server.
import { readFileSync } from 'node:fs';
import autocannon from 'autocannon';
import type { AutocannonSummary, LoadSpec } from './load-spec.ts';

const spec = JSON.parse(process.argv[2] ?? '{}') as LoadSpec;
const tickets = spec.ticketsFile
  ? readFileSync(spec.ticketsFile, 'utf8')
      .split('\n')
      .filter((line) => line.length > 0)
  : [];
let nextTicket = 0;

const options: autocannon.Options = {
  url: spec.url,
  method: spec.method,
  headers: spec.headers,
  connections: spec.connections,
  duration: spec.durationS,
  timeout: 10,
  ...(spec.body === undefined ? {} : { body: spec.body }),
};
if (tickets.length > 0) {
  options.requests = [
    {
      setupRequest: (request) => {
        nextTicket = (nextTicket + 1) % tickets.length;
        return {
          ...request,
          headers: { ...request.headers, 'x-queue-ticket': tickets[nextTicket] ?? '' },
        };
      },
    },
  ];
}

// Never outlive the bench.
setTimeout(() => process.exit(3), (spec.durationS + 30) * 1000).unref();

const result = await autocannon(options);
const summary: AutocannonSummary = {
  duration: result.duration,
  errors: result.errors,
  timeouts: result.timeouts,
  non2xx: result.non2xx,
  '2xx': result['2xx'],
  latency: { p50: result.latency.p50, p99: result.latency.p99 },
};
process.stdout.write(`${JSON.stringify({ autocannon: summary })}\n`);
