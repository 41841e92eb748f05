// Real visitors made through the real join API: each join is a new visitor
// (no ticket presented), and its signed ticket is kept for status polls and
// SSE connections later.
import { Agent, request } from 'node:http';

export interface JoinedVisitor {
  ticket: string;
  number: number;
}

export interface HttpReply {
  status: number;
  body: string;
}

const agent = new Agent({ keepAlive: true, maxSockets: 64 });

export function httpRequest(
  url: string,
  options: { method: 'GET' | 'POST'; headers?: Record<string, string>; body?: string },
): Promise<HttpReply> {
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      { method: options.method, headers: options.headers, agent, timeout: 10_000 },
      (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => {
          body += chunk;
        });
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
        res.on('error', reject);
      },
    );
    req.on('timeout', () => req.destroy(new Error(`${options.method} ${url} timed out`)));
    req.on('error', reject);
    req.end(options.body);
  });
}

export const joinRequest = {
  method: 'POST' as const,
  headers: { 'content-type': 'application/json', accept: 'application/json' },
  body: '{}',
};

export function joinUrl(baseUrl: string, roomId: string): string {
  return `${baseUrl}/v1/rooms/${roomId}/join`;
}

export function statusUrl(baseUrl: string, roomId: string): string {
  return `${baseUrl}/v1/rooms/${roomId}/status`;
}

/** One new visitor through POST /v1/rooms/:room/join; the parsed response document. */
export async function joinOnce(baseUrl: string, roomId: string): Promise<Record<string, unknown>> {
  const reply = await httpRequest(joinUrl(baseUrl, roomId), joinRequest);
  if (reply.status !== 201)
    throw new Error(`join answered ${reply.status}: ${reply.body.slice(0, 500)}`);
  return JSON.parse(reply.body) as Record<string, unknown>;
}

export async function statusOnce(
  baseUrl: string,
  roomId: string,
  ticket: string,
): Promise<Record<string, unknown>> {
  const reply = await httpRequest(statusUrl(baseUrl, roomId), {
    method: 'GET',
    headers: { accept: 'application/json', 'x-queue-ticket': ticket },
  });
  if (reply.status !== 200)
    throw new Error(`status answered ${reply.status}: ${reply.body.slice(0, 500)}`);
  return JSON.parse(reply.body) as Record<string, unknown>;
}

/** `count` new visitors, `concurrency` joins in flight at a time. */
export async function joinVisitors(
  baseUrl: string,
  roomId: string,
  count: number,
  concurrency = 32,
): Promise<JoinedVisitor[]> {
  const joined: JoinedVisitor[] = new Array(count);
  let next = 0;
  const worker = async () => {
    while (next < count) {
      const index = next;
      next += 1;
      const body = await joinOnce(baseUrl, roomId);
      if (typeof body.ticket !== 'string' || typeof body.number !== 'number') {
        throw new Error(`join returned no ticket or number: ${JSON.stringify(body).slice(0, 300)}`);
      }
      joined[index] = { ticket: body.ticket, number: body.number };
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, count) }, worker));
  return joined;
}

export function closeVisitorAgent(): void {
  agent.destroy();
}
