import { createPrivateKey, createPublicKey } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import {
  type CryptoKey,
  calculateJwkThumbprint,
  exportJWK,
  generateKeyPair,
  importJWK,
  type JWK,
} from 'jose';
import { z } from 'zod';
import { writeKeyFile } from './key-file-write.ts';

/** The key that signs new tokens, and every public key a verifier should still accept. */
export interface SigningKeySet {
  signing: { kid: string; privateKey: CryptoKey };
  /** Public keys, newest first: what `/.well-known/jwks.json` serves. */
  jwks: { keys: JWK[] };
}

/** A key file that cannot be used; the message names the file and every problem in it. */
export class KeyFileError extends Error {
  readonly file: string;
  constructor(file: string, problems: readonly string[]) {
    super(
      `${file}: not a usable admission key file:\n${problems.map((p) => `  - ${p}`).join('\n')}`,
    );
    this.name = 'KeyFileError';
    this.file = file;
  }
}

const ed25519Bytes = (part: string) =>
  z.string({ message: `missing "${part}"` }).regex(/^[A-Za-z0-9_-]{43}$/, {
    message: `"${part}" must be 32 bytes in base64url (43 characters)`,
  });

const privateJwkSchema = z.object({
  kty: z.literal('OKP', { message: 'kty must be "OKP" (only Ed25519 keys are used)' }),
  crv: z.literal('Ed25519', { message: 'crv must be "Ed25519"' }),
  alg: z.literal('EdDSA', { message: 'alg must be "EdDSA"' }),
  use: z.literal('sig', { message: 'use must be "sig"' }).default('sig'),
  kid: z.string({ message: 'missing "kid"' }).regex(/^[A-Za-z0-9._-]{1,128}$/, {
    message: 'kid must be 1-128 characters of A-Z a-z 0-9 . _ -',
  }),
  x: ed25519Bytes('x'),
  d: z
    .string({ message: 'missing the private part "d": the key file holds private keys' })
    .regex(/^[A-Za-z0-9_-]{43}$/, { message: '"d" must be 32 bytes in base64url (43 characters)' }),
});

export type PrivateSigningJwk = z.infer<typeof privateJwkSchema>;

const keyFileSchema = z
  .object(
    {
      keys: z
        .array(privateJwkSchema, { message: 'must have "keys": an array of private JWKs' })
        .min(1, { message: '"keys" is empty: generate a key first' }),
    },
    { message: 'must be a JSON object {"keys": [...]}' },
  )
  .superRefine(({ keys }, ctx) => {
    const seen = new Set<string>();
    keys.forEach((key, index) => {
      if (seen.has(key.kid)) {
        ctx.addIssue({
          code: 'custom',
          path: ['keys', index, 'kid'],
          message: `duplicate kid "${key.kid}"`,
        });
      }
      seen.add(key.kid);
      if (derivedPublicX(key) !== key.x) {
        ctx.addIssue({
          code: 'custom',
          path: ['keys', index],
          message: `key "${key.kid}": "x" is not the public half of "d" (the key is corrupt)`,
        });
      }
    });
  });

function derivedPublicX(key: PrivateSigningJwk): string | undefined {
  try {
    const privateKey = createPrivateKey({ key: { ...key }, format: 'jwk' });
    return createPublicKey(privateKey).export({ format: 'jwk' }).x;
  } catch {
    return undefined;
  }
}

const formatPath = (path: readonly PropertyKey[]) =>
  path
    .map((part, i) => (typeof part === 'number' ? `[${part}]` : `${i ? '.' : ''}${String(part)}`))
    .join('');

/** Validates the text of a key file; throws KeyFileError naming each problem. */
export function parseKeyFile(file: string, text: string): PrivateSigningJwk[] {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new KeyFileError(file, [`not valid JSON (${(error as Error).message})`]);
  }
  const parsed = keyFileSchema.safeParse(json);
  if (!parsed.success) {
    throw new KeyFileError(
      file,
      parsed.error.issues.map((issue) =>
        issue.path.length === 0 ? issue.message : `${formatPath(issue.path)}: ${issue.message}`,
      ),
    );
  }
  return parsed.data.keys;
}

