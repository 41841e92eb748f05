// Key files: validation that says what is wrong, generate that never
// overwrites, rotation that keeps the newest keys, files only the owner can read.
import { execFile } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { calculateJwkThumbprint } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createSigningKeyFile,
  generateSigningKey,
  KeyFileError,
  loadSigningKeys,
  parseKeyFile,
  rotateSigningKeys,
} from '../../src/tokens/index.ts';

let directory: string;
let files = 0;
const newFile = () => join(directory, `keys-${++files}.json`);

beforeAll(async () => {
  directory = await mkdtemp(join(tmpdir(), 'tatkal-keys-'));
});

afterAll(async () => {
  await rm(directory, { recursive: true, force: true });
});

const mode = async (file: string) => (await stat(file)).mode & 0o777;

describe('generateSigningKey', () => {
  it('makes a private Ed25519 JWK for EdDSA signatures, kid = its RFC 7638 thumbprint', async () => {
    const key = await generateSigningKey();
    expect(key).toMatchObject({ kty: 'OKP', crv: 'Ed25519', alg: 'EdDSA', use: 'sig' });
    expect(key.x).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(key.d).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(key.kid).toBe(await calculateJwkThumbprint({ kty: 'OKP', crv: 'Ed25519', x: key.x }));
    expect((await generateSigningKey()).kid).not.toBe(key.kid);
  });

  it('takes a kid, and refuses one that would not survive a header', async () => {
    expect((await generateSigningKey('2026-01')).kid).toBe('2026-01');
    await expect(generateSigningKey('has space')).rejects.toThrow(/kid must be/);
  });
});

describe('key file validation', () => {
  const valid = async () => generateSigningKey('a');
  const cases: Array<{ name: string; text: () => Promise<string>; message: RegExp }> = [
    { name: 'not JSON', text: async () => '{"keys": [', message: /not valid JSON/ },
    {
      name: 'not an object',
      text: async () => '[]',
      message: /must be a JSON object \{"keys": \[\.\.\.\]\}/,
    },
    {
      name: 'no keys member',
      text: async () => '{}',
      message: /must have "keys": an array of private JWKs/,
    },
    {
      name: 'no keys',
      text: async () => '{"keys": []}',
      message: /"keys" is empty: generate a key first/,
    },
    {
      name: 'a public key only',
      text: async () => {
        const { d: _d, ...publicOnly } = await valid();
        return JSON.stringify({ keys: [publicOnly] });
      },
      message: /keys\[0\]\.d: missing the private part "d": the key file holds private keys/,
    },
    {
      name: 'an RSA key',
      text: async () => {
        const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
        return JSON.stringify({
          keys: [{ ...privateKey.export({ format: 'jwk' }), kid: 'r', alg: 'RS256' }],
        });
      },
      message: /keys\[0\]\.kty: kty must be "OKP"/,
    },
    {
      name: 'another algorithm',
      text: async () => JSON.stringify({ keys: [{ ...(await valid()), alg: 'ES256' }] }),
      message: /keys\[0\]\.alg: alg must be "EdDSA"/,
    },
    {
      name: 'no kid',
      text: async () => {
        const { kid: _kid, ...key } = await valid();
        return JSON.stringify({ keys: [key] });
      },
      message: /keys\[0\]\.kid: missing "kid"/,
    },
    {
      name: 'a duplicate kid',
      text: async () => JSON.stringify({ keys: [await valid(), await valid()] }),
      message: /keys\[1\]\.kid: duplicate kid "a"/,
    },
    {
      name: 'x not matching d',
      text: async () => JSON.stringify({ keys: [{ ...(await valid()), x: (await valid()).x }] }),
      message: /keys\[0\]: key "a": "x" is not the public half of "d"/,
    },
    {
      name: 'a truncated d',
      text: async () => {
        const key = await valid();
        return JSON.stringify({ keys: [{ ...key, d: key.d.slice(0, 20) }] });
      },
      message: /keys\[0\]\.d: "d" must be 32 bytes in base64url/,
    },
  ];

  it.each(cases)('names the problem: $name', async ({ text, message }) => {
    const file = newFile();
    await writeFile(file, await text());
    const error = await loadSigningKeys(file).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(KeyFileError);
    expect((error as Error).message).toContain(`${file}: not a usable admission key file`);
    expect((error as Error).message).toMatch(message);
  });

  it('names a missing file and how to create it', async () => {
    await expect(loadSigningKeys(join(directory, 'absent.json'))).rejects.toThrow(
      /absent\.json: .*no such file; create it with `keys\.ts generate`/s,
    );
  });

  it('accepts a key without "use" and serves only public parts, newest first', async () => {
    const [newer, older] = [await generateSigningKey('new'), await generateSigningKey('old')];
    const { use: _use, ...withoutUse } = older;
    const keys = parseKeyFile('inline', JSON.stringify({ keys: [newer, withoutUse] }));
    expect(keys.map((key) => key.kid)).toEqual(['new', 'old']);
    const file = newFile();
    await writeFile(file, JSON.stringify({ keys }));
    const { signing, jwks } = await loadSigningKeys(file);
    expect(signing.kid).toBe('new');
    expect(signing.privateKey.type).toBe('private');
    expect(jwks.keys).toEqual([
      { kty: 'OKP', crv: 'Ed25519', x: newer.x, kid: 'new', alg: 'EdDSA', use: 'sig' },
      { kty: 'OKP', crv: 'Ed25519', x: older.x, kid: 'old', alg: 'EdDSA', use: 'sig' },
    ]);
  });
});

