// A stand-in for the waiting room's /.well-known/jwks.json on loopback, so a
// booking-api started as a real process verifies tokens the test signs.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { SigningKeySet } from '@tatkal/waiting-room/tokens';

export interface JwksServer {
  url: string;
  close(): Promise<void>;
}

export async function startJwksServer(jwks: SigningKeySet['jwks']): Promise<JwksServer> {
  const body = JSON.stringify(jwks);
  const server = createServer((request, response) => {
    if (request.url !== '/.well-known/jwks.json') {
      response.writeHead(404).end();
      return;
    }
    response.writeHead(200, { 'content-type': 'application/json' }).end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/.well-known/jwks.json`,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
