// The stack a run sends its crowd at: instances of each service started from their real entry
// points (node <service>/src/main.ts), on the run's database and Redis prefix, on free
// loopback ports. The contrast run starts no admission worker, and its one waiting room only
// serves the public keys (JWKS) the booking API verifies tokens with: no visitor goes there.
import { fileURLToPath } from 'node:url';
import { admissionTokenType, readKeyFile } from '@tatkal/waiting-room';
import { freePort } from '../../../infra/testing/ports.ts';
import { type BenchChild, spawnChild } from '../bench/children.ts';
import type { Cleanup } from '../bench/cleanup.ts';
import { waitForHealthy } from '../bench/fixture.ts';
import type { SurgeOptions } from './options.ts';
import type { SurgeWorld } from './world.ts';

const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));

/** Enough for the SSE streams a waiting room holds (one descriptor each). */
const serviceNofile = 65_536;

export interface Stack {
  waitingRoomUrls: string[];
  bookingUrls: string[];
  workers: BenchChild[];
  children: BenchChild[];
}

async function startService(
  cleanup: Cleanup,
  name: 'waiting-room' | 'booking-api' | 'admission-worker',
  label: string,
  world: SurgeWorld,
  options: SurgeOptions,
  env: Record<string, string>,
): Promise<{ child: BenchChild; url: string }> {
  const port = await freePort();
  const child = spawnChild(cleanup, label, process.execPath, [`${repoRoot}${name}/src/main.ts`], {
    cwd: `${repoRoot}${name}`,
    nofile: serviceNofile,
    keepBytes: 200_000,
    env: {
      DATABASE_URL: world.databaseUrl,
      REDIS_URL: options.redisUrl,
      REDIS_KEY_PREFIX: world.prefix,
      HOST: '127.0.0.1',
      PORT: String(port),
      LOG_LEVEL: 'warn',
      ...env,
    },
  });
  const url = `http://127.0.0.1:${port}`;
  await waitForHealthy(url, child, 30_000);
  return { child, url };
}

export async function startStack(
  cleanup: Cleanup,
  world: SurgeWorld,
  options: SurgeOptions,
  mode: 'protected' | 'contrast',
): Promise<Stack> {
  const children: BenchChild[] = [];
  const waitingRoomUrls: string[] = [];
  const rooms = mode === 'protected' ? options.waitingRooms : 1;
  for (let i = 0; i < rooms; i++) {
    const started = await startService(
      cleanup,
      'waiting-room',
      `waiting-room-${i + 1}`,
      world,
      options,
      {
        QUEUE_TICKET_SECRET: world.ticketSecret,
        ADMISSION_KEYS_FILE: world.keyFile,
        // Every visitor comes from 127.0.0.1: the per-address join limit would refuse the crowd.
        JOIN_LIMIT_IP_BURST: '0',
        JOIN_LIMIT_VISITOR_BURST: '0',
        HEARTBEAT_FLUSH_MS: '2000',
        ROOM_CACHE_MS: '1000',
      },
    );
    children.push(started.child);
    waitingRoomUrls.push(started.url);
  }
  const bookingUrls: string[] = [];
  for (let i = 0; i < options.bookingApis; i++) {
    const started = await startService(
      cleanup,
      'booking-api',
      `booking-api-${i + 1}`,
      world,
      options,
      {
        ADMISSION_JWKS_URL: `${waitingRoomUrls[0]}/.well-known/jwks.json`,
        PAYMENT_WEBHOOK_SECRETS: randomSecret(world),
        PAYMENT_SIMULATOR_DELAY_MS: '200',
      },
    );
    children.push(started.child);
    bookingUrls.push(started.url);
  }
  for (const url of bookingUrls) await warmTokenKeys(url, world);
  const workers: BenchChild[] = [];
  if (mode === 'protected') {
    for (let i = 0; i < options.workers; i++) {
      const started = await startService(
        cleanup,
        'admission-worker',
        `admission-worker-${i + 1}`,
        world,
        options,
        {
          WORKER_ID: `surge-worker-${i + 1}`,
        },
      );
      children.push(started.child);
      workers.push(started.child);
    }
  }
  return {
    waitingRoomUrls: mode === 'protected' ? waitingRoomUrls : [],
    bookingUrls,
    workers,
    children,
  };
}

/** The payment webhook's secret: the simulator and the API are one process, any value works. */
function randomSecret(world: SurgeWorld): string {
  return `surge-webhook-${world.ticketSecret}`;
}

/**
 * Has a booking API load the waiting room's public keys (JWKS) before the opening, as one that
 * has been up all morning has: it fetches them on the first token it checks, and at the
 * opening the waiting room is busiest. The token sent has a valid header and a forged
 * signature, so it is refused (401) once the keys are in; it admits nobody.
 */
async function warmTokenKeys(bookingUrl: string, world: SurgeWorld): Promise<void> {
  const [key] = await readKeyFile(world.keyFile);
  if (!key) throw new Error(`no key in ${world.keyFile}`);
  const part = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
  const forged = `${part({ alg: 'EdDSA', kid: key.kid, typ: admissionTokenType })}.${part({})}.${Buffer.alloc(64).toString('base64url')}`;
  for (let attempt = 0; attempt < 20; attempt++) {
    const response = await fetch(`${bookingUrl}/v1/journeys/${world.journeyId}/availability`, {
      headers: { authorization: `Bearer ${forged}` },
      signal: AbortSignal.timeout(5_000),
    });
    const body = (await response.json().catch(() => ({}))) as { code?: string };
    if (response.status === 401 && body.code === 'token_bad_signature') return;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`${bookingUrl} did not load the admission keys`);
}
