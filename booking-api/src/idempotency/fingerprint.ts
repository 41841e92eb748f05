// The request fingerprint stored with a key: sha256 over method, path (with
// query) and the body's canonical bytes. JSON bodies are canonicalized (keys
// sorted, no insignificant whitespace), so a client that re-serializes the same
// request on retry still matches; any other body is hashed as sent.
import { createHash } from 'node:crypto';

const utf8 = new TextDecoder('utf-8', { fatal: true });

function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const record = value as Record<string, unknown>;
    // Written out rather than rebuilt as an object, so a "__proto__" member stays data.
    const members = Object.keys(record)
      .sort()
      .map((key) => `${JSON.stringify(key)}:${canonicalJson(record[key])}`);
    return `{${members.join(',')}}`;
  }
  return JSON.stringify(value);
}

/** The body's canonical form: canonical JSON for a JSON body that parses, else the bytes as sent. */
export function canonicalBody(contentType: string | undefined, body: Uint8Array): Uint8Array {
  if (body.byteLength === 0 || !/\bjson\b/i.test(contentType ?? '')) return body;
  try {
    return new TextEncoder().encode(canonicalJson(JSON.parse(utf8.decode(body))));
  } catch {
    // Not UTF-8 JSON (or nested past the stack): the handler will refuse it; hash it as sent.
    return body;
  }
}

export function requestFingerprint(request: {
  method: string;
  path: string;
  contentType: string | undefined;
  body: Uint8Array;
}): string {
  return (
    createHash('sha256')
      // JSON-encoded, so no path can end where the body begins.
      .update(`${JSON.stringify([request.method, request.path])}\n`)
      .update(canonicalBody(request.contentType, request.body))
      .digest('hex')
  );
}
