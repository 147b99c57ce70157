import { createMigrationDataSource } from './index.js';

/**
 * For the TypeORM CLI, e.g. `npx typeorm -d dist/migrations/data-source.js migration:show`
 * after `npm run build`: the owner URL from DATABASE_MIGRATION_URL or DATABASE_URL.
 */
const url = process.env.DATABASE_MIGRATION_URL ?? process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/charity_ledger';
export default createMigrationDataSource(url);
