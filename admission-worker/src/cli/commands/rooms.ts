// `tatkal rooms ...` and `tatkal revoke`: each a call to the admin API.
import { type ParseArgsOptionsConfig, parseArgs } from 'node:util';
import type { AdminClient } from '../admin-client.ts';
import { table } from '../format.ts';
import { UsageError } from '../usage.ts';

interface RoomView {
  id: string;
  name: string;
  mode: string;
  status: string;
  state: string;
  draining: boolean;
  emergencyBrake: boolean;
  schedule: { prequeueOpensAt: string; saleOpensAt: string; closesAt: string };
  scope: { journeyId: number | null; classCodes: string[]; quotas: string[] };
  bounds: {
    minPerSecond: number;
    maxPerSecond: number;
    maxActiveSessions: number;
    latencyTargetMs: number;
  };
  sessionSeconds: number;
}

const print = (text: string): void => {
  process.stdout.write(`${text}\n`);
};
const roomPath = (room: string) => `/admin/rooms/${encodeURIComponent(room)}`;

function oneRoom(args: string[], command: string): string {
  const [room, ...rest] = args;
  if (!room || room.startsWith('-')) throw new UsageError(`tatkal rooms ${command} needs a ROOM`);
  if (rest.length > 0) throw new UsageError(`unexpected arguments: ${rest.join(' ')}`);
  return room;
}

function summary(room: RoomView): string {
  const flags = [room.emergencyBrake ? 'BRAKE ON' : '', room.draining ? 'draining' : ''].filter(
    Boolean,
  );
  return `${room.id}: ${room.state}${room.status !== room.state ? ` (set ${room.status})` : ''}${flags.length ? `, ${flags.join(', ')}` : ''}`;
}

function integer(flag: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  if (!/^-?[0-9]{1,12}$/.test(value))
    throw new UsageError(`--${flag} must be a whole number, got "${value}"`);
  return Number(value);
}

const list = (value: string | undefined) =>
  value
    ?.split(',')
    .map((item) => item.trim())
    .filter(Boolean);

function definedOnly<T extends Record<string, unknown>>(record: T): Partial<T> {
  return Object.fromEntries(
    Object.entries(record).filter(([, v]) => v !== undefined),
  ) as Partial<T>;
}

const settingOptions = {
  name: { type: 'string' },
  mode: { type: 'string' },
  'session-seconds': { type: 'string' },
  'prequeue-at': { type: 'string' },
  'opens-at': { type: 'string' },
  'closes-at': { type: 'string' },
} as const;

const boundOptions = {
  min: { type: 'string' },
  max: { type: 'string' },
  'max-active': { type: 'string' },
  'latency-target': { type: 'string' },
} as const;

