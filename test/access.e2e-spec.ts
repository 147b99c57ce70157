import { chainLength, codeOf, donationInput, newCreditCode, RECORD_DONATION, REGISTER_CHARITY, registerCharity, startTestApp, type TestApp } from './support/test-app.js';

const ISSUE_KEY = `mutation Issue($input: IssueApiKeyInput!) { issueApiKey(input: $input) { id apiKey role charityId } }`;
const READ_CHAIN = `query Chain($charityId: ID!) { ledgerEntries(charityId: $charityId) { totalCount edges { node { sequence } } } }`;
const VERIFY = `query Verify($charityId: ID!) { verifyChain(charityId: $charityId) { valid length } }`;

describe('access by role', () => {
  let app: TestApp;
  let charityA: { id: string; apiKey: string };
  let charityB: { id: string; apiKey: string };
  let regulatorKey: string;

  beforeAll(async () => {
    app = await startTestApp();
    charityA = await registerCharity(app, '甲慈善基金会');
    charityB = await registerCharity(app, '乙社会服务机构');
    const issued = await app.gql(ISSUE_KEY, { input: { role: 'REGULATOR', label: 'civil affairs' } }, app.adminKey);
    regulatorKey = issued.data!.issueApiKey.apiKey;
  });

  afterAll(async () => {
    await app.close();
  });

  it('stores keys only as hashes', async () => {
    const rows = await app.db.query<{ key_hash: string; key_prefix: string }>('SELECT key_hash, key_prefix FROM api_key');
    expect(rows.length).toBeGreaterThanOrEqual(4);
    const stored = JSON.stringify(rows);
    expect(stored).not.toContain(charityA.apiKey);
    expect(stored).not.toContain(regulatorKey);
    expect(stored).not.toContain(app.adminKey);
    for (const row of rows) expect(row.key_hash).toMatch(/^[0-9a-f]{64}$/);
  });

  describe('ADMIN', () => {
    it('registers charities and issues CHARITY and REGULATOR keys', async () => {
      const charity = await app.gql(ISSUE_KEY, { input: { role: 'CHARITY', charityId: charityA.id } }, app.adminKey);
      expect(charity.data!.issueApiKey).toMatchObject({ role: 'CHARITY', charityId: charityA.id });
      expect(charity.data!.issueApiKey.apiKey).toMatch(/^clk_[A-Za-z0-9_-]{43}$/);
      // the new key works at once
      const recorded = await app.gql(RECORD_DONATION, { input: donationInput(charityA.id) }, charity.data!.issueApiKey.apiKey);
      expect(recorded.data!.recordDonation.actorKeyId).toBe(charity.data!.issueApiKey.id);
    });

    it('may not write a ledger entry', async () => {
      const before = await chainLength(app, charityA.id);
      const response = await app.gql(RECORD_DONATION, { input: donationInput(charityA.id) }, app.adminKey);
      expect(codeOf(response)).toBe('FORBIDDEN');
      expect(await chainLength(app, charityA.id)).toBe(before);
    });

    it('refuses a CHARITY key without a charity, a REGULATOR key with one, and an unknown charity', async () => {
      const count = async () => Number((await app.db.query('SELECT count(*) AS n FROM api_key'))[0].n);
      const before = await count();
      expect(codeOf(await app.gql(ISSUE_KEY, { input: { role: 'CHARITY' } }, app.adminKey))).toBe('BAD_USER_INPUT');
      expect(codeOf(await app.gql(ISSUE_KEY, { input: { role: 'REGULATOR', charityId: charityA.id } }, app.adminKey))).toBe(
        'BAD_USER_INPUT',
      );
      expect(
        codeOf(await app.gql(ISSUE_KEY, { input: { role: 'CHARITY', charityId: '00000000-0000-4000-8000-000000000000' } }, app.adminKey)),
      ).toBe('NOT_FOUND');
      expect(await count()).toBe(before);
    });
  });

  describe('CHARITY', () => {
    it('writes its own ledger', async () => {
      const response = await app.gql(RECORD_DONATION, { input: donationInput(charityA.id) }, charityA.apiKey);
      expect(response.errors).toBeUndefined();
      expect(response.data!.recordDonation.charityId).toBe(charityA.id);
    });

    it("cannot write another charity's ledger", async () => {
      const before = await chainLength(app, charityB.id);
      const response = await app.gql(RECORD_DONATION, { input: donationInput(charityB.id) }, charityA.apiKey);
      expect(codeOf(response)).toBe('FORBIDDEN');
      expect(response.errors![0].message).toContain(charityB.id);
      expect(await chainLength(app, charityB.id)).toBe(before);
    });

    it('cannot register charities or issue keys', async () => {
      const register = await app.gql(
        REGISTER_CHARITY,
        { input: { name: 'x', creditCode: newCreditCode(), kind: 'SOCIAL_ORGANISATION' } },
        charityA.apiKey,
      );
      expect(codeOf(register)).toBe('FORBIDDEN');
      expect(codeOf(await app.gql(ISSUE_KEY, { input: { role: 'REGULATOR' } }, charityA.apiKey))).toBe('FORBIDDEN');
    });
  });

  describe('REGULATOR', () => {
    it('reads every chain', async () => {
      const response = await app.gql(READ_CHAIN, { charityId: charityA.id }, regulatorKey);
      expect(response.data!.ledgerEntries.totalCount).toBeGreaterThan(0);
      expect((await app.gql(VERIFY, { charityId: charityB.id }, regulatorKey)).data!.verifyChain.valid).toBe(true);
    });

    it('writes nothing', async () => {
      const before = await chainLength(app, charityA.id);
      expect(codeOf(await app.gql(RECORD_DONATION, { input: donationInput(charityA.id) }, regulatorKey))).toBe('FORBIDDEN');
      expect(codeOf(await app.gql(ISSUE_KEY, { input: { role: 'REGULATOR' } }, regulatorKey))).toBe('FORBIDDEN');
      expect(await chainLength(app, charityA.id)).toBe(before);
    });
  });

  describe('PUBLIC (no key)', () => {
    it('reads the public ledger and charities', async () => {
      const chain = await app.gql(READ_CHAIN, { charityId: charityA.id });
      expect(chain.errors).toBeUndefined();
      expect(chain.data!.ledgerEntries.edges[0].node.sequence).toBe(1);
      const charities = await app.gql(`{ charities { edges { node { id } } } }`);
      expect(charities.data!.charities.edges.map((edge: { node: { id: string } }) => edge.node.id)).toEqual(
        expect.arrayContaining([charityA.id, charityB.id]),
      );
    });

    it('is asked for a key to write', async () => {
      const before = await chainLength(app, charityA.id);
      const response = await app.gql(RECORD_DONATION, { input: donationInput(charityA.id) });
      expect(codeOf(response)).toBe('UNAUTHENTICATED');
      expect(response.errors![0].message).toContain('Authorization: Bearer');
      expect(await chainLength(app, charityA.id)).toBe(before);
      const register = await app.gql(REGISTER_CHARITY, {
        input: { name: 'x', creditCode: newCreditCode(), kind: 'SOCIAL_ORGANISATION' },
      });
      expect(codeOf(register)).toBe('UNAUTHENTICATED');
    });

    it('cannot read private donor receipts', async () => {
      const response = await app.gql(`{ donationReceipt(charityId: "${charityA.id}", sequence: 1) { donor } }`);
      expect(codeOf(response)).toBe('UNAUTHENTICATED');
    });
  });

  it('refuses an unknown key and a malformed header, even on public reads', async () => {
    const unknown = await app.gql(READ_CHAIN, { charityId: charityA.id }, 'clk_not-a-real-key');
    expect(codeOf(unknown)).toBe('UNAUTHENTICATED');
    const malformed = await app
      .http()
      .post('/graphql')
      .set('content-type', 'application/json')
      .set('authorization', 'Basic abc')
      .send({ query: '{ charities { edges { cursor } } }' });
    expect(malformed.body.errors[0].extensions.code).toBe('UNAUTHENTICATED');
  });

  it('lets a charity read its private receipts but not another’s; a regulator reads both', async () => {
    const own = await app.gql(`{ donationReceipt(charityId: "${charityA.id}", sequence: 1) { donor namePublished } }`, {}, charityA.apiKey);
    expect(own.data!.donationReceipt).toEqual({ donor: '张三', namePublished: false });
    const other = await app.gql(`{ donationReceipt(charityId: "${charityA.id}", sequence: 1) { donor } }`, {}, charityB.apiKey);
    expect(codeOf(other)).toBe('FORBIDDEN');
    const regulator = await app.gql(`{ donationReceipt(charityId: "${charityA.id}", sequence: 1) { donor } }`, {}, regulatorKey);
    expect(regulator.data!.donationReceipt.donor).toBe('张三');
  });
});
