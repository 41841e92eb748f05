// Re-derives a room's shuffled pre-queue order from its published seed and join log,
// and compares it with the published order (docs/shuffle.md).
//
//   node waiting-room/src/commands/verify-shuffle.ts --url https://HOST/v1/rooms/ROOM/fairness
//        [--seed-hash HASH_YOU_SAW_BEFORE_OPENING]
//   node waiting-room/src/commands/verify-shuffle.ts --seed SEED --seed-hash HASH
//        --join-log join-log.json --order order.json
//
// Files are JSON arrays of visitor hashes (sha256 hex of the visitor id). Exit status:
// 0 the order equals the derivation, 1 it does not, 2 the check could not run.
import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { fairnessDocumentSchema, verifyShuffle } from '../queue/fairness.ts';

const usage = `usage:
  verify-shuffle --url URL [--seed-hash HASH]
  verify-shuffle --seed SEED --seed-hash HASH --join-log FILE --order FILE`;

const hashList = z.array(z.string());

class UsageError extends Error {}

async function readHashList(path: string): Promise<string[]> {
  const parsed = hashList.safeParse(JSON.parse(await readFile(path, 'utf8')));
  if (!parsed.success) throw new UsageError(`${path} is not a JSON array of strings`);
  return parsed.data;
}

interface Published {
  seed: string;
  seedHash: string;
  joinLog: string[];
  order: string[];
  /** Extra checks done before the derivation (e.g. the seed hash seen before opening). */
  findings: string[];
  ok: boolean;
}

async function fromUrl(url: string, noted: string | undefined): Promise<Published> {
  const response = await fetch(url, { headers: { accept: 'application/json' } });
  if (!response.ok) throw new UsageError(`GET ${url} answered ${response.status}`);
  const parsed = fairnessDocumentSchema.safeParse(await response.json());
  if (!parsed.success) throw new UsageError(`GET ${url} is not a fairness document`);
  const document = parsed.data;
  if (document.mode !== 'fifo_shuffle')
    throw new UsageError(`the room is in ${document.mode} mode: nothing is shuffled`);
  if (document.seed === null || document.seedHash === null) {
    throw new UsageError('the seed is not published yet (it is, once the pre-queue has opened)');
  }
  const findings: string[] = [];
  let ok = true;
  if (noted !== undefined) {
    const same = noted.trim().toLowerCase() === document.seedHash.trim().toLowerCase();
    ok = same;
    findings.push(
      same
        ? 'ok: the published seed hash is the one you noted before opening'
        : `MISMATCH: the published seed hash ${document.seedHash} is not the one you noted, ${noted}`,
    );
  }
  return {
    seed: document.seed,
    seedHash: document.seedHash,
    joinLog: document.joinLog,
    order: document.order,
    findings,
    ok,
  };
}

async function published(args: string[]): Promise<Published> {
  const { values } = parseArgs({
    args,
    options: {
      url: { type: 'string' },
      seed: { type: 'string' },
      'seed-hash': { type: 'string' },
      'join-log': { type: 'string' },
      order: { type: 'string' },
    },
  });
  if (values.url !== undefined) return fromUrl(values.url, values['seed-hash']);
  const { seed, 'seed-hash': hash, 'join-log': joinLog, order } = values;
  if (seed === undefined || hash === undefined || joinLog === undefined || order === undefined) {
    throw new UsageError(usage);
  }
  return {
    seed,
    seedHash: hash,
    joinLog: await readHashList(joinLog),
    order: await readHashList(order),
    findings: [],
    ok: true,
  };
}

async function main(args: string[]): Promise<number> {
  let input: Published;
  try {
    input = await published(args);
  } catch (error) {
    console.error(
      error instanceof UsageError
        ? error.message
        : `cannot read the published shuffle: ${String(error)}`,
    );
    return 2;
  }
  const check = verifyShuffle(input);
  for (const line of [...input.findings, ...check.findings]) console.log(line);
  const ok = input.ok && check.ok;
  console.log(
    ok
      ? 'VERIFIED: the published order is the one the seed derives'
      : 'FAILED: the published order does not check out',
  );
  return ok ? 0 : 1;
}

process.exitCode = await main(process.argv.slice(2));
