// Opens a few streams and closes them once they have their first event, so
// the fresh process has loaded and compiled the SSE path before its memory
// is read.
import { request } from 'node:http';

function firstEvent(url: string, ticket: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      {
        agent: false,
        headers: { accept: 'text/event-stream', 'x-queue-ticket': ticket },
        timeout: 10_000,
      },
      (res) => {
        if (res.statusCode !== 200) {
          res.resume();
          reject(new Error(`events answered ${res.statusCode}`));
          return;
        }
        res.once('data', () => {
          req.destroy();
          resolve();
        });
      },
    );
    req.on('timeout', () => req.destroy(new Error('no first event in 10 s')));
    req.on('error', reject);
    req.end();
  });
}

export async function warmUpStreams(
  baseUrl: string,
  roomId: string,
  tickets: readonly string[],
): Promise<void> {
  const url = `${baseUrl}/v1/rooms/${roomId}/events`;
  for (let round = 0; round < 3; round += 1) {
    await Promise.all(tickets.map((ticket) => firstEvent(url, ticket)));
  }
  await new Promise((resolve) => setTimeout(resolve, 2_000));
}
