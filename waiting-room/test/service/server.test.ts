import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import { startHttpServer } from '../../src/service/server.ts';

function slowApp(releaseAfterMs: number | 'never') {
  const app = new Hono();
  app.get('/slow', async (c) => {
    await new Promise((resolve) => {
      if (releaseAfterMs !== 'never') setTimeout(resolve, releaseAfterMs);
    });
    return c.text('done');
  });
  return app;
}

describe('HTTP server shutdown', () => {
  it('finishes in-flight requests and refuses new connections', async () => {
    const http = await startHttpServer(slowApp(300), '127.0.0.1', 0);
    const inFlight = fetch(`http://127.0.0.1:${http.port}/slow`);
    await new Promise((resolve) => setTimeout(resolve, 50));
    const closed = http.close(5_000);
    const response = await inFlight;
    expect(response.status).toBe(200);
    expect(await response.text()).toBe('done');
    expect(await closed).toBe(true);
    await expect(fetch(`http://127.0.0.1:${http.port}/slow`)).rejects.toThrow();
  });

  it('cuts requests that outlast the timeout and says so', async () => {
    const http = await startHttpServer(slowApp('never'), '127.0.0.1', 0);
    const inFlight = fetch(`http://127.0.0.1:${http.port}/slow`).catch((error: Error) => error);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(await http.close(200)).toBe(false);
    expect(await inFlight).toBeInstanceOf(Error);
  });
});
