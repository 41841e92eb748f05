/** A dependency the service needs before it can serve: answers whether it is reachable. */
export type ReadinessCheck = () => Promise<boolean>;

export interface ReadinessReport {
  ready: boolean;
  checks: Record<string, 'ok' | 'failing'>;
}

/** Runs every check at once; a check that throws or outlasts `timeoutMs` counts as failing. */
export async function checkReadiness(
  checks: Record<string, ReadinessCheck>,
  timeoutMs: number,
): Promise<ReadinessReport> {
  const entries = await Promise.all(
    Object.entries(checks).map(async ([name, check]) => {
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<boolean>((resolve) => {
        timer = setTimeout(() => resolve(false), timeoutMs);
      });
      try {
        const ok = await Promise.race([check().catch(() => false), timeout]);
        return [name, ok ? 'ok' : 'failing'] as const;
      } finally {
        clearTimeout(timer);
      }
    }),
  );
  return {
    ready: entries.every(([, state]) => state === 'ok'),
    checks: Object.fromEntries(entries),
  };
}
