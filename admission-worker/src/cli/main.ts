#!/usr/bin/env node
// `tatkal`: operator commands. Everything but `tokens create` goes through the
// admin API (TATKAL_ADMIN_URL, TATKAL_ADMIN_TOKEN), so the CLI obeys the same
// roles and leaves the same audit trail as the console.
// Exit codes: 0 done, 1 refused or failed, 2 usage error.
import { createAdminClient } from './admin-client.ts';
import { auditCommand, revokeCommand, roomsCommand, whoamiCommand } from './commands/rooms.ts';
import { tokensCommand } from './commands/tokens.ts';
import { watchCommand } from './commands/watch.ts';
import { loadCliConfig } from './config.ts';
import { CommandFailed, UsageError, usage } from './usage.ts';

async function run(argv: string[]): Promise<number> {
  const [command, ...args] = argv;
  if (command === undefined || command === 'help' || command === '--help' || command === '-h') {
    process[command === undefined ? 'stderr' : 'stdout'].write(usage);
    return command === undefined ? 2 : 0;
  }
  const config = loadCliConfig(process.env);
  switch (command) {
    case 'tokens':
      await tokensCommand(config, args);
      return 0;
    case 'rooms':
      await roomsCommand(createAdminClient(config), args);
      return 0;
    case 'revoke':
      await revokeCommand(createAdminClient(config), args);
      return 0;
    case 'watch':
      await watchCommand(createAdminClient(config), args);
      return 0;
    case 'audit':
      await auditCommand(createAdminClient(config), args);
      return 0;
    case 'whoami':
      await whoamiCommand(createAdminClient(config), args);
      return 0;
    default:
      throw new UsageError(`unknown command "${command}"`);
  }
}

try {
  process.exitCode = await run(process.argv.slice(2));
} catch (error) {
  if (error instanceof UsageError) {
    process.stderr.write(`tatkal: ${error.message}\n\nRun "tatkal --help" for usage.\n`);
    process.exitCode = 2;
  } else if (error instanceof CommandFailed) {
    process.stderr.write(`tatkal: ${error.message}\n`);
    process.exitCode = 1;
  } else {
    process.stderr.write(`tatkal: failed: ${(error as Error).stack ?? String(error)}\n`);
    process.exitCode = 1;
  }
}
