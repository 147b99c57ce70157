import { chainLength, codeOf, donationInput, newCreditCode, RECORD_DONATION, REGISTER_CHARITY, registerCharity, startTestApp, type TestApp } from './support/test-app.js';

const RECORD_IN_KIND = `
  mutation RecordInKind($input: RecordInKindDonationInput!) {
    recordInKindDonation(input: $input) { sequence type payload hash }
  }`;
const RECORD_MANY = `
  mutation RecordMany($inputs: [RecordDonationInput!]!) {
    recordDonations(inputs: $inputs) { sequence position hash prevHash }
  }`;

describe('donations', () => {
  let app: TestApp;
  let charity: { id: string; apiKey: string };

  beforeAll(async () => {
    app = await startTestApp();
    charity = await registerCharity(app, '深圳市阳光助残慈善基金会');
  });

  afterAll(async () => {
    await app.close();
  });

  async function record(overrides: Record<string, unknown> = {}) {
    return app.gql(RECORD_DONATION, { input: donationInput(charity.id, overrides) }, charity.apiKey);
  }

  it('records a cash gift as integer fen with the Art. 38 receipt fields', async () => {
    const response = await record({ amount: '1234.5', restriction: { kind: 'PURPOSE', purpose: '助学' } });
    expect(response.errors).toBeUndefined();
    const entry = response.data!.recordDonation;
    expect(entry.type).toBe('CASH_DONATION');
    expect(entry.payload.amount).toEqual({ currency: 'CNY', minorUnits: 123450 });
    expect(entry.payload.restriction).toEqual({ kind: 'PURPOSE', purpose: '助学' });
    expect(entry.payload.receipt).toEqual({
      donor: entry.payload.donor.reference,
      property: 'CASH',
      quantity: '1234.50 CNY',
      organisation: '深圳市阳光助残慈善基金会',
      handler: '王会计',
      date: '2026-11-01',
    });
    expect(JSON.parse(entry.canonicalJson).payload).toEqual(entry.payload);
    expect(entry.occurredAt).toBe('2026-11-01T09:30:00.000Z');
  });

  it("publishes a donor's name only with consent; otherwise the ledger holds a random reference", async () => {
    const anonymous = (await record({ donor: { name: '李秘密', publishName: false } })).data!.recordDonation;
    expect(anonymous.payload.donor).toEqual({ type: 'INDIVIDUAL', anonymous: true, reference: expect.stringMatching(/^dnr_[A-Za-z0-9_-]{22}$/) });
    expect(anonymous.canonicalJson).not.toContain('李秘密');
    const stored = await app.db.query('SELECT canonical_json::text AS bytes, payload::text AS payload FROM ledger_entry WHERE charity_id = $1 AND sequence = $2', [
      charity.id,
      anonymous.sequence,
    ]);
    expect(JSON.stringify(stored)).not.toContain('李秘密');
    const second = (await record({ donor: { name: '李秘密', publishName: false } })).data!.recordDonation;
    expect(second.payload.donor.reference).not.toBe(anonymous.payload.donor.reference);

    const named = (await record({ donor: { name: '王慷慨', publishName: true, type: 'INDIVIDUAL' } })).data!.recordDonation;
    expect(named.payload.donor).toEqual({ type: 'INDIVIDUAL', displayName: '王慷慨' });
  });

  it('records an in-kind gift with items, valuation basis, fair value and condition', async () => {
    const response = await app.gql(
      RECORD_IN_KIND,
      {
        input: {
          charityId: charity.id,
          idempotencyKey: 'goods-1',
          donor: { name: '深圳某企业', publishName: true, type: 'ORGANISATION' },
          items: [
            { itemCode: 'WHEELCHAIR-STD', description: 'Manual wheelchair', quantity: 20, unit: 'piece' },
            { itemCode: 'RICE-5KG', description: '大米 5 kg', quantity: 100, unit: 'bag' },
          ],
          valuationBasis: 'INVOICE',
          fairValue: '21000.00',
          currency: 'CNY',
          condition: 'NEW',
          receivedAt: '2026-11-02T10:00:00.000Z',
          handler: '王会计',
        },
      },
      charity.apiKey,
    );
    expect(response.errors).toBeUndefined();
    const entry = response.data!.recordInKindDonation;
    expect(entry.type).toBe('IN_KIND_DONATION');
    expect(entry.payload.items).toHaveLength(2);
    expect(entry.payload.valuation).toEqual({ basis: 'INVOICE', fairValue: { currency: 'CNY', minorUnits: 2100000 } });
    expect(entry.payload.receipt.quantity).toBe('20 piece Manual wheelchair; 100 bag 大米 5 kg');
  });

  describe('idempotency', () => {
    it('returns the original entry for a retry with the same key and input', async () => {
      const input = donationInput(charity.id, { amount: '88.00' });
      const first = (await app.gql(RECORD_DONATION, { input }, charity.apiKey)).data!.recordDonation;
      const before = await chainLength(app, charity.id);
      const retry = (await app.gql(RECORD_DONATION, { input }, charity.apiKey)).data!.recordDonation;
      expect(retry).toEqual(first);
      expect(await chainLength(app, charity.id)).toBe(before);
    });

    it('refuses the same key with a different input as CONFLICT, writing nothing', async () => {
      const input = donationInput(charity.id, { amount: '10.00' });
      await app.gql(RECORD_DONATION, { input }, charity.apiKey);
      const before = await chainLength(app, charity.id);
      const response = await app.gql(RECORD_DONATION, { input: { ...input, amount: '11.00' } }, charity.apiKey);
      expect(codeOf(response)).toBe('CONFLICT');
      expect(response.errors![0].message).toContain(input.idempotencyKey as string);
      expect(await chainLength(app, charity.id)).toBe(before);
    });

    it('gives concurrent duplicates of one request a single entry', async () => {
      const input = donationInput(charity.id);
      const before = await chainLength(app, charity.id);
      const responses = await Promise.all(Array.from({ length: 8 }, () => app.gql(RECORD_DONATION, { input }, charity.apiKey)));
      const hashes = new Set(responses.map((response) => response.data!.recordDonation.hash));
      expect(hashes.size).toBe(1);
      expect(await chainLength(app, charity.id)).toBe(before + 1);
    });
  });

  describe('bad input is BAD_USER_INPUT naming the field, and writes nothing', () => {
    it.each([
      ['a negative amount', { amount: '-5.00' }, 'input.amount'],
      ['a zero amount', { amount: '0.00' }, 'input.amount'],
      ['a float-like amount', { amount: '1e3' }, 'input.amount'],
      ['three decimals', { amount: '1.234' }, 'input.amount'],
      ['an unknown currency', { currency: 'ABC' }, 'input.currency'],
      ['a currency other than the books’', { currency: 'USD' }, 'input.currency'],
      ['a lower-case currency', { currency: 'cny' }, 'input.currency'],
      ['an oversize donor name', { donor: { name: 'x'.repeat(201) } }, 'input.donor.name'],
      ['an oversize handler', { handler: '经'.repeat(101) }, 'input.handler'],
      ['an empty handler', { handler: '  ' }, 'input.handler'],
      ['a published name that is missing', { donor: { publishName: true } }, 'input.donor.name'],
      ['a receipt date in the future', { receivedAt: new Date(Date.now() + 3_600_000).toISOString() }, 'input.receivedAt'],
      ['a project restriction without a project', { restriction: { kind: 'PROJECT' } }, 'input.restriction.projectId'],
      ['a purpose restriction without a purpose', { restriction: { kind: 'PURPOSE' } }, 'input.restriction.purpose'],
      ['an empty idempotency key', { idempotencyKey: '' }, 'input.idempotencyKey'],
      ['an oversize idempotency key', { idempotencyKey: 'k'.repeat(129) }, 'input.idempotencyKey'],
      ['a charity id that is not a UUID', { charityId: 'charity-1' }, 'input.charityId'],
    ])('%s', async (_label, overrides, field) => {
      const before = await chainLength(app, charity.id);
      const response = await record(overrides);
      expect(codeOf(response)).toBe('BAD_USER_INPUT');
      expect(response.errors![0].message).toContain(field);
      expect(response.errors![0].extensions!.field).toBe(field);
      expect(response.data).toBeNull();
      expect(await chainLength(app, charity.id)).toBe(before);
    });

    it('a gift restricted to a project the charity does not have is NOT_FOUND', async () => {
      const before = await chainLength(app, charity.id);
      const response = await record({ restriction: { kind: 'PROJECT', projectId: 'P-NOPE' } });
      expect(codeOf(response)).toBe('NOT_FOUND');
      expect(response.errors![0].extensions!.field).toBe('input.restriction.projectId');
      expect(await chainLength(app, charity.id)).toBe(before);
    });

    it('an amount that is not a string is refused by GraphQL itself', async () => {
      const before = await chainLength(app, charity.id);
      const response = await record({ amount: 12.5 });
      expect(codeOf(response)).toBe('BAD_USER_INPUT');
      expect(await chainLength(app, charity.id)).toBe(before);
    });

    it('an unknown charity is FORBIDDEN to write and NOT_FOUND to read', async () => {
      const missing = '00000000-0000-4000-8000-000000000000';
      const response = await app.gql(RECORD_DONATION, { input: donationInput(missing) }, charity.apiKey);
      expect(codeOf(response)).toBe('FORBIDDEN');
      const read = await app.gql(`{ ledgerEntries(charityId: "${missing}") { totalCount } }`);
      expect(codeOf(read)).toBe('NOT_FOUND');
      const entry = await app.gql(`{ ledgerEntry(charityId: "${charity.id}", sequence: 99999) { hash } }`);
      expect(codeOf(entry)).toBe('NOT_FOUND');
    });
  });

  describe('registerCharity refuses bad input and writes nothing', () => {
    const count = async () => Number((await app.db.query('SELECT count(*) AS n FROM charity'))[0].n);

    it.each([
      ['an empty name', { name: '   ' }, 'input.name'],
      ['an oversize name', { name: '慈'.repeat(201) }, 'input.name'],
      ['a credit code with a bad check character', { creditCode: '91350100M000100Y44' }, 'input.creditCode'],
      ['a credit code of the wrong length', { creditCode: '91350100M000100Y4' }, 'input.creditCode'],
      ['a credit code with a forbidden letter', { creditCode: '91350100M0001O0Y43' }, 'input.creditCode'],
      ['an unknown currency', { currency: 'XYZ' }, 'input.currency'],
    ])('%s', async (_label, overrides, field) => {
      const before = await count();
      const response = await app.gql(
        REGISTER_CHARITY,
        { input: { name: '某慈善会', creditCode: newCreditCode(), kind: 'SOCIAL_ORGANISATION', ...overrides } },
        app.adminKey,
      );
      expect(codeOf(response)).toBe('BAD_USER_INPUT');
      expect(response.errors![0].message).toContain(field);
      expect(await count()).toBe(before);
    });

    it('refuses a credit code that is already registered as CONFLICT', async () => {
      const creditCode = newCreditCode();
      const input = { name: '甲', creditCode, kind: 'SOCIAL_SERVICE_AGENCY' };
      expect((await app.gql(REGISTER_CHARITY, { input }, app.adminKey)).errors).toBeUndefined();
      const before = await count();
      const again = await app.gql(REGISTER_CHARITY, { input: { ...input, name: '乙' } }, app.adminKey);
      expect(codeOf(again)).toBe('CONFLICT');
      expect(await count()).toBe(before);
    });
  });

  describe('recordDonations', () => {
    it('appends a batch of 1,000 in order, as one contiguous run of the chain', async () => {
      const before = await chainLength(app, charity.id);
      const inputs = Array.from({ length: 1000 }, (_, index) => donationInput(charity.id, { amount: `${index + 1}.00` }));
      const response = await app.gql(RECORD_MANY, { inputs }, charity.apiKey);
      expect(response.errors).toBeUndefined();
      const entries = response.data!.recordDonations as Array<{ sequence: number; hash: string; prevHash: string }>;
      expect(entries.map((entry) => entry.sequence)).toEqual(Array.from({ length: 1000 }, (_, index) => before + index + 1));
      for (let index = 1; index < entries.length; index++) expect(entries[index].prevHash).toBe(entries[index - 1].hash);
      const verified = await app.gql(`{ verifyChain(charityId: "${charity.id}") { valid length } }`);
      expect(verified.data!.verifyChain).toEqual({ valid: true, length: before + 1000 });
    });

    it('writes nothing when one donation of the batch is bad, and names it', async () => {
      const before = await chainLength(app, charity.id);
      const inputs = Array.from({ length: 50 }, () => donationInput(charity.id));
      inputs[37] = donationInput(charity.id, { amount: '1.001' });
      const response = await app.gql(RECORD_MANY, { inputs }, charity.apiKey);
      expect(codeOf(response)).toBe('BAD_USER_INPUT');
      expect(response.errors![0].extensions!.field).toBe('inputs[37].amount');
      expect(await chainLength(app, charity.id)).toBe(before);
    });

    it('names the donation of a batch that the books refuse', async () => {
      const before = await chainLength(app, charity.id);
      const inputs = Array.from({ length: 5 }, () => donationInput(charity.id));
      inputs[3] = donationInput(charity.id, { restriction: { kind: 'PROJECT', projectId: 'P-NOPE' } });
      const response = await app.gql(RECORD_MANY, { inputs }, charity.apiKey);
      expect(codeOf(response)).toBe('NOT_FOUND');
      expect(response.errors![0].extensions!.field).toBe('inputs[3].restriction.projectId');
      expect(await chainLength(app, charity.id)).toBe(before);
    });

    it('refuses more than 1,000, an empty batch, and a batch that reuses a key for different gifts', async () => {
      const before = await chainLength(app, charity.id);
      const tooMany = Array.from({ length: 1001 }, () => donationInput(charity.id));
      expect(codeOf(await app.gql(RECORD_MANY, { inputs: tooMany }, charity.apiKey))).toBe('BAD_USER_INPUT');
      expect(codeOf(await app.gql(RECORD_MANY, { inputs: [] }, charity.apiKey))).toBe('BAD_USER_INPUT');
      const reused = [donationInput(charity.id), donationInput(charity.id)];
      reused[1].idempotencyKey = reused[0].idempotencyKey;
      reused[1].amount = '2.00';
      expect(codeOf(await app.gql(RECORD_MANY, { inputs: reused }, charity.apiKey))).toBe('CONFLICT');
      expect(await chainLength(app, charity.id)).toBe(before);
    });

    it('returns the original entries when a batch is retried', async () => {
      const inputs = Array.from({ length: 5 }, () => donationInput(charity.id));
      const first = await app.gql(RECORD_MANY, { inputs }, charity.apiKey);
      const before = await chainLength(app, charity.id);
      const retry = await app.gql(RECORD_MANY, { inputs }, charity.apiKey);
      expect(retry.data).toEqual(first.data);
      expect(await chainLength(app, charity.id)).toBe(before);
    });
  });

  it('pages through a chain with cursors', async () => {
    const seen: number[] = [];
    let after: string | null = null;
    let total = 0;
    do {
      const response: any = await app.gql(
        `query Page($charityId: ID!, $after: String) { ledgerEntries(charityId: $charityId, first: 400, after: $after) { totalCount edges { node { sequence } } pageInfo { hasNextPage endCursor } } }`,
        { charityId: charity.id, after },
      );
      const page = response.data.ledgerEntries;
      total = page.totalCount;
      seen.push(...page.edges.map((edge: { node: { sequence: number } }) => edge.node.sequence));
      after = page.pageInfo.hasNextPage ? page.pageInfo.endCursor : null;
    } while (after);
    expect(seen).toEqual(Array.from({ length: total }, (_, index) => index + 1));
    const bad = await app.gql(`{ ledgerEntries(charityId: "${charity.id}", after: "bm9wZQ") { totalCount } }`);
    expect(codeOf(bad)).toBe('BAD_USER_INPUT');
    const big = await app.gql(`{ ledgerEntries(charityId: "${charity.id}", first: 501) { totalCount } }`);
    expect(codeOf(big)).toBe('BAD_USER_INPUT');
  });
});
