// Plumbing shared by the three Tatkal services: config parsing, logging,
// metrics, problem+json errors, health endpoints, Redis and HTTP lifecycle.
export { createServiceApp, type ServiceAppDeps } from './app.ts';
export { limitBody } from './body-limit.ts';
export {
  type BaseConfig,
  baseConfigShape,
  ConfigError,
  integer,
  parseConfig,
  port,
  urlWithProtocol,
} from './config.ts';
export { openServiceConnections, type ServiceConnections } from './connections.ts';
export { createLogger, type Logger } from './logger.ts';
export { createHttpMetrics, createRegistry, type HttpMetrics } from './metrics.ts';
export {
  internalError,
  invalidInput,
  notFound,
  Problem,
  type ProblemInit,
  problemContentType,
  problemResponse,
  requestRefused,
  validationHook,
} from './problem.ts';
export { checkReadiness, type ReadinessCheck, type ReadinessReport } from './readiness.ts';
export { closeRedis, createRedisClient, pingRedis, type RedisClientOptions } from './redis.ts';
export { exitConfigError, loadConfigOrExit, runService, type ServiceParts } from './run.ts';
export { exitOnSignals, type HttpServer, type ShutdownOptions, startHttpServer } from './server.ts';
