export { createTestDatabase, ensureTemplateDatabase, type TestDatabase } from './databases.ts';
