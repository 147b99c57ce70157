// Plain JavaScript: Jest loads global setup outside its ESM module mapping, so this
// uses the built service (`npm test` builds first).
import { chmod, mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * End-to-end tests need a real PostgreSQL: the server named by TEST_DATABASE_URL
 * (a superuser URL; each test file creates its own database on it), otherwise a
 * throwaway embedded PostgreSQL started here.
 */
export default async function globalSetup() {
  if (process.env.TEST_DATABASE_URL) return;
  let EmbeddedDatabase;
  try {
    ({ EmbeddedDatabase } = await import('../../dist/apps/api/src/database/embedded-postgres.js'));
  } catch {
    throw new Error('The end-to-end tests need the built service: run `npm run build` first (`npm test` does).');
  }
  const dataDir = await mkdtemp(join(tmpdir(), 'charity-ledger-test-'));
  await chmod(dataDir, 0o755);
  const database = await EmbeddedDatabase.start({ dataDir });
  globalThis.__embeddedTestDatabase = database;
  process.env.TEST_DATABASE_URL = database.urlFor('postgres');
  process.stdout.write(`\nNo TEST_DATABASE_URL: using a throwaway embedded PostgreSQL in ${dataDir}\n`);
}
