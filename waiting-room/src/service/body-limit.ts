import type { MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { Problem } from './problem.ts';

const tooLarge = (maxBytes: number) =>
  new Problem({
    status: 413,
    code: 'body_too_large',
    title: 'Request body too large',
    detail: `Request bodies here are at most ${maxBytes} bytes.`,
  });

/**
 * Refuses bodies over `maxBytes` with 413. A declared Content-Length is judged
 * from the header alone (Node's parser holds the body to it), which avoids
 * wrapping the body in a stream on every request; chunked bodies are counted.
 */
export function limitBody(maxBytes: number): MiddlewareHandler {
  const counted = bodyLimit({
    maxSize: maxBytes,
    onError: () => {
      throw tooLarge(maxBytes);
    },
  });
  return async (c, next) => {
    const declared = c.req.header('content-length');
    if (declared !== undefined && /^[0-9]{1,15}$/.test(declared)) {
      if (Number(declared) > maxBytes) throw tooLarge(maxBytes);
      return next();
    }
    return counted(c, next);
  };
}
