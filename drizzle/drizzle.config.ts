import { defineConfig } from 'drizzle-kit';

// generate and check work offline; only migrate-style commands use the URL.
export default defineConfig({
  dialect: 'postgresql',
  schema: './src/schema/index.ts',
  out: './migrations',
  strict: true,
  verbose: true,
  dbCredentials: {
    url: process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/tatkal',
  },
});
