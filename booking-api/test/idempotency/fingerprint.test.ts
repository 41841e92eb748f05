// The request fingerprint: equal for the same JSON however it is serialized,
// different for any change that matters.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { canonicalBody, isStoredStatus, requestFingerprint } from '../../src/idempotency/index.ts';
import { seededRandom } from '../../src/payments/index.ts';

const json = 'application/json';
const bytes = (text: string) => new TextEncoder().encode(text);
const fingerprint = (
  body: string,
  overrides: { method?: string; path?: string; contentType?: string } = {},
) =>
  requestFingerprint({
    method: 'POST',
    path: '/v1/bookings',
    contentType: json,
    body: bytes(body),
    ...overrides,
  });

/** JSON.stringify with object keys in a shuffled order and random whitespace. */
function reserialize(value: unknown, random: () => number): string {
  const space = () => (random() < 0.3 ? ' \n'.slice(0, 1 + Math.floor(random() * 2)) : '');
  if (Array.isArray(value))
    return `[${space()}${value.map((v) => reserialize(v, random)).join(`,${space()}`)}]`;
  if (value !== null && typeof value === 'object') {
    const keys = Object.keys(value).sort(() => random() - 0.5);
    const record = value as Record<string, unknown>;
    return `{${keys.map((k) => `${space()}${JSON.stringify(k)}${space()}:${reserialize(record[k], random)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

describe('requestFingerprint', () => {
  it('ignores key order and whitespace in JSON bodies (property)', () => {
    fc.assert(
      fc.property(fc.jsonValue(), fc.integer(), (value, seed) => {
        expect(fingerprint(reserialize(value, seededRandom(seed)))).toBe(
          fingerprint(JSON.stringify(value)),
        );
      }),
    );
  });

  it('changes with any value, the method, the path or the query', () => {
    const base = fingerprint('{"a":1,"b":[1,2]}');
    const variants = [
      fingerprint('{"a":2,"b":[1,2]}'),
      fingerprint('{"a":1,"b":[2,1]}'),
      fingerprint('{"a":1,"b":[1,2],"c":null}'),
      fingerprint('{"a":"1","b":[1,2]}'),
      fingerprint('{"a":1,"b":[1,2]}', { method: 'PUT' }),
      fingerprint('{"a":1,"b":[1,2]}', { path: '/v1/holds' }),
      fingerprint('{"a":1,"b":[1,2]}', { path: '/v1/bookings?x=1' }),
    ];
    expect(new Set([base, ...variants]).size).toBe(variants.length + 1);
  });

  it('cannot be fooled by moving bytes between the path and the body', () => {
    expect(fingerprint('x', { path: '/a\n', contentType: 'text/plain' })).not.toBe(
      fingerprint('\nx', { path: '/a', contentType: 'text/plain' }),
    );
  });

  it('keeps a "__proto__" member as data', () => {
    expect(fingerprint('{"__proto__":{"a":1}}')).not.toBe(fingerprint('{}'));
    expect(new TextDecoder().decode(canonicalBody(json, bytes('{"__proto__":{"a":1}}')))).toBe(
      '{"__proto__":{"a":1}}',
    );
  });

  it('hashes bodies that are not JSON, or not valid JSON, as sent', () => {
    for (const [contentType, body] of [
      ['text/plain', '{"b":1, "a":2}'],
      [json, '{"b":1, "a":'],
      [json, '\u00ff'],
    ] as const) {
      expect(new TextDecoder().decode(canonicalBody(contentType, bytes(body)))).toBe(body);
    }
    expect(canonicalBody(json, new Uint8Array([0xff, 0xfe]))).toEqual(new Uint8Array([0xff, 0xfe]));
  });

  it('canonicalizes problem+json and other JSON media types too', () => {
    expect(
      new TextDecoder().decode(
        canonicalBody('application/merge-patch+json', bytes('{"b":1,"a":2}')),
      ),
    ).toBe('{"a":2,"b":1}');
  });
});

describe('isStoredStatus', () => {
  it.each([
    [200, true],
    [201, true],
    [202, true],
    [400, false],
    [401, false],
    [403, false],
    [404, false],
    [413, false],
    [422, false],
    [409, false],
    [429, false],
    [500, false],
    [503, false],
  ])('%d → %s', (status, stored) => {
    expect(isStoredStatus(status)).toBe(stored);
  });
});
