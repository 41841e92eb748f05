// The only file of the admission-worker that reads the environment, opens connections and listens.
import { loadConfigOrExit, openServiceConnections, runService } from '@tatkal/waiting-room/service';
import { createApp } from './app.ts';
import { loadConfig } from './config.ts';

const config = loadConfigOrExit(() => loadConfig(process.env));
const deps = openServiceConnections('admission-worker', config);

await runService({
  app: createApp(deps),
  host: config.HOST,
  port: config.PORT,
  logger: deps.logger,
  shutdownTimeoutMs: config.SHUTDOWN_TIMEOUT_MS,
  release: deps.release,
});
