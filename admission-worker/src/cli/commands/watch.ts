// `tatkal watch ROOM`: one line per admission tick from the admin API's live
// view. Reconnects after a dropped connection (resuming after the last event
// it printed); stops on Ctrl-C or after --ticks lines.
import { parseArgs } from 'node:util';
import { decisionFromFields } from '../../admin/decision-feed.ts';
import type { AdminClient } from '../admin-client.ts';
import { tickLine } from '../format.ts';
import { CommandFailed, UsageError } from '../usage.ts';

const maxFailures = 5;

export async function watchCommand(client: AdminClient, args: string[]): Promise<void> {
  let parsed: ReturnType<typeof parseOptions>;
  try {
    parsed = parseOptions(args);
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  const { values, positionals } = parsed;
  const [room, ...extra] = positionals;
  if (!room || extra.length > 0)
    throw new UsageError('usage: tatkal watch ROOM [--ticks N] [--backlog N]');
  const ticks = wholeOption('ticks', values.ticks, 1);
  const backlog = wholeOption('backlog', values.backlog, 0) ?? 0;

  const stop = new AbortController();
  const onSignal = () => stop.abort();
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  let printed = 0;
  let lastId: string | null = null;
  let failures = 0;
  try {
    while (!stop.signal.aborted) {
      try {
        const headers: Record<string, string> = lastId ? { 'last-event-id': lastId } : {};
        const path = `/admin/rooms/${encodeURIComponent(room)}/events?backlog=${backlog}`;
        const response = await client.stream(path, headers, stop.signal);
        failures = 0;
        for await (const event of sseEvents(response)) {
          if (event.id) lastId = event.id;
          if (event.event === 'ready' && printed === 0) {
            process.stderr.write(`watching ${room} (Ctrl-C to stop)\n`);
          } else if (event.event === 'problem') {
            process.stderr.write(`live view problem: ${event.data}\n`);
          } else if (event.event === 'decision') {
            const record = decisionFromFields(['d', event.data]);
            if (!record) continue;
            process.stdout.write(`${tickLine(record)}\n`);
            printed++;
            if (ticks !== undefined && printed >= ticks) return;
          }
        }
      } catch (error) {
        if (stop.signal.aborted) return;
        // A refusal (bad token, unknown room) will not get better by retrying.
        if (error instanceof CommandFailed && lastId === null) throw error;
        if (++failures >= maxFailures)
          throw new CommandFailed(`live view lost: ${(error as Error).message}`);
      }
      if (stop.signal.aborted) return;
      process.stderr.write('connection lost; reconnecting…\n');
      await new Promise((resolve) => setTimeout(resolve, 1000));
    }
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    stop.abort();
  }
}

function parseOptions(args: string[]) {
  return parseArgs({
    args,
    options: { ticks: { type: 'string' }, backlog: { type: 'string' } },
    allowPositionals: true,
    strict: true,
  });
}

function wholeOption(flag: string, value: string | undefined, min: number): number | undefined {
  if (value === undefined) return undefined;
  if (!/^[0-9]{1,6}$/.test(value) || Number(value) < min) {
    throw new UsageError(`--${flag} must be a whole number of at least ${min}, got "${value}"`);
  }
  return Number(value);
}

interface SseEvent {
  event: string;
  id: string | null;
  data: string;
}

async function* sseEvents(response: Response): AsyncGenerator<SseEvent> {
  if (!response.body) return;
  const decoder = new TextDecoder();
  let buffer = '';
  for await (const chunk of response.body) {
    buffer += decoder.decode(chunk, { stream: true });
    for (let end = buffer.indexOf('\n\n'); end >= 0; end = buffer.indexOf('\n\n')) {
      const frame = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      const event: SseEvent = { event: 'message', id: null, data: '' };
      for (const line of frame.split('\n')) {
        if (line.startsWith(':')) continue;
        const colon = line.indexOf(':');
        const field = colon < 0 ? line : line.slice(0, colon);
        const value = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '');
        if (field === 'event') event.event = value;
        else if (field === 'id') event.id = value;
        else if (field === 'data') event.data += event.data ? `\n${value}` : value;
      }
      yield event;
    }
  }
}
