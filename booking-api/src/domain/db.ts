import type { Database } from '@tatkal/drizzle';

/** The handle a drizzle transaction callback receives. */
export type Transaction = Parameters<Parameters<Database['transaction']>[0]>[0];

/** Anything that runs queries: the pooled database or an open transaction. */
export type Executor = Database | Transaction;
