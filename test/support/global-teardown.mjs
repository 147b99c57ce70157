import { rm } from 'node:fs/promises';

export default async function globalTeardown() {
  const database = globalThis.__embeddedTestDatabase;
  if (!database) return;
  // the e2e and reference projects share one database: the first teardown stops it
  globalThis.__embeddedTestDatabase = undefined;
  await database.stop();
  await rm(database.dataDir, { recursive: true, force: true });
}
