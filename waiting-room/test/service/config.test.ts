import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.ts';
import { ConfigError } from '../../src/service/config.ts';

const valid = {
  DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/tatkal',
  REDIS_URL: 'redis://127.0.0.1:6379',
  QUEUE_TICKET_SECRET: 'a-queue-ticket-secret-of-enough-length-000',
  ADMISSION_KEYS_FILE: '/etc/tatkal/admission-keys.json',
};

describe('service configuration', () => {
  it('applies defaults and coerces numbers', () => {
    const config = loadConfig({ ...valid, PORT: '9000' });
    expect(config).toMatchObject({
      PORT: 9000,
      HOST: '127.0.0.1',
      LOG_LEVEL: 'info',
      DB_POOL_MAX: 10,
      REDIS_KEY_PREFIX: 'tatkal',
      SHUTDOWN_TIMEOUT_MS: 10_000,
    });
  });

  it('treats an empty variable as unset', () => {
    expect(loadConfig({ ...valid, PORT: '' }).PORT).toBe(8080);
  });

  it('names every bad variable at once, with the value it got', () => {
    let error: unknown;
    try {
      const { DATABASE_URL: _missing, ...rest } = valid;
      loadConfig({ ...rest, REDIS_URL: 'ftp://x', PORT: '-1', LOG_LEVEL: 'chatty' });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const problems = (error as ConfigError).problems;
    expect(problems).toHaveLength(4);
    expect(problems).toContain('DATABASE_URL is required but not set');
    expect(problems.find((p) => p.startsWith('REDIS_URL'))).toContain('(got "ftp://x")');
    expect(problems.find((p) => p.startsWith('PORT'))).toContain('must be at least 0');
    expect(problems.find((p) => p.startsWith('LOG_LEVEL'))).toContain('(got "chatty")');
  });
});