export async function readKeyFile(file: string): Promise<PrivateSigningJwk[]> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const reason = code === 'ENOENT' ? 'no such file; create it with `keys.ts generate`' : code;
    throw new KeyFileError(file, [`cannot read it (${reason ?? (error as Error).message})`]);
  }
  return parseKeyFile(file, text);
}

/** The public half of a signing key, as served in the JWKS. */
export function publicJwk(key: PrivateSigningJwk): JWK {
  return { kty: key.kty, crv: key.crv, x: key.x, kid: key.kid, alg: key.alg, use: 'sig' };
}

/** A private Ed25519 JWK; kid defaults to its RFC 7638 thumbprint. */
export async function generateSigningKey(kid?: string): Promise<PrivateSigningJwk> {
  if (kid !== undefined && !privateJwkSchema.shape.kid.safeParse(kid).success) {
    throw new RangeError(
      `kid must be 1-128 characters of A-Z a-z 0-9 . _ -, got ${JSON.stringify(kid)}`,
    );
  }
  const { privateKey } = await generateKeyPair('EdDSA', { crv: 'Ed25519', extractable: true });
  const { x, d } = await exportJWK(privateKey);
  if (x === undefined || d === undefined)
    throw new TypeError('an Ed25519 key exported without x or d');
  const thumbprint = await calculateJwkThumbprint({ kty: 'OKP', crv: 'Ed25519', x });
  return privateJwkSchema.parse({
    kty: 'OKP',
    crv: 'Ed25519',
    alg: 'EdDSA',
    use: 'sig',
    kid: kid ?? thumbprint,
    x,
    d,
  });
}

/** Keys ready for signing and verifying, from validated private JWKs (newest first). */
export async function signingKeySet(keys: readonly PrivateSigningJwk[]): Promise<SigningKeySet> {
  const [newest] = keys;
  if (newest === undefined) throw new RangeError('a signing key set needs at least one key');
  const privateKey = await importJWK({ ...newest }, 'EdDSA');
  if (privateKey instanceof Uint8Array) throw new TypeError('an Ed25519 JWK imported as bytes');
  return { signing: { kid: newest.kid, privateKey }, jwks: { keys: keys.map(publicJwk) } };
}

/** Reads and validates a key file: {"keys": [private JWKs, newest first]}. */
export async function loadSigningKeys(file: string): Promise<SigningKeySet> {
  return signingKeySet(await readKeyFile(file));
}

/**
 * Creates a key file with one new key, unless the file exists: an existing file
 * is validated and left as it is, so this is safe to run on every deploy.
 */
export async function createSigningKeyFile(
  file: string,
): Promise<{ kid: string; created: boolean }> {
  const key = await generateSigningKey();
  if (await writeKeyFile(file, [key], { replace: false })) return { kid: key.kid, created: true };
  const [newest] = await readKeyFile(file);
  if (newest === undefined) throw new KeyFileError(file, ['"keys" is empty']);
  return { kid: newest.kid, created: false };
}

/**
 * Puts a new key first (it signs from now on) and keeps the newest `keep` keys
 * (default 3), so tokens signed by the previous keys keep verifying until their
 * key drops out of the JWKS. Written to a temporary file and renamed into place.
 */
export async function rotateSigningKeys(
  file: string,
  options: { keep?: number } = {},
): Promise<{ kid: string }> {
  const keep = options.keep ?? 3;
  if (!Number.isSafeInteger(keep) || keep < 1) {
    throw new RangeError(`keep must be a whole number of keys, at least 1, got ${keep}`);
  }
  const existing = await readKeyFile(file);
  const key = await generateSigningKey();
  if (existing.some((old) => old.kid === key.kid)) {
    throw new KeyFileError(file, [`a key with the new kid "${key.kid}" is already in the file`]);
  }
  await writeKeyFile(file, [key, ...existing].slice(0, keep), { replace: true });
  return { kid: key.kid };
}
