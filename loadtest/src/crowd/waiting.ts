// A visitor in the waiting room: join, then wait on an SSE stream (falling back to polling if
// the stream ends) or poll the status as the server suggests (nextPollSeconds), until the
// status carries an admission token. Some visitors leave before their turn.
import { type ClientRequest, request } from 'node:http';
import { SseEventParser } from '../bench/sse/sse-protocol.ts';
import { jsonBody } from './http-client.ts';
import { attempt, type JourneyContext, pause } from './journey.ts';

export interface WaitingContext extends JourneyContext {
  /** Open SSE requests, destroyed when the crowd stops. */
  streams: Set<ClientRequest>;
  gauges: { waiting: number; sseOpen: number };
}

interface Admission {
  token: string;
}

function admissionOf(body: Record<string, unknown>): Admission | null {
  const admission = body.admission as { token?: unknown } | null | undefined;
  return admission && typeof admission.token === 'string' ? { token: admission.token } : null;
}

/** Joins the room; returns the ticket (and the admission if the join already carries one). */
export async function join(
  context: WaitingContext,
  n: number,
  base: string,
): Promise<{ ticket: string; admission: Admission | null } | null> {
  const { config, ledger } = context;
  ledger.joinSentMs[n] = Date.now();
  const joined = await attempt(context, 'join', {
    url: new URL(`/v1/rooms/${config.roomId}/join`, base),
    method: 'POST',
    headers: {},
    body: {},
  });
  if (joined.status !== 201 && joined.status !== 200) return null;
  ledger.joinDoneMs[n] = Date.now();
  ledger.bump('joined');
  const body = jsonBody(joined);
  ledger.number[n] = Number(body.number ?? 0);
  return { ticket: String(body.ticket), admission: admissionOf(body) };
}

/** Waits on one SSE stream: the admission, 'ended' (stream gone: poll instead) or 'left'. */
function waitOnStream(
  context: WaitingContext,
  base: string,
  ticket: string,
  leaveAt: number,
): Promise<Admission | 'ended' | 'left'> {
  const url = new URL(`/v1/rooms/${context.config.roomId}/events`, base);
  const startedAt = performance.now();
  return new Promise((resolve) => {
    let done = false;
    let firstEvent = true;
    let leaveTimer: NodeJS.Timeout | undefined;
    const finish = (result: Admission | 'ended' | 'left') => {
      if (done) return;
      done = true;
      clearTimeout(leaveTimer);
      context.streams.delete(req);
      req.destroy();
      resolve(result);
    };
    const req = request(
      {
        host: url.hostname,
        port: url.port,
        path: url.pathname,
        agent: false,
        headers: { accept: 'text/event-stream', 'x-queue-ticket': ticket },
      },
      (res) => {
        if (res.statusCode !== 200) {
          context.ledger.record('sse', {
            status: res.statusCode ?? 0,
            body: '',
            ms: performance.now() - startedAt,
            timedOut: false,
            retryAfterS: null,
          });
          res.resume();
          return finish('ended');
        }
        context.gauges.sseOpen++;
        const parser = new SseEventParser();
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => {
          for (const event of parser.push(chunk)) {
            if (event.event !== 'status') continue;
            if (firstEvent) {
              firstEvent = false;
              context.ledger.record('sse', {
                status: 200,
                body: '',
                ms: performance.now() - startedAt,
                timedOut: false,
                retryAfterS: null,
              });
            }
            const admission = admissionOf(JSON.parse(event.data) as Record<string, unknown>);
            if (admission) finish(admission);
          }
        });
        res.on('error', () => undefined);
        res.on('close', () => {
          context.gauges.sseOpen--;
          finish('ended');
        });
      },
    );
    req.on('error', (error: NodeJS.ErrnoException) => {
      if (!done) {
        context.ledger.record('sse', {
          status: 0,
          body: error.code ?? error.message,
          ms: performance.now() - startedAt,
          timedOut: false,
          retryAfterS: null,
        });
      }
      finish('ended');
    });
    req.end();
    context.streams.add(req);
    if (Number.isFinite(leaveAt)) {
      leaveTimer = setTimeout(() => finish('left'), Math.max(0, leaveAt - Date.now()));
    }
  });
}

/** Polls the status as told until admitted; null when the visitor left or gave up. */
async function waitByPolling(
  context: WaitingContext,
  n: number,
  base: string,
  ticket: string,
  leaveAt: number,
): Promise<Admission | null> {
  const hasLeft = () => Date.now() >= leaveAt;
  const leaveInMs = () => leaveAt - Date.now();
  let failures = 0;
  while (!hasLeft() && !context.isStopped()) {
    const status = await attempt(context, 'status', {
      url: new URL(`/v1/rooms/${context.config.roomId}/status`, base),
      method: 'GET',
      headers: { 'x-queue-ticket': ticket },
    });
    let waitS = 2;
    if (status.status === 200) {
      failures = 0;
      const body = jsonBody(status);
      const admission = admissionOf(body);
      if (admission) return admission;
      waitS = Math.min(30, Math.max(1, Number(body.nextPollSeconds) || 2));
    } else if (++failures >= 5) {
      context.ledger.setOutcome(n, 'gave_up');
      return null;
    }
    // One timer per wait (to the next poll, or to leaving if sooner): tens of thousands of
    // sleepers waking in short slices would cost the driver more than the polls. A stop ends
    // the process, so sleepers need not wake for it.
    await pause(Math.max(0, Math.min(waitS * 1000, leaveInMs())));
  }
  return null;
}

/** Join and wait; returns the admission token, or null (the outcome is then recorded). */
export async function waitForTurn(
  context: WaitingContext,
  n: number,
  usesSse: boolean,
  abandonAfterMs: number,
): Promise<string | null> {
  const { config, ledger } = context;
  const base = config.waitingRoomUrls[n % config.waitingRoomUrls.length] ?? '';
  const joined = await join(context, n, base);
  if (!joined) {
    ledger.setOutcome(n, 'join_failed');
    return null;
  }
  if (joined.admission) return joined.admission.token;
  const leaveAt = abandonAfterMs > 0 ? Date.now() + abandonAfterMs : Number.POSITIVE_INFINITY;
  const hasLeft = () => Date.now() >= leaveAt;
  context.gauges.waiting++;
  try {
    if (usesSse) {
      const streamed = await waitOnStream(context, base, joined.ticket, leaveAt);
      if (typeof streamed === 'object') return streamed.token;
      if (streamed === 'left') return leftOrStopped(context, n, hasLeft);
    }
    const polled = await waitByPolling(context, n, base, joined.ticket, leaveAt);
    if (polled) return polled.token;
    return ledger.outcomeOf(n) === 'gave_up' ? null : leftOrStopped(context, n, hasLeft);
  } finally {
    context.gauges.waiting--;
  }
}

function leftOrStopped(context: WaitingContext, n: number, hasLeft: () => boolean): null {
  context.ledger.setOutcome(n, hasLeft() ? 'abandoned' : 'still_waiting');
  return null;
}
