// Webhook signatures: every way a header can be refused, each with its own
// code and status, and the ways a genuine one is accepted (rotation, several v1).
import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  signWebhook,
  type VerifyWebhookSignatureInput,
  verifyWebhookSignature,
} from '../../src/payments/index.ts';

const secret = 'whsec_current';
const oldSecret = 'whsec_previous';
const body = '{"id":"evt_1","type":"payment.succeeded","amountPaise":12345}';
const now = 1_780_000_000;
const v1 = (s: string, t: number, b: string = body) =>
  createHmac('sha256', s).update(`${t}.${b}`).digest('hex');

const verify = (overrides: Partial<VerifyWebhookSignatureInput>) =>
  verifyWebhookSignature({
    rawBody: body,
    header: signWebhook(secret, body, now),
    secrets: [secret],
    nowSec: now,
    ...overrides,
  });

describe('verifyWebhookSignature refuses', () => {
  const refused: Array<[string, Partial<VerifyWebhookSignatureInput>, string, number]> = [
    ['a missing header', { header: undefined }, 'webhook_signature_missing', 401],
    ['a null header', { header: null }, 'webhook_signature_missing', 401],
    ['an empty header', { header: '' }, 'webhook_signature_malformed', 400],
    ['no t=', { header: `v1=${v1(secret, now)}` }, 'webhook_signature_malformed', 400],
    ['no v1=', { header: `t=${now}` }, 'webhook_signature_malformed', 400],
    [
      't= twice',
      { header: `t=${now},t=${now},v1=${v1(secret, now)}` },
      'webhook_signature_malformed',
      400,
    ],
    [
      't= not a number',
      { header: `t=soon,v1=${v1(secret, now)}` },
      'webhook_signature_malformed',
      400,
    ],
    ['t= negative', { header: `t=-5,v1=${v1(secret, now)}` }, 'webhook_signature_malformed', 400],
    [
      't= in milliseconds overflow',
      { header: `t=${now}000000,v1=${v1(secret, now)}` },
      'webhook_signature_malformed',
      400,
    ],
    ['v1= short', { header: `t=${now},v1=abcd` }, 'webhook_signature_malformed', 400],
    [
      'v1= not hex',
      { header: `t=${now},v1=${'z'.repeat(64)}` },
      'webhook_signature_malformed',
      400,
    ],
    [
      'v1= in upper case',
      { header: `t=${now},v1=${v1(secret, now).toUpperCase()}` },
      'webhook_signature_malformed',
      400,
    ],
    [
      'an entry without =',
      { header: `t=${now},v1=${v1(secret, now)},junk` },
      'webhook_signature_malformed',
      400,
    ],
    [
      'an oversized header',
      { header: `t=${now},v1=${v1(secret, now)},x=${'a'.repeat(3_000)}` },
      'webhook_signature_malformed',
      400,
    ],
    [
      'too many entries',
      { header: [`t=${now}`, ...Array(20).fill(`v1=${v1(secret, now)}`)].join(',') },
      'webhook_signature_malformed',
      400,
    ],
    [
      'a stale timestamp (past)',
      { header: signWebhook(secret, body, now - 301) },
      'webhook_timestamp_stale',
      401,
    ],
    [
      'a timestamp far in the future',
      { header: signWebhook(secret, body, now + 301) },
      'webhook_timestamp_stale',
      401,
    ],
    [
      'a narrower tolerance',
      { header: signWebhook(secret, body, now - 31), toleranceSec: 30 },
      'webhook_timestamp_stale',
      401,
    ],
    [
      'the wrong secret',
      { header: signWebhook('whsec_wrong', body, now) },
      'webhook_signature_invalid',
      401,
    ],
    ['a tampered body', { rawBody: body.replace('12345', '1') }, 'webhook_signature_invalid', 401],
    ['a body with one more space', { rawBody: `${body} ` }, 'webhook_signature_invalid', 401],
    [
      'a signature over another timestamp',
      { header: `t=${now},v1=${v1(secret, now - 1)}` },
      'webhook_signature_invalid',
      401,
    ],
    [
      'a retired secret',
      { header: signWebhook(oldSecret, body, now) },
      'webhook_signature_invalid',
      401,
    ],
    [
      'a stale timestamp with a forged signature',
      { header: signWebhook('whsec_wrong', body, now - 10_000) },
      'webhook_signature_invalid',
      401,
    ],
    [
      'only an unknown scheme',
      { header: `t=${now},v0=${v1(secret, now)}` },
      'webhook_signature_malformed',
      400,
    ],
  ];

  it.each(refused)('%s', (_name, overrides, code, status) => {
    const result = verify(overrides);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.refusal).toMatchObject({ code, status });
    if (status === 401) {
      expect(result.refusal.headers['www-authenticate']).toMatch(/^Tatkal-Signature /);
    }
  });
});

describe('verifyWebhookSignature accepts', () => {
  const accepted: Array<[string, Partial<VerifyWebhookSignatureInput>, number]> = [
    ['a fresh signature', {}, 0],
    ['the edge of the tolerance, past', { header: signWebhook(secret, body, now - 300) }, 0],
    ['the edge of the tolerance, future', { header: signWebhook(secret, body, now + 300) }, 0],
    [
      'the old secret while rotating',
      { header: signWebhook(oldSecret, body, now), secrets: [secret, oldSecret] },
      1,
    ],
    [
      'both secrets signed, either accepted',
      { header: signWebhook([oldSecret, secret], body, now) },
      0,
    ],
    [
      'a wrong v1 beside a right one',
      { header: `t=${now},v1=${'0'.repeat(64)},v1=${v1(secret, now)}` },
      0,
    ],
    [
      'spaces around entries and unknown schemes',
      { header: ` t=${now} , v0=xyz, v1=${v1(secret, now)} ` },
      0,
    ],
    ['entries in any order', { header: `v1=${v1(secret, now)},t=${now}` }, 0],
    ['a byte body', { rawBody: new TextEncoder().encode(body) }, 0],
  ];

  it.each(accepted)('%s', (_name, overrides, secretIndex) => {
    const signedAt = Number(/t=(\d+)/.exec(overrides.header ?? `t=${now}`)?.[1]);
    expect(verify(overrides)).toEqual({ ok: true, timestampSec: signedAt, secretIndex });
  });

  it('signs the exact bytes, so a non-ASCII body verifies as bytes or as a string', () => {
    const text = '{"name":"अनीता"}';
    const header = signWebhook(secret, new TextEncoder().encode(text), now);
    expect(verify({ rawBody: text, header }).ok).toBe(true);
  });

  it('refuses to run without a secret', () => {
    expect(() => verify({ secrets: [] })).toThrow(/no webhook secrets/);
    expect(() => verify({ secrets: [''] })).toThrow(/must not be empty/);
  });
});