function parse<const O extends ParseArgsOptionsConfig>(args: string[], options: O) {
  try {
    return parseArgs({ args, options, allowPositionals: true, strict: true });
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
}

export async function roomsCommand(client: AdminClient, args: string[]): Promise<void> {
  const [sub, ...rest] = args;
  switch (sub) {
    case 'list': {
      const { values, positionals } = parse(rest, { json: { type: 'boolean' } });
      if (positionals.length > 0)
        throw new UsageError(`unexpected arguments: ${positionals.join(' ')}`);
      const { rooms } = await client.call<{ rooms: RoomView[] }>('GET', '/admin/rooms');
      if (values.json) return print(JSON.stringify(rooms, null, 2));
      return print(
        table(
          [
            'ROOM',
            'STATE',
            'BRAKE',
            'DRAIN',
            'MIN/S',
            'MAX/S',
            'MAX ACTIVE',
            'TARGET',
            'SALE OPENS',
            'NAME',
          ],
          rooms.map((room) => [
            room.id,
            room.state,
            room.emergencyBrake ? 'ON' : 'off',
            room.draining ? 'yes' : 'no',
            String(room.bounds.minPerSecond),
            String(room.bounds.maxPerSecond),
            String(room.bounds.maxActiveSessions),
            `${room.bounds.latencyTargetMs}ms`,
            room.schedule.saleOpensAt,
            room.name,
          ]),
        ),
      );
    }
    case 'show': {
      const { values, positionals } = parse(rest, { json: { type: 'boolean' } });
      const room = oneRoom(positionals, 'show');
      const live = await client.call<{
        room: RoomView;
        queue: {
          waiting: number;
          servedUpTo: number;
          lastNumber: number;
          admittedTotal: number;
          skippedTotal: number;
        };
        tokensRevokedBefore: string | null;
        decisions: Array<{
          atMs: number;
          decision: { rule: string; admit: number; reason: string };
        }>;
      }>('GET', roomPath(room));
      if (values.json) return print(JSON.stringify(live, null, 2));
      const r = live.room;
      const latest = live.decisions.at(-1);
      return print(
        [
          `${r.name} (${r.id})`,
          `  state            ${r.state} (operator status ${r.status})${r.draining ? ', draining' : ''}`,
          `  emergency brake  ${r.emergencyBrake ? 'ON' : 'off'}`,
          `  mode             ${r.mode}`,
          `  schedule         pre-queue ${r.schedule.prequeueOpensAt}, sale ${r.schedule.saleOpensAt}, closes ${r.schedule.closesAt}`,
          `  scope            journey ${r.scope.journeyId ?? 'any'}, classes ${r.scope.classCodes.join(',')}, quotas ${r.scope.quotas.join(',')}`,
          `  session          ${r.sessionSeconds}s`,
          `  bounds           ${r.bounds.minPerSecond}-${r.bounds.maxPerSecond}/s, max active ${r.bounds.maxActiveSessions}, latency target ${r.bounds.latencyTargetMs}ms`,
          `  queue            ${live.queue.waiting} waiting, served up to ${live.queue.servedUpTo} of ${live.queue.lastNumber}, admitted ${live.queue.admittedTotal}, skipped ${live.queue.skippedTotal}`,
          `  tokens revoked   ${live.tokensRevokedBefore ?? 'never'}`,
          `  latest decision  ${latest ? `${new Date(latest.atMs).toISOString()} ${latest.decision.rule}: admit ${latest.decision.admit} — ${latest.decision.reason}` : 'none yet'}`,
        ].join('\n'),
      );
    }
    case 'open':
    case 'pause':
    case 'resume':
    case 'close': {
      const room = oneRoom(rest, sub);
      return print(summary(await client.call<RoomView>('POST', `${roomPath(room)}/${sub}`)));
    }
    case 'drain': {
      const [room, toggle, ...extra] = rest;
      if (
        !room ||
        extra.length > 0 ||
        (toggle !== undefined && toggle !== 'on' && toggle !== 'off')
      ) {
        throw new UsageError('usage: tatkal rooms drain ROOM [on|off]');
      }
      const method = toggle === 'off' ? 'DELETE' : 'POST';
      return print(summary(await client.call<RoomView>(method, `${roomPath(room)}/drain`)));
    }
    case 'brake': {
      const [room, toggle, ...extra] = rest;
      if (!room || extra.length > 0 || (toggle !== 'on' && toggle !== 'off')) {
        throw new UsageError('usage: tatkal rooms brake ROOM on|off');
      }
      const body = { on: toggle === 'on' };
      return print(summary(await client.call<RoomView>('PUT', `${roomPath(room)}/brake`, body)));
    }
    case 'set':
      return setRoom(client, rest);
    case 'create':
      return createRoom(client, rest);
    case 'revoke':
      return revokeCommand(client, rest);
    default:
      throw new UsageError(sub ? `unknown rooms command "${sub}"` : 'tatkal rooms needs a command');
  }
}

async function setRoom(client: AdminClient, args: string[]): Promise<void> {
  const { values, positionals } = parse(args, { ...boundOptions, ...settingOptions });
  const room = oneRoom(positionals, 'set');
  const bounds = definedOnly({
    minPerSecond: integer('min', values.min),
    maxPerSecond: integer('max', values.max),
    maxActiveSessions: integer('max-active', values['max-active']),
    latencyTargetMs: integer('latency-target', values['latency-target']),
  });
  const schedule = definedOnly({
    prequeueOpensAt: values['prequeue-at'],
    saleOpensAt: values['opens-at'],
    closesAt: values['closes-at'],
  });
  const settings = definedOnly({
    name: values.name,
    mode: values.mode,
    sessionSeconds: integer('session-seconds', values['session-seconds']),
    ...(Object.keys(schedule).length > 0 ? { schedule } : {}),
  });
  if (Object.keys(bounds).length === 0 && Object.keys(settings).length === 0) {
    throw new UsageError('tatkal rooms set needs at least one setting (see --help)');
  }
  let view: RoomView | undefined;
  if (Object.keys(settings).length > 0)
    view = await client.call<RoomView>('PATCH', roomPath(room), settings);
  if (Object.keys(bounds).length > 0) {
    view = await client.call<RoomView>('PATCH', `${roomPath(room)}/bounds`, bounds);
  }
  if (!view) return;
  const b = view.bounds;
  print(
    `${summary(view)}; bounds ${b.minPerSecond}-${b.maxPerSecond}/s, max active ${b.maxActiveSessions}, latency target ${b.latencyTargetMs}ms`,
  );
}

async function createRoom(client: AdminClient, args: string[]): Promise<void> {
  const { values, positionals } = parse(args, {
    ...settingOptions,
    ...boundOptions,
    classes: { type: 'string' },
    quotas: { type: 'string' },
    journey: { type: 'string' },
  });
  const room = oneRoom(positionals, 'create');
  for (const required of [
    'name',
    'classes',
    'quotas',
    'prequeue-at',
    'opens-at',
    'closes-at',
  ] as const) {
    if (values[required] === undefined)
      throw new UsageError(`tatkal rooms create needs --${required}`);
  }
  const journey =
    values.journey === undefined || values.journey === 'none'
      ? null
      : integer('journey', values.journey);
  const bounds = definedOnly({
    minPerSecond: integer('min', values.min),
    maxPerSecond: integer('max', values.max),
    maxActiveSessions: integer('max-active', values['max-active']),
    latencyTargetMs: integer('latency-target', values['latency-target']),
  });
  const body = definedOnly({
    id: room,
    name: values.name,
    scope: {
      journeyId: journey ?? null,
      classCodes: list(values.classes),
      quotas: list(values.quotas),
    },
    schedule: {
      prequeueOpensAt: values['prequeue-at'],
      saleOpensAt: values['opens-at'],
      closesAt: values['closes-at'],
    },
    mode: values.mode,
    sessionSeconds: integer('session-seconds', values['session-seconds']),
    ...(Object.keys(bounds).length > 0 ? { bounds } : {}),
  });
  print(`created ${summary(await client.call<RoomView>('POST', '/admin/rooms', body))}`);
}

export async function revokeCommand(client: AdminClient, args: string[]): Promise<void> {
  const room = oneRoom(args, 'revoke');
  const result = await client.call<{ room: string; revokedBefore: string }>(
    'POST',
    `${roomPath(room)}/revoke-tokens`,
  );
  print(`${result.room}: admission tokens issued up to ${result.revokedBefore} are revoked`);
}

export async function auditCommand(client: AdminClient, args: string[]): Promise<void> {
  const { values, positionals } = parse(args, {
    room: { type: 'string' },
    limit: { type: 'string' },
  });
  if (positionals.length > 0)
    throw new UsageError(`unexpected arguments: ${positionals.join(' ')}`);
  const query = new URLSearchParams(
    definedOnly({
      room: values.room,
      limit: values.limit === undefined ? undefined : String(integer('limit', values.limit)),
    }) as Record<string, string>,
  );
  const { entries } = await client.call<{
    entries: Array<{
      at: string;
      actor: string;
      role: string;
      action: string;
      room: string | null;
      details: unknown;
    }>;
  }>('GET', `/admin/audit${query.size > 0 ? `?${query}` : ''}`);
  print(
    table(
      ['AT', 'WHO', 'ROLE', 'ACTION', 'ROOM', 'DETAILS'],
      entries.map((e) => [
        e.at,
        e.actor,
        e.role,
        e.action,
        e.room ?? '-',
        JSON.stringify(e.details),
      ]),
    ),
  );
}

export async function whoamiCommand(client: AdminClient, args: string[]): Promise<void> {
  if (args.length > 0) throw new UsageError(`unexpected arguments: ${args.join(' ')}`);
  const me = await client.call<{ name: string; role: string }>('GET', '/admin/whoami');
  print(`${me.name} (${me.role})`);
}
