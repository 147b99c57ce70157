import { chainLength, codeOf, donationInput, RECORD_DONATION, registerCharity, startTestApp, type GraphQLResponse, type TestApp } from './support/test-app.js';

const sha = (character: string) => character.repeat(64);
const NOW = () => new Date(Date.now() - 60_000).toISOString();

const OPEN_PROJECT = `mutation Open($input: OpenProjectInput!) { openProject(input: $input) { sequence type payload } }`;
const CLOSE_PROJECT = `mutation Close($input: CloseProjectInput!) { closeProject(input: $input) { sequence payload } }`;
const PROCURE = `mutation Procure($input: RecordProcurementInput!) { recordProcurement(input: $input) { sequence payload } }`;
const EXPENSE = `mutation Expense($input: RecordExpenseInput!) { recordExpense(input: $input) { sequence } }`;
const SELECT = `mutation Select($input: SelectBeneficiariesInput!) { selectBeneficiaries(input: $input) { sequence payload } }`;
const DISBURSE = `mutation Disburse($input: RecordDisbursementInput!) { recordDisbursement(input: $input) { sequence } }`;
const REVERSE = `mutation Reverse($input: ReverseEntryInput!) { reverseEntry(input: $input) { sequence payload } }`;
const REFUND = `mutation Refund($input: RefundDonationInput!) { refundDonation(input: $input) { sequence payload } }`;
const TRACE = `query Trace($code: String!) { traceDonation(receiptCode: $code) {
  charityName sequence kind amount { amount currency } restriction { kind projectId } reversed
  uses { sequence type amount { amount } projectId costClass reversed }
  goods { lotId source itemCode unit units amount { amount } deliveredUnits inStockUnits reversed }
  deliveries { sequence itemCode units regionCode district street date reversed }
  attributed { amount } refunded { amount } unspent { amount } } }`;
const PROJECT_BALANCE = `query PB($charityId: ID!, $projectId: String!) { projectBalance(charityId: $charityId, projectId: $projectId) {
  status receivedRestricted { amount } availableRestricted { amount } availablePool { amount } available { amount }
  spent { charitableActivity { amount } management { amount } total { amount } } goodsInStock { itemCode units } } }`;
const CHARITY_BALANCE = `query CB($charityId: ID!) { charityBalance(charityId: $charityId) {
  receivedRestricted { amount } receivedUnrestricted { amount } refunded { amount } available { amount }
  spent { total { amount } } goodsInStock { itemCode units } } }`;

let keyCounter = 0;
const key = (label: string) => `${label}-${++keyCounter}-${Date.now()}`;

