// The CLI's environment, parsed once at start; a bad value is a usage error that names it.
import { z } from 'zod';
import { UsageError } from './usage.ts';

const httpUrl = z
  .string()
  .refine((value) => /^https?:\/\/[^\s]+$/.test(value) && URL.canParse(value), {
    message: 'must be an http:// or https:// URL',
  });

const schema = z.object({
  TATKAL_ADMIN_URL: httpUrl.default('http://127.0.0.1:8082'),
  TATKAL_ADMIN_TOKEN: z.string().min(1).optional(),
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, { message: 'must be a postgres:// URL' })
    .optional(),
});

export type CliConfig = z.infer<typeof schema>;

export function loadCliConfig(env: Record<string, string | undefined>): CliConfig {
  const cleaned = Object.fromEntries(
    Object.keys(schema.shape).map((key) => [key, env[key] === '' ? undefined : env[key]]),
  );
  const parsed = schema.safeParse(cleaned);
  if (parsed.success) return parsed.data;
  throw new UsageError(
    parsed.error.issues.map((issue) => `${String(issue.path[0])} ${issue.message}`).join('; '),
  );
}
