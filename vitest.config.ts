import { defineConfig } from 'vitest/config';

const packages = '{waiting-room,booking-api,admission-worker,drizzle,loadtest}';
/** Whole-stack runs: each loads the machine on its own, so they run one at a time, last. */
const endToEnd = `${packages}/test/e2e/**/*.int.test.ts`;
const withServices = {
  globalSetup: ['infra/testing/global-setup.ts'],
  setupFiles: ['infra/testing/file-setup.ts'],
};

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
          exclude: [endToEnd, '**/node_modules/**'],
          ...withServices,
          testTimeout: 30_000,
          hookTimeout: 60_000,
        },
      },
      {
        test: {
          name: 'e2e',
          include: [endToEnd],
          ...withServices,
          testTimeout: 300_000,
          hookTimeout: 120_000,
          fileParallelism: false,
        },
      },
    ],
  },
});