describe('fund flow and donor tracing', () => {
  let app: TestApp;
  let charity: { id: string; apiKey: string };

  beforeAll(async () => {
    app = await startTestApp();
    charity = await registerCharity(app, '深圳市阳光助残慈善基金会');
  });

  afterAll(async () => {
    await app.close();
  });

  const as = (query: string, input: Record<string, unknown>) =>
    app.gql(query, { input: { charityId: charity.id, idempotencyKey: key('k'), ...input } }, charity.apiKey);

  const openProject = (projectId: string, extra: Record<string, unknown> = {}) =>
    as(OPEN_PROJECT, {
      projectId,
      title: '轮椅进社区',
      purpose: 'Wheelchairs for residents with limited mobility',
      category: 'DISABILITY_SUPPORT',
      region: { code: 'SZ-FUTIAN-YUANLING' },
      startDate: '2026-01-01',
      endDate: '2026-12-31',
      budget: '50000.00',
      currency: 'CNY',
      publicFundraising: true,
      ...extra,
    });

  const procure = (projectId: string, quantity: number, unitPrice: string, extra: Record<string, unknown> = {}) =>
    as(PROCURE, {
      projectId,
      supplier: { name: '深圳康复器材有限公司', creditCode: '91350100M000100Y43' },
      lines: [{ description: 'Manual wheelchair', itemCode: 'WHEELCHAIR-STD', quantity, unit: 'piece', unitPrice }],
      total: (Number(unitPrice) * quantity).toFixed(2),
      currency: 'CNY',
      invoice: { sha256: sha('a'), uri: 'https://example.org/invoices/1.pdf' },
      purchasedAt: NOW(),
      ...extra,
    });

  const disburse = (projectId: string, beneficiary: string, quantity: number) =>
    as(DISBURSE, {
      projectId,
      beneficiary,
      goods: [{ itemCode: 'WHEELCHAIR-STD', quantity }],
      method: 'DELIVERY',
      disbursedAt: NOW(),
      deliveryEvidenceSha256: sha('d'),
    });

  it('traces two gifts through a purchase, a selection and deliveries, with a corrected delivery', async () => {
    expect((await openProject('P-WHEELCHAIRS')).errors).toBeUndefined();

    const restricted = await app.gql(
      RECORD_DONATION.replace('payload }', 'payload receiptCode }'),
      { input: donationInput(charity.id, { amount: '600.00', restriction: { kind: 'PROJECT', projectId: 'P-WHEELCHAIRS' } }) },
      charity.apiKey,
    );
    const pooled = await app.gql(
      RECORD_DONATION.replace('payload }', 'payload receiptCode }'),
      { input: donationInput(charity.id, { amount: '1000.00' }) },
      charity.apiKey,
    );
    const codeA: string = restricted.data!.recordDonation.receiptCode;
    const codeB: string = pooled.data!.recordDonation.receiptCode;
    expect(codeA).toMatch(/^RC-/);

    const purchase = await procure('P-WHEELCHAIRS', 4, '200.00');
    expect(purchase.errors).toBeUndefined();
    const selection = await as(SELECT, {
      projectId: 'P-WHEELCHAIRS',
      criteria: { text: 'Residents of Yuanling with a mobility disability certificate', version: '2026-1' },
      decisionBody: 'Project committee',
      decidedOn: '2026-02-01',
      beneficiaries: ['ps-aaaaaaaa', 'ps-bbbbbbbb', 'ps-cccccccc'].map((pseudonym) => ({
        pseudonym,
        commitment: sha('c'),
        region: { code: 'SZ-FUTIAN-YUANLING' },
      })),
    });
    expect(selection.errors).toBeUndefined();
    expect(JSON.stringify(selection.data)).not.toMatch(/张|李|王/);

    const first = (await disburse('P-WHEELCHAIRS', 'ps-aaaaaaaa', 1)).data!.recordDisbursement.sequence;
    const second = (await disburse('P-WHEELCHAIRS', 'ps-bbbbbbbb', 1)).data!.recordDisbursement.sequence;
    const wrong = (await disburse('P-WHEELCHAIRS', 'ps-cccccccc', 2)).data!.recordDisbursement.sequence;
    const reversal = await as(REVERSE, { sequence: wrong, reason: '更正：误录为两台，实际发放一台' });
    expect(reversal.errors).toBeUndefined();
    const corrected = (await disburse('P-WHEELCHAIRS', 'ps-cccccccc', 1)).data!.recordDisbursement.sequence;

    // the reversed entry stays on the chain, marked, with a link to its reversal
    const reversedEntry = await app.gql(`{ ledgerEntry(charityId: "${charity.id}", sequence: ${wrong}) { reversed reversedBy } }`);
    expect(reversedEntry.data!.ledgerEntry).toEqual({ reversed: true, reversedBy: reversal.data!.reverseEntry.sequence });

    // gift A (restricted to the project) paid for 3 of the 4 wheelchairs, all delivered
    const traceA = (await app.gql(TRACE, { code: codeA })).data!.traceDonation;
    expect(traceA).toMatchObject({ charityName: '深圳市阳光助残慈善基金会', kind: 'CASH', amount: { amount: '600.00', currency: 'CNY' } });
    expect(traceA.uses).toEqual([
      { sequence: purchase.data!.recordProcurement.sequence, type: 'PROCUREMENT_RECORDED', amount: { amount: '600.00' }, projectId: 'P-WHEELCHAIRS', costClass: 'CHARITABLE_ACTIVITY', reversed: false },
    ]);
    expect(traceA.goods).toEqual([
      expect.objectContaining({ source: 'PROCUREMENT', itemCode: 'WHEELCHAIR-STD', units: '3', amount: { amount: '600.00' }, deliveredUnits: '3', inStockUnits: '0' }),
    ]);
    expect(traceA.deliveries.map((delivery: { sequence: number; units: string; reversed: boolean }) => [delivery.sequence, delivery.units, delivery.reversed])).toEqual([
      [first, '1', false],
      [second, '1', false],
      [wrong, '1', true],
      [corrected, '1', false],
    ]);
    expect(traceA.deliveries[0]).toMatchObject({ regionCode: 'SZ-FUTIAN-YUANLING', district: 'SZ-FUTIAN', street: 'SZ-FUTIAN-YUANLING' });
    expect(JSON.stringify(traceA)).not.toContain('ps-');
    expect(traceA).toMatchObject({ attributed: { amount: '600.00' }, refunded: { amount: '0.00' }, unspent: { amount: '0.00' } });

    // gift B (the pool) paid for the 4th wheelchair, which is back in stock after the correction
    const traceB = (await app.gql(TRACE, { code: codeB })).data!.traceDonation;
    expect(traceB.uses).toEqual([expect.objectContaining({ amount: { amount: '200.00' }, reversed: false })]);
    expect(traceB.goods).toEqual([expect.objectContaining({ units: '1', deliveredUnits: '0', inStockUnits: '1' })]);
    expect(traceB.deliveries).toEqual([expect.objectContaining({ sequence: wrong, reversed: true })]);
    expect(traceB).toMatchObject({ attributed: { amount: '200.00' }, unspent: { amount: '800.00' } });
    // attributed + refunded + unspent = the gift, for both
    for (const trace of [traceA, traceB]) {
      const sum = Number(trace.attributed.amount) + Number(trace.refunded.amount) + Number(trace.unspent.amount);
      expect(sum.toFixed(2)).toBe(trace.amount.amount);
    }

    const project = (await app.gql(PROJECT_BALANCE, { charityId: charity.id, projectId: 'P-WHEELCHAIRS' })).data!.projectBalance;
    expect(project).toEqual({
      status: 'OPEN',
      receivedRestricted: { amount: '600.00' },
      availableRestricted: { amount: '0.00' },
      availablePool: { amount: '800.00' },
      available: { amount: '800.00' },
      spent: { charitableActivity: { amount: '800.00' }, management: { amount: '0.00' }, total: { amount: '800.00' } },
      goodsInStock: [{ itemCode: 'WHEELCHAIR-STD', units: 1 }],
    });
    const balance = (await app.gql(CHARITY_BALANCE, { charityId: charity.id })).data!.charityBalance;
    expect(balance).toMatchObject({ receivedRestricted: { amount: '600.00' }, receivedUnrestricted: { amount: '1000.00' }, available: { amount: '800.00' } });
    expect(balance.spent.total.amount).toBe('800.00');

    const purchaseTrace = await app.gql(
      `{ traceEntry(charityId: "${charity.id}", sequence: ${purchase.data!.recordProcurement.sequence}) { gift { sequence } funding { donationSequence kind amount { amount } } } }`,
    );
    expect(purchaseTrace.data!.traceEntry).toEqual({
      gift: null,
      funding: [
        { donationSequence: restricted.data!.recordDonation.sequence, kind: 'MONEY', amount: { amount: '600.00' } },
        { donationSequence: pooled.data!.recordDonation.sequence, kind: 'MONEY', amount: { amount: '200.00' } },
      ],
    });
    expect((await app.gql(`{ verifyChain(charityId: "${charity.id}") { valid } }`)).data!.verifyChain.valid).toBe(true);
  });

  it('refunds unspent restricted money and shows it in the trace', async () => {
    await openProject('P-REFUND');
    const gift = await app.gql(
      RECORD_DONATION.replace('payload }', 'payload receiptCode }'),
      { input: donationInput(charity.id, { amount: '300.00', restriction: { kind: 'PROJECT', projectId: 'P-REFUND' } }) },
      charity.apiKey,
    );
    const refund = await as(REFUND, { donationSequence: gift.data!.recordDonation.sequence, currency: 'CNY', reason: 'Project cancelled', refundedAt: NOW() });
    expect(refund.data!.refundDonation.payload.amount).toEqual({ currency: 'CNY', minorUnits: 30000 });
    const trace = (await app.gql(TRACE, { code: gift.data!.recordDonation.receiptCode })).data!.traceDonation;
    expect(trace).toMatchObject({ attributed: { amount: '0.00' }, refunded: { amount: '300.00' }, unspent: { amount: '0.00' } });
  });

  it('moves a closing project’s leftovers to a similar project (Art. 58)', async () => {
    await openProject('P-OLD');
    await openProject('P-NEW');
    await app.gql(RECORD_DONATION, { input: donationInput(charity.id, { amount: '50.00', restriction: { kind: 'PROJECT', projectId: 'P-OLD' } }) }, charity.apiKey);
    const closed = await as(CLOSE_PROJECT, {
      projectId: 'P-OLD',
      closedOn: '2026-06-30',
      leftover: { handling: 'TRANSFER_TO_PROJECT', targetProjectId: 'P-NEW', explanation: 'Same purpose; announced on 2026-06-30' },
    });
    expect(closed.errors).toBeUndefined();
    const balance = (await app.gql(PROJECT_BALANCE, { charityId: charity.id, projectId: 'P-NEW' })).data!.projectBalance;
    expect(balance.availableRestricted).toEqual({ amount: '50.00' });
    const old = (await app.gql(PROJECT_BALANCE, { charityId: charity.id, projectId: 'P-OLD' })).data!.projectBalance;
    expect(old).toMatchObject({ status: 'CLOSED', available: { amount: '0.00' } });
  });

  describe('every refusal has a code and writes nothing', () => {
    beforeAll(async () => {
      await openProject('P-RULES');
      await openProject('P-CLOSED');
      await as(CLOSE_PROJECT, { projectId: 'P-CLOSED', closedOn: '2026-01-02', leftover: { handling: 'NONE', explanation: 'Nothing was raised' } });
      await app.gql(RECORD_DONATION, { input: donationInput(charity.id, { amount: '100.00', restriction: { kind: 'PROJECT', projectId: 'P-RULES' } }) }, charity.apiKey);
      await procure('P-RULES', 1, '50.00');
      await as(SELECT, {
        projectId: 'P-RULES',
        criteria: { text: 'x', version: '1' },
        decisionBody: 'committee',
        decidedOn: '2026-02-01',
        beneficiaries: [{ pseudonym: 'ps-rules-1', commitment: sha('e'), region: { code: '440100' } }],
      });
    });

    // every row has four cells: with fewer, Jest would pass its `done` callback as the last argument
    const cases: Array<[string, () => Promise<GraphQLResponse>, string, string]> = [
      ['an unknown project', () => procure('P-NOPE', 1, '1.00'), 'NOT_FOUND', 'input.projectId'],
      ['a total that does not add up', () => procure('P-RULES', 2, '10.00', { total: '25.00' }), 'BAD_USER_INPUT', 'input.total'],
      ['a purchase date in the future', () => procure('P-RULES', 1, '1.00', { purchasedAt: new Date(Date.now() + 86_400_000).toISOString() }), 'BAD_USER_INPUT', 'input.purchasedAt'],
      ['a quantity of zero', () => procure('P-RULES', 0, '1.00'), 'BAD_USER_INPUT', 'input.lines[0].quantity'],
      ['a negative unit price', () => procure('P-RULES', 1, '-1.00'), 'BAD_USER_INPUT', 'input.lines[0].unitPrice'],
      ['a supplier with a bad credit code', () => procure('P-RULES', 1, '1.00', { supplier: { name: 'x', creditCode: '91350100M000100Y44' } }), 'BAD_USER_INPUT', 'input.supplier.creditCode'],
      ['spending beyond the project’s gifts and the pool', () => procure('P-RULES', 1_000_000, '100.00'), 'INSUFFICIENT_FUNDS', ''],
      ['an expense beyond the pool', () => as(EXPENSE, { costClass: 'MANAGEMENT', amount: '99999999.00', currency: 'CNY', description: 'rent', evidenceSha256: sha('b'), incurredAt: NOW() }), 'INSUFFICIENT_FUNDS', ''],
      ['goods beyond stock', () => disburse('P-RULES', 'ps-rules-1', 2), 'INSUFFICIENT_GOODS', 'input.goods[0].quantity'],
      ['a beneficiary not selected for the project', () => disburse('P-RULES', 'ps-not-selected', 1), 'BAD_USER_INPUT', 'input.beneficiary'],
      ['spending on a closed project', () => procure('P-CLOSED', 1, '1.00'), 'BAD_USER_INPUT', 'input.projectId'],
      ['another currency', () => procure('P-RULES', 1, '1.00', { currency: 'USD' }), 'BAD_USER_INPUT', 'input.currency'],
      ['a pseudonym that is an ID number', () => as(SELECT, { projectId: 'P-RULES', criteria: { text: 'x', version: '1' }, decisionBody: 'c', decidedOn: '2026-02-01', beneficiaries: [{ pseudonym: '440304199001011234', commitment: sha('e'), region: { code: 'SZ-FUTIAN' } }] }), 'BAD_USER_INPUT', 'input.beneficiaries[0].pseudonym'],
      ['an unknown region code', () => openProject('P-X', { region: { code: 'SZ-FUTIAN-NOWHERE' } }), 'BAD_USER_INPUT', 'input.region.code'],
      ['a project id that exists', () => openProject('P-RULES'), 'CONFLICT', 'input.projectId'],
      ['an end date before the start', () => openProject('P-Y', { startDate: '2026-05-01', endDate: '2026-04-01' }), 'BAD_USER_INPUT', 'input.endDate'],
      ['closing with leftovers and no transfer', () => as(CLOSE_PROJECT, { projectId: 'P-RULES', closedOn: '2026-03-01', leftover: { handling: 'NONE', explanation: 'x' } }), 'BAD_USER_INPUT', 'input.leftover.handling'],
      ['refunding an unrestricted gift', async () => {
        const gift = await app.gql(RECORD_DONATION, { input: donationInput(charity.id) }, charity.apiKey);
        return as(REFUND, { donationSequence: gift.data!.recordDonation.sequence, currency: 'CNY', reason: 'x', refundedAt: NOW() });
      }, 'BAD_USER_INPUT', 'input.donationSequence'],
      ['reversing an entry that does not exist', () => as(REVERSE, { sequence: 99_999, reason: 'x' }), 'NOT_FOUND', 'input.sequence'],
    ];

    it.each(cases)('%s', async (_label, attempt, code, field) => {
      const before = await chainLength(app, charity.id);
      // a case may record a gift first (refunds); count after that
      const response = await attempt();
      const after = await chainLength(app, charity.id);
      expect(codeOf(response)).toBe(code);
      if (field) expect(response.errors![0].extensions!.field).toBe(field);
      expect(after - before).toBeLessThanOrEqual(_label.startsWith('refunding') ? 1 : 0);
    });

    it('refuses reversing a reversal, reversing twice, and reversing another charity’s entry', async () => {
      const spend = await as(EXPENSE, { projectId: 'P-RULES', costClass: 'CHARITABLE_ACTIVITY', amount: '1.00', currency: 'CNY', description: 'x', evidenceSha256: sha('b'), incurredAt: NOW() });
      const reversal = await as(REVERSE, { sequence: spend.data!.recordExpense.sequence, reason: 'x' });
      const before = await chainLength(app, charity.id);
      expect(codeOf(await as(REVERSE, { sequence: reversal.data!.reverseEntry.sequence, reason: 'x' }))).toBe('BAD_USER_INPUT');
      expect(codeOf(await as(REVERSE, { sequence: spend.data!.recordExpense.sequence, reason: 'x' }))).toBe('CONFLICT');
      const other = await registerCharity(app, '另一家慈善会');
      const foreign = await app.gql(REVERSE, { input: { charityId: other.id, idempotencyKey: key('r'), sequence: 1, reason: 'x' } }, charity.apiKey);
      expect(codeOf(foreign)).toBe('FORBIDDEN');
      expect(await chainLength(app, charity.id)).toBe(before);
    });

    it('answers an unknown or malformed receipt code clearly', async () => {
      expect(codeOf(await app.gql(TRACE, { code: 'RC-0000-0000-0000-0000-0000' }))).toBe('NOT_FOUND');
      expect(codeOf(await app.gql(TRACE, { code: 'not a code' }))).toBe('BAD_USER_INPUT');
    });
  });
});
