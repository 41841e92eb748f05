// The public face of @tatkal/drizzle: the db client, migrations, the schema and the demo seed.
export { ensureDatabaseExists, withDatabase } from './admin.ts';
export {
  createDbClient,
  type Database,
  type DbClient,
  type DbClientOptions,
  type Schema,
} from './client.ts';
export { migrateDatabase, migrationsFolder } from './migrate.ts';
export * from './schema/index.ts';
export {
  type DemoSaleSummary,
  type SeedDemoSaleOptions,
  type SeededRoom,
  seedDemoSale,
} from './seed/demo-sale.ts';