describe('createSigningKeyFile (generate)', () => {
  it('creates a 0600 file with one key', async () => {
    const file = newFile();
    const { kid, created } = await createSigningKeyFile(file);
    expect(created).toBe(true);
    expect(await mode(file)).toBe(0o600);
    expect((await loadSigningKeys(file)).signing.kid).toBe(kid);
  });

  it('never overwrites an existing file, valid or not', async () => {
    const file = newFile();
    const { kid } = await createSigningKeyFile(file);
    const before = await readFile(file, 'utf8');
    expect(await createSigningKeyFile(file)).toEqual({ kid, created: false });
    expect(await readFile(file, 'utf8')).toBe(before);

    const broken = newFile();
    await writeFile(broken, 'not json');
    await expect(createSigningKeyFile(broken)).rejects.toThrow(KeyFileError);
    expect(await readFile(broken, 'utf8')).toBe('not json');
  });

  it('creates exactly one key when two generate at once', async () => {
    const file = newFile();
    const results = await Promise.all([createSigningKeyFile(file), createSigningKeyFile(file)]);
    expect(results.filter((result) => result.created)).toHaveLength(1);
    const { kid } = (await loadSigningKeys(file)).signing;
    expect(results.map((result) => result.kid)).toEqual([kid, kid]);
  });
});

describe('rotateSigningKeys', () => {
  it('puts a new key first, keeps the newest 3 by default, and leaves the file 0600', async () => {
    const file = newFile();
    const { kid: first } = await createSigningKeyFile(file);
    const rotated: string[] = [];
    for (let i = 0; i < 3; i += 1) rotated.unshift((await rotateSigningKeys(file)).kid);
    const { signing, jwks } = await loadSigningKeys(file);
    expect(signing.kid).toBe(rotated[0]);
    expect(jwks.keys.map((key) => key.kid)).toEqual(rotated);
    expect(rotated).not.toContain(first);
    expect(await mode(file)).toBe(0o600);
    // No temporary files left behind.
    expect((await readdir(directory)).filter((name) => name.endsWith('.tmp'))).toEqual([]);
  });

  it('keeps as many keys as asked', async () => {
    const file = newFile();
    await createSigningKeyFile(file);
    await rotateSigningKeys(file, { keep: 5 });
    await rotateSigningKeys(file, { keep: 5 });
    expect((await loadSigningKeys(file)).jwks.keys).toHaveLength(3);
    await rotateSigningKeys(file, { keep: 2 });
    expect((await loadSigningKeys(file)).jwks.keys).toHaveLength(2);
    await expect(rotateSigningKeys(file, { keep: 0 })).rejects.toThrow(/keep must be/);
  });

  it('refuses to rotate a missing or broken file and leaves it as it was', async () => {
    await expect(rotateSigningKeys(join(directory, 'absent.json'))).rejects.toThrow(KeyFileError);
    const broken = newFile();
    await writeFile(broken, '{"keys": []}');
    await expect(rotateSigningKeys(broken)).rejects.toThrow(/"keys" is empty/);
    expect(await readFile(broken, 'utf8')).toBe('{"keys": []}');
  });
});

describe('keys.ts command', () => {
  const command = fileURLToPath(new URL('../../src/commands/keys.ts', import.meta.url));
  const run = (...args: string[]) =>
    promisify(execFile)(process.execPath, [command, ...args]).then(
      ({ stdout, stderr }) => ({ code: 0, stdout, stderr }),
      (error: { code: number; stdout: string; stderr: string }) => error,
    );

  it('generates once, rotates, and prints only public keys', async () => {
    const file = newFile();
    const generated = await run('generate', file);
    expect(generated.code).toBe(0);
    expect(generated.stderr).toMatch(/created with key/);
    const contents = await readFile(file, 'utf8');

    const again = await run('generate', file);
    expect(again.code).toBe(0);
    expect(again.stderr).toMatch(/already exists, left unchanged/);
    expect(await readFile(file, 'utf8')).toBe(contents);

    expect((await run('rotate', file, '--keep', '2')).code).toBe(0);
    const printed = await run('jwks', file);
    const jwks = JSON.parse(printed.stdout) as { keys: Array<Record<string, unknown>> };
    expect(jwks.keys).toHaveLength(2);
    expect(jwks.keys.every((key) => key.d === undefined && key.kty === 'OKP')).toBe(true);
    expect(jwks.keys.map((key) => key.kid)).toEqual(
      (await loadSigningKeys(file)).jwks.keys.map((key) => key.kid),
    );
  });

  it('fails with the validation message and a usage line for bad input', async () => {
    const broken = newFile();
    await writeFile(broken, '{}');
    const refused = await run('jwks', broken);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/must have "keys"/);
    expect((await run('rotate', broken, '--keep', 'x')).code).toBe(2);
    expect((await run('frobnicate', broken)).stderr).toMatch(/^usage: keys\.ts/);
  });
});
