import { z } from 'zod';

/** Raised when the environment does not describe a valid configuration. */
export class ConfigError extends Error {
  readonly problems: readonly string[];
  constructor(service: string, problems: readonly string[]) {
    super(`${service}: invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
    this.problems = problems;
  }
}

const urlWithProtocol = (name: string, protocols: readonly string[]) =>
  z.string().refine(
    (value) => {
      try {
        return protocols.includes(new URL(value).protocol);
      } catch {
        return false;
      }
    },
    { message: `must be a ${name} URL (${protocols.map((p) => `${p}//`).join(' or ')}...)` },
  );

const integer = (min: number, max: number) =>
  z.coerce
    .number({ message: 'must be a number' })
    .int({ message: 'must be a whole number' })
    .min(min, { message: `must be at least ${min}` })
    .max(max, { message: `must be at most ${max}` });

/** Environment variables every service reads. */
export const baseConfigShape = {
  HOST: z.string().min(1).default('127.0.0.1'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  DATABASE_URL: urlWithProtocol('PostgreSQL', ['postgres:', 'postgresql:']),
  DB_POOL_MAX: integer(1, 500).default(10),
  REDIS_URL: urlWithProtocol('Redis', ['redis:', 'rediss:']),
  REDIS_KEY_PREFIX: z
    .string()
    .regex(/^[A-Za-z0-9_-]{1,32}$/, { message: 'must be 1-32 letters, digits, "_" or "-"' })
    .default('tatkal'),
  SHUTDOWN_TIMEOUT_MS: integer(0, 120_000).default(10_000),
};

/** A TCP port; 0 asks the OS for a free one (tests). */
export const port = (fallback: number) => integer(0, 65_535).default(fallback);

export type BaseConfig = z.infer<z.ZodObject<typeof baseConfigShape>>;
export { integer, urlWithProtocol };

type Env = Record<string, string | undefined>;

/**
 * Parses the environment with a service's schema. Every problem names the
 * variable, so an operator knows what to fix without reading code.
 */
export function parseConfig<S extends z.ZodRawShape>(
  service: string,
  shape: S,
  env: Env,
): z.infer<z.ZodObject<S>> {
  // Empty strings count as unset, as in most .env tooling.
  const cleaned = Object.fromEntries(
    Object.keys(shape).map((key) => [key, env[key] === '' ? undefined : env[key]]),
  );
  const result = z.object(shape).safeParse(cleaned);
  if (result.success) return result.data;
  const problems = result.error.issues.map((issue) => {
    const variable = String(issue.path[0] ?? '(environment)');
    const value = cleaned[variable];
    if (value === undefined) return `${variable} is required but not set`;
    return `${variable} ${issue.message} (got ${JSON.stringify(value)})`;
  });
  throw new ConfigError(service, problems);
}
