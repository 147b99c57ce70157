import 'reflect-metadata';
import { ConfigError, loadConfig } from './config/app-config.js';
import { runMigrations } from './database/migrate.js';

/**
 * `npm run db:migrate`: applies pending migrations to DATABASE_MIGRATION_URL (or
 * DATABASE_URL) without starting the service, for deployments that migrate as a
 * separate step. The service also applies them itself at start.
 */
async function main(): Promise<void> {
  const config = loadConfig(process.env);
  const url = config.databaseMigrationUrl ?? config.databaseUrl;
  if (!url) throw new ConfigError(['DATABASE_URL (or DATABASE_MIGRATION_URL) must be set to migrate a database server']);
  const applied = await runMigrations(url);
  process.stdout.write(applied.length > 0 ? `applied: ${applied.join(', ')}\n` : 'the database is up to date\n');
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
