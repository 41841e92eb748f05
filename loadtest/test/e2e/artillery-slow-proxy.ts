// A loopback proxy in front of one service that delays one endpoint and passes everything else
// straight through: a deliberately slowed booking step, with nothing else slower.
import { Agent, createServer, request } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface SlowProxy {
  url: string;
  /** Requests that were held back. */
  delayed: () => number;
  close: () => Promise<void>;
}

export async function startSlowProxy(
  target: string,
  slow: { method: string; path: string; delayMs: number },
): Promise<SlowProxy> {
  const upstream = new URL(target);
  const agent = new Agent({ keepAlive: true });
  let delayed = 0;
  const server = createServer((req, res) => {
    const hold = req.method === slow.method && req.url === slow.path;
    if (hold) delayed++;
    setTimeout(
      () => {
        const forward = request(
          {
            host: upstream.hostname,
            port: upstream.port,
            method: req.method,
            path: req.url,
            headers: req.headers,
            agent,
          },
          (answer) => {
            res.writeHead(answer.statusCode ?? 502, answer.headers);
            answer.pipe(res);
          },
        );
        forward.on('error', () => {
          res.writeHead(502).end();
        });
        req.pipe(forward);
      },
      hold ? slow.delayMs : 0,
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    delayed: () => delayed,
    close: () =>
      new Promise<void>((resolve) => {
        agent.destroy();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
