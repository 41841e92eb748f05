// A stand-in for the waiting room's /.well-known/jwks.json on loopback, so a
// booking-api started as a real process verifies tokens the test signs.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { SigningKeySet } from '@tatkal/waiting-room/tokens';

export interface JwksServer {
  url: string;
  /** Key-set requests answered so far, refused ones included. */
  requests(): number;
  close(): Promise<void>;
}

/** `refuseFirst`: answer that many key-set requests 503 first, as a waiting room still starting. */
export async function startJwksServer(
  jwks: SigningKeySet['jwks'],
  options: { refuseFirst?: number } = {},
): Promise<JwksServer> {
  const body = JSON.stringify(jwks);
  let requests = 0;
  const server = createServer((request, response) => {
    if (request.url !== '/.well-known/jwks.json') {
      response.writeHead(404).end();
      return;
    }
    requests++;
    if (requests <= (options.refuseFirst ?? 0)) {
      response.writeHead(503).end();
      return;
    }
    response.writeHead(200, { 'content-type': 'application/json' }).end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/.well-known/jwks.json`,
    requests: () => requests,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
