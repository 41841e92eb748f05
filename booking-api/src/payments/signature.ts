// Webhook signatures, Stripe-style: `Tatkal-Signature: t=<unix seconds>,v1=<hex>`
// where v1 is HMAC-SHA256(secret, "<t>.<raw body>"). Several v1 entries let a
// provider sign with the old and the new secret while one is being rotated.
import { createHmac, timingSafeEqual } from 'node:crypto';
import {
  WebhookSignatureInvalid,
  WebhookSignatureMalformed,
  WebhookSignatureMissing,
  type WebhookSignatureRefused,
  WebhookTimestampStale,
} from './problems.ts';

export const signatureHeader = 'tatkal-signature';
export const defaultToleranceSec = 300;

const maxHeaderLength = 2_048;
const maxEntries = 16;
const digestHex = /^[0-9a-f]{64}$/;
const unixSeconds = /^[0-9]{1,12}$/;
const entryKey = /^[a-z][a-z0-9]{0,15}$/;

export type RawBody = string | Uint8Array;

function digest(secret: string, timestampSec: number, rawBody: RawBody): Buffer {
  if (secret.length === 0) throw new Error('a webhook secret must not be empty');
  return createHmac('sha256', secret).update(`${timestampSec}.`).update(rawBody).digest();
}

/** The header value for `rawBody` signed at `nowSec` with each secret (old and new during rotation). */
export function signWebhook(
  secret: string | readonly string[],
  rawBody: RawBody,
  nowSec: number,
): string {
  const secrets = typeof secret === 'string' ? [secret] : secret;
  if (secrets.length === 0) throw new Error('signWebhook needs at least one secret');
  const t = Math.floor(nowSec);
  return [`t=${t}`, ...secrets.map((s) => `v1=${digest(s, t, rawBody).toString('hex')}`)].join(',');
}

export interface VerifyWebhookSignatureInput {
  rawBody: RawBody;
  /** The Tatkal-Signature header as received; undefined or null when absent. */
  header: string | null | undefined;
  /** Every secret currently accepted, newest first; the index of the match is returned. */
  secrets: readonly string[];
  nowSec: number;
  /** How far the signed timestamp may be from now, either way. */
  toleranceSec?: number;
}

export type WebhookVerification =
  | { ok: true; timestampSec: number; secretIndex: number }
  | { ok: false; refusal: WebhookSignatureRefused };

interface ParsedHeader {
  timestampSec: number;
  signatures: Buffer[];
}

function parseHeader(header: string): ParsedHeader | string {
  if (header.length > maxHeaderLength) return `longer than ${maxHeaderLength} characters`;
  const entries = header.split(',');
  if (entries.length > maxEntries) return `more than ${maxEntries} entries`;
  let timestampSec: number | undefined;
  const signatures: Buffer[] = [];
  for (const raw of entries) {
    const entry = raw.trim();
    const eq = entry.indexOf('=');
    const key = eq > 0 ? entry.slice(0, eq) : '';
    const value = entry.slice(eq + 1);
    if (!entryKey.test(key)) return `entry "${entry.slice(0, 20)}" is not key=value`;
    if (key === 't') {
      if (timestampSec !== undefined) return 'more than one t=';
      if (!unixSeconds.test(value)) return 't= is not unix seconds';
      timestampSec = Number(value);
    } else if (key === 'v1') {
      if (!digestHex.test(value)) return 'v1= is not 64 lowercase hex digits';
      signatures.push(Buffer.from(value, 'hex'));
    }
    // Other schemes (v0=, a future v2=) are skipped, so a provider can add one before we accept it.
  }
  if (timestampSec === undefined) return 'no t=';
  if (signatures.length === 0) return 'no v1=';
  return { timestampSec, signatures };
}

/**
 * Checks a delivery before anything reads its body: the header must parse, one
 * v1 must match under one of `secrets` (constant-time), and the signed time
 * must be within `toleranceSec` of now. The signature is checked before the
 * time, so `webhook_timestamp_stale` always means a genuine but old (replayed or
 * skewed) delivery, never a forgery.
 */
export function verifyWebhookSignature(input: VerifyWebhookSignatureInput): WebhookVerification {
  if (input.secrets.length === 0) throw new Error('no webhook secrets configured');
  const toleranceSec = input.toleranceSec ?? defaultToleranceSec;
  if (input.header === undefined || input.header === null) {
    return { ok: false, refusal: new WebhookSignatureMissing() };
  }
  const parsed = parseHeader(input.header);
  if (typeof parsed === 'string') {
    return { ok: false, refusal: new WebhookSignatureMalformed(parsed) };
  }
  let secretIndex = -1;
  input.secrets.forEach((secret, index) => {
    const expected = digest(secret, parsed.timestampSec, input.rawBody);
    for (const given of parsed.signatures) {
      if (timingSafeEqual(expected, given) && secretIndex < 0) secretIndex = index;
    }
  });
  if (secretIndex < 0) return { ok: false, refusal: new WebhookSignatureInvalid() };
  const skewSec = Math.floor(input.nowSec) - parsed.timestampSec;
  if (Math.abs(skewSec) > toleranceSec) {
    return { ok: false, refusal: new WebhookTimestampStale(skewSec, toleranceSec) };
  }
  return { ok: true, timestampSec: parsed.timestampSec, secretIndex };
}
