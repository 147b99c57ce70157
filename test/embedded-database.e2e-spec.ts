import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { graphql, runServiceExpectingFailure, startServiceProcess, type ServiceProcess } from './support/service-process.js';
import { donationInput, newCreditCode, RECORD_DONATION, REGISTER_CHARITY } from './support/test-app.js';

/** The quick start: no DATABASE_URL, so the service runs its own PostgreSQL under DATA_DIR. */
describe('embedded default database', () => {
  let dataDir: string;
  let running: ServiceProcess | undefined;

  beforeAll(async () => {
    const parent = await mkdtemp(join(tmpdir(), 'charity-ledger-embedded-'));
    await chmod(parent, 0o755);
    dataDir = join(parent, 'data');
  });

  afterAll(async () => {
    await running?.stop();
    await rm(join(dataDir, '..'), { recursive: true, force: true });
  });

  it('starts with no database server, keeps entries across restarts and after a kill, and refuses a second instance', async () => {
    // first start: prints the URL and a generated admin key
    running = await startServiceProcess({ DATA_DIR: dataDir });
    const adminKey = running.generatedAdminKey!;
    expect(adminKey).toMatch(/^clk_/);
    expect(running.output()).toContain(`embedded PostgreSQL in ${dataDir}`);

    const registered = await graphql(
      running.graphqlUrl,
      REGISTER_CHARITY,
      { input: { name: '嵌入式测试基金会', creditCode: newCreditCode(), kind: 'SOCIAL_ORGANISATION' } },
      adminKey,
    );
    const { charity, apiKey } = registered.data!.registerCharity;
    const recorded = await graphql(running.graphqlUrl, RECORD_DONATION, { input: donationInput(charity.id) }, apiKey);
    const entry = recorded.data!.recordDonation;

    // a second process on the same data directory is refused with a clear message
    const second = await runServiceExpectingFailure({ DATA_DIR: dataDir });
    expect(second.code).toBe(1);
    expect(second.output).toContain(`Data directory ${dataDir} is in use by another Charity Ledger process`);

    // a clean restart keeps the entry and the admin key (no new key printed)
    expect(await running.stop()).toBe(0);
    running = await startServiceProcess({ DATA_DIR: dataDir });
    expect(running.generatedAdminKey).toBeUndefined();
    const read = await graphql(running.graphqlUrl, `{ ledgerEntry(charityId: "${charity.id}", sequence: 1) { hash } }`);
    expect(read.data!.ledgerEntry.hash).toBe(entry.hash);
    const stillAdmin = await graphql(running.graphqlUrl, `mutation { issueApiKey(input: { role: REGULATOR }) { role } }`, {}, adminKey);
    expect(stillAdmin.data!.issueApiKey.role).toBe('REGULATOR');

    // killed without warning, its PostgreSQL is left running; the next start stops it and carries on
    await running.kill();
    running = await startServiceProcess({ DATA_DIR: dataDir });
    const verified = await graphql(running.graphqlUrl, `{ verifyChain(charityId: "${charity.id}") { valid length } }`);
    expect(verified.data!.verifyChain).toEqual({ valid: true, length: 1 });
  });
});
