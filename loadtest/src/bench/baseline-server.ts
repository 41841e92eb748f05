// Child process: the floor the waiting room is measured against. A bare hono
// app on @hono/node-server, same Node, own process, answering the same
// requests the load generator sends to the real service:
//   POST /join    reads the JSON request body (as any POST endpoint must),
//                 makes the same number of sequential Redis round trips as a
//                 real join (trivial commands: INCR, then HSET, alternating)
//                 and answers the real join's response document;
//   GET  /status  no Redis at all, the real status response document.
// Configured by environment: HOST, PORT, REDIS_URL, BASELINE_KEY_PREFIX,
// JOIN_ROUND_TRIPS, JOIN_BODY, STATUS_BODY (JSON documents).
import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import { Hono } from 'hono';
import { Redis } from 'ioredis';

const env = process.env;
const roundTrips = Number(env.JOIN_ROUND_TRIPS ?? '1');
const joinBody = JSON.parse(env.JOIN_BODY ?? '{}') as Record<string, unknown>;
const statusBody = JSON.parse(env.STATUS_BODY ?? '{}') as Record<string, unknown>;
const counterKey = `${env.BASELINE_KEY_PREFIX ?? 'bench-baseline'}:baseline:joins`;
const hashKey = `${env.BASELINE_KEY_PREFIX ?? 'bench-baseline'}:baseline:last`;
const redis = new Redis(env.REDIS_URL ?? 'redis://127.0.0.1:6379');

const app = new Hono();

app.post('/join', async (c) => {
  await c.req.json();
  let number = 0;
  for (let trip = 0; trip < roundTrips; trip += 1) {
    if (trip % 2 === 0) number = await redis.incr(counterKey);
    else await redis.hset(hashKey, 'number', number);
  }
  return c.json({ ...joinBody, number }, 201);
});

app.get('/status', (c) => c.json(statusBody, 200));

const server = serve(
  { fetch: app.fetch, hostname: env.HOST ?? '127.0.0.1', port: Number(env.PORT ?? '0') },
  (info: AddressInfo) => {
    process.stdout.write(`${JSON.stringify({ listening: info.port })}\n`);
  },
);

const stop = () => {
  server.close();
  redis.disconnect();
  process.exit(0);
};
process.once('SIGTERM', stop);
process.once('SIGINT', stop);
// Never outlive the bench by long.
setTimeout(stop, Number(env.BASELINE_MAX_S ?? '1800') * 1000).unref();
