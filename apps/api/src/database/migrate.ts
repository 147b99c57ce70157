import { createMigrationDataSource } from '../../../../migrations/index.js';

/** Arbitrary constant: one migrator at a time per database, across processes. */
const MIGRATION_LOCK = 7_302_415_001;

/** Applies pending migrations as the schema owner; returns the names applied. */
export async function runMigrations(ownerUrl: string): Promise<string[]> {
  const dataSource = createMigrationDataSource(ownerUrl);
  await dataSource.initialize();
  const lock = dataSource.createQueryRunner();
  try {
    await lock.connect();
    await lock.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK]);
    const applied = await dataSource.runMigrations({ transaction: 'each' });
    await lock.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK]);
    return applied.map((migration) => migration.name);
  } finally {
    await lock.release();
    await dataSource.destroy();
  }
}
