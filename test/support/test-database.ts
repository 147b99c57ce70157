import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { runMigrations } from '../../apps/api/src/database/migrate.js';

export interface TestDatabase {
  name: string;
  /** Superuser URL of this file's own database (the migrations' owner). */
  ownerUrl: string;
  /** Runs SQL as the superuser, e.g. to tamper with the ledger like a rogue operator. */
  query<Row extends pg.QueryResultRow = pg.QueryResultRow>(sql: string, params?: unknown[]): Promise<Row[]>;
  /** Runs SQL as the service's own role. */
  queryAsApp<Row extends pg.QueryResultRow = pg.QueryResultRow>(sql: string, params?: unknown[]): Promise<Row[]>;
  drop(): Promise<void>;
  /** Drops a cluster-wide role a test created (after drop()). */
  dropRole(role: string): Promise<void>;
}

function adminUrl(): string {
  const url = process.env.TEST_DATABASE_URL;
  if (!url) throw new Error('TEST_DATABASE_URL is not set: run the tests with `npm test` (its global setup provides one).');
  return url;
}

function withDatabase(url: string, database: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${database}`;
  return parsed.toString();
}

/** A fresh database with the real migrations applied, for one test file. */
export async function createTestDatabase(migrate = true): Promise<TestDatabase> {
  const name = `cl_test_${Date.now().toString(36)}_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: adminUrl() });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${name}`);
  } finally {
    await admin.end();
  }
  const ownerUrl = withDatabase(adminUrl(), name);
  if (migrate) await runMigrations(ownerUrl);

  const owner = new pg.Pool({ connectionString: ownerUrl, max: 2 });
  const app = new pg.Pool({ connectionString: ownerUrl, max: 2, options: '-c role=charity_ledger_app' });
  // DROP DATABASE … WITH (FORCE) ends idle connections; that is expected here
  owner.on('error', () => undefined);
  app.on('error', () => undefined);
  return {
    name,
    ownerUrl,
    query: async (sql, params) => (await owner.query(sql, params)).rows,
    queryAsApp: async (sql, params) => (await app.query(sql, params)).rows,
    dropRole: async (role) => {
      const client = new pg.Client({ connectionString: adminUrl() });
      await client.connect();
      try {
        await client.query(`DROP ROLE IF EXISTS ${role}`);
      } finally {
        await client.end();
      }
    },
    drop: async () => {
      await owner.end();
      await app.end();
      const client = new pg.Client({ connectionString: adminUrl() });
      await client.connect();
      try {
        await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      } finally {
        await client.end();
      }
    },
  };
}
