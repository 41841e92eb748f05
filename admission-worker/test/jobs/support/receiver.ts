// A local webhook receiver over a real socket: verifies every delivery's signature with the
// booking API's verifier (the one payment webhooks use) and records what arrived.
import { once } from 'node:events';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { signatureHeader, verifyWebhookSignature } from '@tatkal/booking-api/payments';

export const receiverSecret = 'notification-secret-for-tests-0123456789';

export interface Delivery {
  eventId: string;
  type: string;
  verified: boolean;
  body: Record<string, unknown>;
}

export interface Receiver {
  url: string;
  deliveries: Delivery[];
  /** Answers with this status (default 204); may delay first. */
  respond: (delivery: Delivery) => number | Promise<number>;
  close(): Promise<void>;
}

export async function startReceiver(
  secrets: readonly string[] = [receiverSecret],
): Promise<Receiver> {
  const receiver: Receiver = {
    url: '',
    deliveries: [],
    respond: () => 204,
    close: async () => {},
  };
  const handle = async (request: IncomingMessage, response: ServerResponse) => {
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    const raw = Buffer.concat(chunks).toString('utf8');
    const verification = verifyWebhookSignature({
      rawBody: raw,
      header: request.headers[signatureHeader] as string | undefined,
      secrets,
      nowSec: Date.now() / 1000,
    });
    const delivery: Delivery = {
      eventId: String(request.headers['tatkal-event-id'] ?? ''),
      type: String(request.headers['tatkal-event'] ?? ''),
      verified: verification.ok,
      body: JSON.parse(raw) as Record<string, unknown>,
    };
    receiver.deliveries.push(delivery);
    const status = verification.ok ? await receiver.respond(delivery) : 401;
    response.writeHead(status).end(status >= 400 ? `status ${status}` : '');
  };
  const server = createServer((request, response) => {
    handle(request, response).catch(() => response.writeHead(500).end());
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  receiver.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks/tatkal`;
  receiver.close = () =>
    new Promise((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
  return receiver;
}
