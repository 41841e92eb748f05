// One request of the crowd over node:http with a shared keep-alive agent: small per call,
// bounded in time, and never throwing (a timeout or a reset is an answer the ledger counts).
import { Agent, request } from 'node:http';

export interface Answer {
  /** HTTP status, or 0 when no answer came (timeout, refused, reset). */
  status: number;
  body: string;
  ms: number;
  timedOut: boolean;
  /** Seconds from Retry-After, when the server sent one. */
  retryAfterS: number | null;
}

export function keepAliveAgent(maxSockets: number): Agent {
  return new Agent({ keepAlive: true, maxSockets, maxFreeSockets: maxSockets, scheduling: 'lifo' });
}

export interface CallInput {
  agent: Agent;
  url: URL;
  method: 'GET' | 'POST';
  headers: Record<string, string>;
  body?: unknown;
  timeoutMs: number;
}

export function call(input: CallInput): Promise<Answer> {
  const startedAt = performance.now();
  const payload = input.body === undefined ? undefined : JSON.stringify(input.body);
  const headers: Record<string, string> = { accept: 'application/json', ...input.headers };
  if (payload !== undefined) {
    headers['content-type'] = 'application/json';
    headers['content-length'] = String(Buffer.byteLength(payload));
  }
  return new Promise((resolve) => {
    let settled = false;
    const settle = (answer: Omit<Answer, 'ms'>) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve({ ...answer, ms: performance.now() - startedAt });
    };
    const req = request(
      {
        agent: input.agent,
        host: input.url.hostname,
        port: input.url.port,
        path: `${input.url.pathname}${input.url.search}`,
        method: input.method,
        headers,
      },
      (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => {
          body += chunk;
        });
        res.on('end', () => {
          const retryAfter = Number(res.headers['retry-after']);
          settle({
            status: res.statusCode ?? 0,
            body,
            timedOut: false,
            retryAfterS: Number.isFinite(retryAfter) && retryAfter > 0 ? retryAfter : null,
          });
        });
        res.on('error', () =>
          settle({ status: 0, body: 'response error', timedOut: false, retryAfterS: null }),
        );
      },
    );
    const timer = setTimeout(() => {
      settle({ status: 0, body: 'timeout', timedOut: true, retryAfterS: null });
      req.destroy();
    }, input.timeoutMs);
    req.on('error', (error: NodeJS.ErrnoException) =>
      settle({ status: 0, body: error.code ?? error.message, timedOut: false, retryAfterS: null }),
    );
    req.end(payload);
  });
}

/** The parsed JSON body, or an empty object when the body is not JSON. */
export function jsonBody(answer: Answer): Record<string, unknown> {
  try {
    const parsed: unknown = JSON.parse(answer.body);
    return typeof parsed === 'object' && parsed !== null ? (parsed as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}
