// `tatkal tokens create`: the one command that writes the database directly,
// because without a token there is nobody the admin API could let make one.
import { parseArgs } from 'node:util';
import { createDbClient, operatorRoles } from '@tatkal/drizzle';
import { createOperatorToken } from '../../admin/operator-tokens.ts';
import type { CliConfig } from '../config.ts';
import { CommandFailed, UsageError } from '../usage.ts';

export async function tokensCommand(config: CliConfig, args: string[]): Promise<void> {
  const [sub, ...rest] = args;
  if (sub !== 'create')
    throw new UsageError(sub ? `unknown tokens command "${sub}"` : 'tatkal tokens needs a command');
  let values: { name?: string | undefined; role?: string | undefined };
  try {
    const parsed = parseArgs({
      args: rest,
      options: { name: { type: 'string' }, role: { type: 'string' } },
      strict: true,
    });
    values = parsed.values;
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  const name = values.name?.trim();
  if (!name || name.length > 200) throw new UsageError('--name is required (1-200 characters)');
  const role = operatorRoles.find((r) => r === values.role);
  if (!role) throw new UsageError(`--role must be one of: ${operatorRoles.join(', ')}`);
  if (!config.DATABASE_URL) throw new UsageError('DATABASE_URL is not set');

  const db = createDbClient({
    url: config.DATABASE_URL,
    poolMax: 1,
    applicationName: 'tatkal-cli',
  });
  try {
    const made = await createOperatorToken(db.db, { name, role }).catch((error: unknown) => {
      throw new CommandFailed(`could not store the token: ${(error as Error).message}`);
    });
    // The token alone on stdout, so scripts can capture it; the note on stderr.
    process.stdout.write(`${made.token}\n`);
    process.stderr.write(
      `Token ${made.tokenId} for "${made.name}" (${made.role}) created. It is shown only now: only its SHA-256 is stored.\n`,
    );
  } finally {
    await db.close();
  }
}
