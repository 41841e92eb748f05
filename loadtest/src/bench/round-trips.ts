// How many Redis round trips one request really costs, counted with MONITOR
// rather than read from the code: the baseline server then does exactly as
// many. Commands run inside a Lua script are reported but are not round trips;
// background work (the state cache refresh, heartbeat flushes) is measured in
// an idle window of the same length and subtracted.
import { Redis } from 'ioredis';

export interface RoundTripCount {
  /** (commands in the busy window - commands in an idle window of equal length) / requests. */
  perRequest: number;
  requests: number;
  busyCommands: number;
  idleCommands: number;
  /** Commands the scripts ran inside Redis, per request (not round trips). */
  scriptCommandsPerRequest: number;
  /** Busy-window round trips by command name (EVALSHA/EVAL by script sha prefix). */
  byCommand: Record<string, number>;
}

interface Window {
  commands: number;
  scriptCommands: number;
  byCommand: Map<string, number>;
}

export async function countRoundTrips(
  redisUrl: string,
  keyPrefix: string,
  requests: number,
  send: () => Promise<unknown>,
): Promise<RoundTripCount> {
  const client = new Redis(redisUrl);
  const monitor = await client.monitor();
  let window: Window | null = null;
  monitor.on('monitor', (_time: string, args: string[], source: string) => {
    if (!window || !args.some((arg) => arg.includes(keyPrefix))) return;
    if (source.includes('lua')) {
      window.scriptCommands += 1;
      return;
    }
    window.commands += 1;
    const name = (args[0] ?? '?').toUpperCase();
    const label = name === 'EVALSHA' ? `EVALSHA ${(args[1] ?? '').slice(0, 8)}` : name;
    window.byCommand.set(label, (window.byCommand.get(label) ?? 0) + 1);
  });
  const open = (): Window => ({ commands: 0, scriptCommands: 0, byCommand: new Map() });
  // MONITOR lines arrive after the commands ran; let them drain before closing a window.
  const drain = () => new Promise((resolve) => setTimeout(resolve, 200));
  try {
    await drain();
    const busy = open();
    window = busy;
    const started = performance.now();
    for (let i = 0; i < requests; i += 1) await send();
    const elapsedMs = performance.now() - started;
    await drain();
    const idle = open();
    window = idle;
    await new Promise((resolve) => setTimeout(resolve, elapsedMs));
    await drain();
    window = null;
    return {
      perRequest: Math.round(((busy.commands - idle.commands) / requests) * 100) / 100,
      requests,
      busyCommands: busy.commands,
      idleCommands: idle.commands,
      scriptCommandsPerRequest: Math.round((busy.scriptCommands / requests) * 100) / 100,
      byCommand: Object.fromEntries(busy.byCommand),
    };
  } finally {
    monitor.disconnect();
    client.disconnect();
  }
}
