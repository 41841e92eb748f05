import { baseConfigShape, parseConfig, port } from '@tatkal/waiting-room/service';

export const configShape = {
  ...baseConfigShape,
  PORT: port(8082),
};

export type Config = ReturnType<typeof loadConfig>;

/** The admission-worker configuration from the environment; throws ConfigError naming every bad variable. */
export function loadConfig(env: Record<string, string | undefined>) {
  return parseConfig('admission-worker', configShape, env);
}
