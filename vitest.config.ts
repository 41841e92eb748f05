import { defineConfig } from 'vitest/config';

const packages = '{waiting-room,booking-api,admission-worker,drizzle,loadtest}';

export default defineConfig({
  test: {
    // Integration files mostly wait on PostgreSQL and Redis, so more workers
    // than cores pays; files must run side by side for the isolation probe.
    maxWorkers: Number(process.env.TATKAL_TEST_WORKERS ?? 4),
    projects: [
      {
        test: {
          name: 'unit',
          include: [`${packages}/test/**/*.test.ts`],
          exclude: ['**/*.int.test.ts', '**/node_modules/**'],
        },
      },
      {
        test: {
          name: 'integration',
          include: [`${packages}/test/**/*.int.test.ts`],
          globalSetup: ['infra/testing/global-setup.ts'],
          setupFiles: ['infra/testing/file-setup.ts'],
          testTimeout: 30_000,
          hookTimeout: 60_000,
        },
      },
    ],
  },
});
