// drizzle wraps driver errors (DrizzleQueryError with the pg error as `cause`),
// so the SQLSTATE and constraint name are found by walking the cause chain.

export interface PgErrorFields {
  /** SQLSTATE, such as 23505 (unique violation) or 40P01 (deadlock). */
  code: string;
  constraint: string | undefined;
}

export function pgErrorOf(error: unknown): PgErrorFields | undefined {
  let current: unknown = error;
  for (let depth = 0; depth < 5 && typeof current === 'object' && current !== null; depth++) {
    const candidate = current as { code?: unknown; constraint?: unknown; cause?: unknown };
    if (typeof candidate.code === 'string' && /^[0-9A-Z]{5}$/.test(candidate.code)) {
      return {
        code: candidate.code,
        constraint: typeof candidate.constraint === 'string' ? candidate.constraint : undefined,
      };
    }
    current = candidate.cause;
  }
  return undefined;
}
