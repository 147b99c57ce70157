import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { graphql, startServiceProcess, type ServiceProcess } from './support/service-process.js';
import { createTestDatabase, type TestDatabase } from './support/test-database.js';
import { donationInput, newCreditCode, RECORD_DONATION, REGISTER_CHARITY } from './support/test-app.js';

describe('crash safety', () => {
  let db: TestDatabase;
  let running: ServiceProcess | undefined;
  const adminKey = `crash-admin-${randomBytes(24).toString('hex')}`;
  const dataDir = mkdtempSync(join(tmpdir(), 'charity-ledger-crash-'));

  beforeAll(async () => {
    db = await createTestDatabase(false);
  });

  afterAll(async () => {
    await running?.stop();
    await db.drop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('keeps every acknowledged entry and valid chains after SIGKILL under 16 concurrent appenders', async () => {
    // one data directory for both starts: the restarted service keeps its signing key
    const env = { DATABASE_URL: db.ownerUrl, ADMIN_API_KEY: adminKey, DATA_DIR: dataDir };
    running = await startServiceProcess(env);
    const charities: Array<{ id: string; apiKey: string }> = [];
    for (const name of ['甲', '乙']) {
      const response = await graphql(
        running.graphqlUrl,
        REGISTER_CHARITY,
        { input: { name, creditCode: newCreditCode(), kind: 'SOCIAL_SERVICE_AGENCY' } },
        adminKey,
      );
      charities.push({ id: response.data!.registerCharity.charity.id, apiKey: response.data!.registerCharity.apiKey });
    }

    const acknowledged: Array<{ charityId: string; idempotencyKey: string; hash: string; sequence: number }> = [];
    let stopping = false;
    const url = running.graphqlUrl;
    const client = async (index: number) => {
      const charity = charities[index % charities.length];
      while (!stopping) {
        const input = donationInput(charity.id);
        try {
          const response = await graphql(url, RECORD_DONATION, { input }, charity.apiKey);
          const entry = response.data?.recordDonation;
          if (entry) acknowledged.push({ charityId: charity.id, idempotencyKey: input.idempotencyKey as string, hash: entry.hash, sequence: entry.sequence });
        } catch {
          return; // the connection died with the process: this request was not acknowledged
        }
      }
    };
    const clients = Array.from({ length: 16 }, (_, index) => client(index));
    while (acknowledged.length < 300) await new Promise((done) => setTimeout(done, 20));
    await running.kill();
    stopping = true;
    await Promise.all(clients);

    running = await startServiceProcess(env);
    const stored = await db.query<{ charity_id: string; idempotency_key: string; hash: string; sequence: string }>(
      'SELECT charity_id, idempotency_key, hash, sequence FROM ledger_entry',
    );
    const byKey = new Map(stored.map((row) => [`${row.charity_id}/${row.idempotency_key}`, row]));
    const missing = acknowledged.filter((ack) => byKey.get(`${ack.charityId}/${ack.idempotencyKey}`)?.hash !== ack.hash);
    expect(missing).toEqual([]);
    expect(acknowledged.length).toBeGreaterThanOrEqual(300);
    for (const charity of charities) {
      const verified = await graphql(running.graphqlUrl, `{ verifyChain(charityId: "${charity.id}") { valid length } }`);
      expect(verified.data!.verifyChain.valid).toBe(true);
      const length = stored.filter((row) => row.charity_id === charity.id).length;
      expect(verified.data!.verifyChain.length).toBe(length);
      // the restarted service rebuilds the charity's books from its chain and appends after it
      const next = await graphql(running.graphqlUrl, RECORD_DONATION, { input: donationInput(charity.id) }, charity.apiKey);
      expect(next.data!.recordDonation.sequence).toBe(length + 1);
    }
  });
});
