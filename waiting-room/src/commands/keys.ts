// Admission signing keys, for operators:
//   node waiting-room/src/commands/keys.ts generate FILE        create FILE with one key (never overwrites)
//   node waiting-room/src/commands/keys.ts rotate FILE [--keep N] new key signs; keep the newest N (default 3)
//   node waiting-room/src/commands/keys.ts jwks FILE             print the public JWKS
import { parseArgs } from 'node:util';
import {
  createSigningKeyFile,
  KeyFileError,
  loadSigningKeys,
  rotateSigningKeys,
} from '../tokens/index.ts';

const usage = `usage: keys.ts generate FILE | rotate FILE [--keep N] | jwks FILE`;

async function run(argv: string[]): Promise<number> {
  const { positionals, values } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: { keep: { type: 'string' } },
  });
  const [command, file, ...extra] = positionals;
  if (file === undefined || extra.length > 0) {
    console.error(usage);
    return 2;
  }
  if (values.keep !== undefined && command !== 'rotate') {
    console.error(`--keep only applies to rotate\n${usage}`);
    return 2;
  }
  switch (command) {
    case 'generate': {
      const { kid, created } = await createSigningKeyFile(file);
      console.error(
        created
          ? `${file}: created with key ${kid}`
          : `${file}: already exists, left unchanged (newest key ${kid}); use rotate for a new key`,
      );
      return 0;
    }
    case 'rotate': {
      const keep = values.keep === undefined ? undefined : Number(values.keep);
      if (keep !== undefined && (!Number.isSafeInteger(keep) || keep < 1)) {
        console.error(`--keep must be a whole number of keys, at least 1, got ${values.keep}`);
        return 2;
      }
      const { kid } = await rotateSigningKeys(file, keep === undefined ? {} : { keep });
      console.error(`${file}: key ${kid} signs from now on`);
      return 0;
    }
    case 'jwks': {
      const { jwks } = await loadSigningKeys(file);
      console.log(JSON.stringify(jwks, null, 2));
      return 0;
    }
    default:
      console.error(usage);
      return 2;
  }
}

try {
  process.exitCode = await run(process.argv.slice(2));
} catch (error) {
  if (error instanceof KeyFileError || (error as NodeJS.ErrnoException).code !== undefined) {
    console.error((error as Error).message);
  } else {
    console.error(error);
  }
  process.exitCode = 1;
}
