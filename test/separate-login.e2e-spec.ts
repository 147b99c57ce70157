import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { graphql, startServiceProcess, type ServiceProcess } from './support/service-process.js';
import { createTestDatabase, type TestDatabase } from './support/test-database.js';
import { donationInput, newCreditCode, RECORD_DONATION, REGISTER_CHARITY } from './support/test-app.js';

/** The docker-compose layout: migrations as the owner, the API as its own login, a member of charity_ledger_app. */
describe('deployment with a separate login for the API', () => {
  let db: TestDatabase;
  let running: ServiceProcess | undefined;
  const login = `cl_test_api_${randomBytes(4).toString('hex')}`;
  const adminKey = `login-admin-${randomBytes(24).toString('hex')}`;

  beforeAll(async () => {
    db = await createTestDatabase(false);
    await db.query(`DO $$ BEGIN CREATE ROLE charity_ledger_app NOLOGIN; EXCEPTION WHEN duplicate_object THEN NULL; END $$`);
    await db.query(`CREATE ROLE ${login} LOGIN IN ROLE charity_ledger_app`);
  });

  afterAll(async () => {
    await running?.stop();
    await db.drop();
    await db.dropRole(login);
  });

  it('migrates as the owner and serves as the login, which cannot change the ledger', async () => {
    const apiUrl = new URL(db.ownerUrl);
    apiUrl.username = login;
    running = await startServiceProcess({
      DATABASE_URL: apiUrl.toString(),
      DATABASE_MIGRATION_URL: db.ownerUrl,
      ADMIN_API_KEY: adminKey,
    });
    const registered = await graphql(
      running.graphqlUrl,
      REGISTER_CHARITY,
      { input: { name: '分离登录测试', creditCode: newCreditCode(), kind: 'SOCIAL_ORGANISATION' } },
      adminKey,
    );
    const { charity, apiKey } = registered.data!.registerCharity;
    const recorded = await graphql(running.graphqlUrl, RECORD_DONATION, { input: donationInput(charity.id) }, apiKey);
    expect(recorded.data!.recordDonation.sequence).toBe(1);

    const owners = await db.query<{ tableowner: string }>(`SELECT tableowner FROM pg_tables WHERE tablename = 'ledger_entry'`);
    expect(owners[0].tableowner).not.toBe(login);
    const sessions = await db.query<{ usename: string }>(`SELECT DISTINCT usename FROM pg_stat_activity WHERE datname = $1 AND usename = $2`, [
      db.name,
      login,
    ]);
    expect(sessions).toEqual([{ usename: login }]);

    const asLogin = new pg.Client({ connectionString: apiUrl.toString() });
    await asLogin.connect();
    try {
      await expect(asLogin.query('DELETE FROM ledger_entry')).rejects.toThrow(/permission denied/);
      await expect(asLogin.query(`UPDATE ledger_entry SET type = 'X'`)).rejects.toThrow(/permission denied/);
    } finally {
      await asLogin.end();
    }
  });
});
