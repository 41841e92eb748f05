// The CLI's side of the admin API: bearer token on every call, problem+json
// answers turned into one readable line.
import type { CliConfig } from './config.ts';
import { CommandFailed, UsageError } from './usage.ts';

export interface AdminClient {
  call<T = Record<string, unknown>>(method: string, path: string, body?: unknown): Promise<T>;
  stream(path: string, headers: Record<string, string>, signal: AbortSignal): Promise<Response>;
}

export function describeProblem(status: number, text: string): string {
  try {
    const problem = JSON.parse(text) as { title?: string; detail?: string; code?: string };
    const head = problem.title ?? `HTTP ${status}`;
    return `${head}${problem.detail ? `: ${problem.detail}` : ''} (${status}${problem.code ? ` ${problem.code}` : ''})`;
  } catch {
    return `HTTP ${status}${text ? `: ${text.slice(0, 200)}` : ''}`;
  }
}

export function createAdminClient(config: CliConfig): AdminClient {
  const token = config.TATKAL_ADMIN_TOKEN;
  if (!token)
    throw new UsageError('TATKAL_ADMIN_TOKEN is not set (make one with: tatkal tokens create)');
  const base = config.TATKAL_ADMIN_URL.replace(/\/+$/, '');
  const reach = async (path: string, init: RequestInit) => {
    try {
      return await fetch(`${base}${path}`, init);
    } catch (error) {
      if ((error as Error).name === 'AbortError') throw error;
      const reason = (error as { cause?: { code?: string; message?: string } }).cause;
      const cause = reason?.code ?? reason?.message;
      throw new CommandFailed(`cannot reach the admin API at ${base}${cause ? ` (${cause})` : ''}`);
    }
  };
  return {
    async call(method, path, body) {
      const headers: Record<string, string> = { authorization: `Bearer ${token}` };
      if (body !== undefined) headers['content-type'] = 'application/json';
      const response = await reach(path, {
        method,
        headers,
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
      const text = await response.text();
      if (!response.ok) throw new CommandFailed(describeProblem(response.status, text));
      return JSON.parse(text);
    },
    async stream(path, headers, signal) {
      const response = await reach(path, {
        headers: { authorization: `Bearer ${token}`, accept: 'text/event-stream', ...headers },
        signal,
      });
      if (!response.ok)
        throw new CommandFailed(describeProblem(response.status, await response.text()));
      return response;
    },
  };
}
