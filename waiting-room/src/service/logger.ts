import { type LevelWithSilent, type Logger, pino } from 'pino';

export type { Logger };

/**
 * One JSON line per event on stdout, stamped with the service name. Writes are
 * synchronous so lines keep their order and the last ones before an exit or a
 * crash are not lost.
 */
export function createLogger(service: string, level: LevelWithSilent): Logger {
  return pino(
    {
      level,
      base: { service },
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
    },
    pino.destination({ dest: 1, sync: true }),
  );
}
