// The real booking-api process (node booking-api/src/main.ts), killed with
// SIGKILL and started again on the same database and Redis prefix, and an HTTP
// client that behaves like a real one across the crash: a request that got no
// answer is retried with the same Idempotency-Key once the service is back.
import {
  type ServiceProcess,
  spawnService,
  waitForListening,
} from '../../../infra/testing/service-process.ts';
import { pause } from '../bookings/support.ts';

export interface Answer {
  status: number;
  body: Record<string, unknown>;
}

export class CrashableService {
  readonly #env: Record<string, string>;
  #current: ServiceProcess | undefined;
  #url: string | null = null;
  /** How each process ended: 'SIGKILL' for the killed ones. */
  readonly exits: Array<number | string> = [];
  /** Requests that got no answer because the process died under them (or was down). */
  networkErrors = 0;
  #inFlight = 0;

  constructor(env: Record<string, string>) {
    this.#env = env;
  }

  get running(): boolean {
    return this.#url !== null;
  }

  async start(): Promise<void> {
    const service = spawnService('booking-api', this.#env);
    this.#current = service;
    this.#url = await waitForListening(service, 30_000);
  }

  /**
   * SIGKILL: no shutdown step runs, nothing is flushed, in-flight requests are cut. With
   * `busy`, waits (up to a second) for a moment when requests are being served.
   */
  async kill(options: { busy?: number } = {}): Promise<void> {
    const service = this.#current;
    if (!service) throw new Error('no service to kill');
    for (let i = 0; i < 200 && this.#inFlight < (options.busy ?? 0); i++) await pause(5)();
    this.#url = null;
    this.#current = undefined;
    service.child.kill('SIGKILL');
    this.exits.push(await service.exited);
  }

  async stop(): Promise<void> {
    const service = this.#current;
    if (!service) return;
    this.#url = null;
    this.#current = undefined;
    service.child.kill('SIGTERM');
    this.exits.push(await service.exited);
  }

  /** The service's error and warning log lines so far (for failure messages). */
  problems(): unknown[] {
    return (this.#current?.logLines() ?? []).filter((line) => Number(line.level) >= 40);
  }

  /**
   * Sends a request; a request that got no answer (the process died, or was being
   * restarted) is sent again unchanged, as a client retries after a timeout. 503s
   * with Retry-After are retried too.
   */
  async call(
    method: string,
    path: string,
    token: string | null,
    body?: unknown,
    headers: Record<string, string> = {},
  ): Promise<Answer> {
    // Restarts take seconds on a loaded machine; a minute without any answer is a failure.
    const deadline = Date.now() + 60_000;
    while (Date.now() < deadline) {
      const url = this.#url;
      if (url === null) {
        await pause(25)();
        continue;
      }
      let answer: Answer;
      this.#inFlight++;
      try {
        const response = await fetch(`${url}${path}`, {
          method,
          headers: {
            ...(token ? { authorization: `Bearer ${token}` } : {}),
            ...(body === undefined ? {} : { 'content-type': 'application/json' }),
            ...headers,
          },
          ...(body === undefined ? {} : { body: JSON.stringify(body) }),
          signal: AbortSignal.timeout(10_000),
        });
        const text = await response.text();
        answer = {
          status: response.status,
          body: text ? (JSON.parse(text) as Record<string, unknown>) : {},
        };
      } catch {
        this.networkErrors++;
        await pause(25)();
        continue;
      } finally {
        this.#inFlight--;
      }
      if (answer.status === 503) {
        await pause(100)();
        continue;
      }
      return answer;
    }
    throw new Error(`${method} ${path}: no answer for a minute`);
  }
}
