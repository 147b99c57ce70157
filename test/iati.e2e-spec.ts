import { allText, child, readXml, type XmlElement } from '../apps/api/src/iati/xml-reader.testing.js';
import { donationInput, newCreditCode, REGISTER_CHARITY, startTestApp, type TestApp } from './support/test-app.js';

const sha = (character: string) => character.repeat(64);
const OPEN_PROJECT = `mutation Open($input: OpenProjectInput!) { openProject(input: $input) { sequence } }`;
const RECORD_GIFTS = `mutation Gifts($inputs: [RecordDonationInput!]!) { recordDonations(inputs: $inputs) { sequence } }`;
const RECORD_GIFT = `mutation Gift($input: RecordDonationInput!) { recordDonation(input: $input) { sequence } }`;
const IN_KIND = `mutation InKind($input: RecordInKindDonationInput!) { recordInKindDonation(input: $input) { sequence } }`;
const PROCURE = `mutation Procure($input: RecordProcurementInput!) { recordProcurement(input: $input) { sequence } }`;
const EXPENSE = `mutation Expense($input: RecordExpenseInput!) { recordExpense(input: $input) { sequence } }`;
const SELECT = `mutation Select($input: SelectBeneficiariesInput!) { selectBeneficiaries(input: $input) { sequence } }`;
const DISBURSE = `mutation Disburse($input: RecordDisbursementInput!) { recordDisbursement(input: $input) { sequence } }`;
const REVERSE = `mutation Reverse($input: ReverseEntryInput!) { reverseEntry(input: $input) { sequence } }`;
const REFUND = `mutation Refund($input: RefundDonationInput!) { refundDonation(input: $input) { sequence } }`;
const REPORT = `mutation Report($input: PublishProgressReportInput!) { publishProgressReport(input: $input) { sequence } }`;

const PSEUDONYMS = [
  'bnf_0a1b2c3d4e5f6a7b_8c9d0e1f2a3b4c5d_6e7f8a9b0c1d2e3f_4a5b6c7d8e9f0a1b',
  'bnf_f0e1d2c3b4a59687_7f6e5d4c3b2a1908_8f7e6d5c4b3a2918_0f1e2d3c4b5a6978',
  'ps-legacy-000123',
];
const PRIVATE_DONORS = ['张秘密', '李不公开'];
const COMMITMENT = 'c'.repeat(64);

let keyCounter = 0;
const key = () => `iati-${++keyCounter}-${Date.now()}`;

function transactionsOf(activity: XmlElement): Array<{ type: string; value: number; text: string }> {
  return activity.children
    .filter((node) => node.name === 'transaction')
    .map((node) => ({ type: child(node, 'transaction-type')!.attributes.code, value: Number(child(node, 'value')!.text), text: allText(node) }));
}

const sum = (values: number[]) => Math.round(values.reduce((total, value) => total + value, 0) * 100) / 100;

describe('IATI 2.03 activity export', () => {
  let app: TestApp;
  let charity: { id: string; apiKey: string; creditCode: string };
  let media: string;

  beforeAll(async () => {
    app = await startTestApp();
    const creditCode = newCreditCode();
    const registered = await app.gql(REGISTER_CHARITY, { input: { name: '深圳市大病关爱慈善基金会', creditCode, kind: 'PUBLIC_FUNDRAISING_FOUNDATION' } }, app.adminKey);
    charity = { id: registered.data!.registerCharity.charity.id, apiKey: registered.data!.registerCharity.apiKey, creditCode };

    const as = async (query: string, input: Record<string, unknown>) => {
      const response = await app.gql(query, { input: { idempotencyKey: key(), ...input, charityId: charity.id } }, charity.apiKey);
      if (response.errors) throw new Error(JSON.stringify(response.errors));
      return Object.values(response.data!)[0] as { sequence: number };
    };
    await as(OPEN_PROJECT, {
      projectId: 'P-DBJZ',
      title: '大病救助 <2024> & 医疗',
      purpose: '为低收入家庭的重病患者提供医疗费用救助',
      category: 'MEDICAL_AID',
      region: { code: 'SZ-LUOHU-DONGMEN' },
      startDate: '2024-01-01',
      endDate: '2024-12-31',
      budget: '300000.00',
      currency: 'CNY',
      publicFundraising: true,
    });
    const project = { kind: 'PROJECT', projectId: 'P-DBJZ' };
    // gifts: one named with consent, the others private (two private names, one without a name)
    const gifts = await app.gql(
      RECORD_GIFTS,
      {
        inputs: [
          donationInput(charity.id, { amount: '100000.00', restriction: project, donor: { name: '深圳某科技有限公司', publishName: true, type: 'ORGANISATION' }, receivedAt: '2024-01-05T02:00:00.000Z' }),
          donationInput(charity.id, { amount: '300.00', restriction: project, donor: { name: PRIVATE_DONORS[0], publishName: false }, receivedAt: '2024-01-06T02:00:00.000Z' }),
          donationInput(charity.id, { amount: '200.50', restriction: project, donor: { name: PRIVATE_DONORS[1], publishName: false }, receivedAt: '2024-02-06T02:00:00.000Z' }),
          donationInput(charity.id, { amount: '5000.00', donor: { publishName: false }, receivedAt: '2024-02-07T02:00:00.000Z' }),
        ],
      },
      charity.apiKey,
    );
    if (gifts.errors) throw new Error(JSON.stringify(gifts.errors));
    const refundable = await as(
      RECORD_GIFT,
      donationInput(charity.id, { amount: '1000.00', restriction: project, donor: { name: PRIVATE_DONORS[0], publishName: false }, receivedAt: '2024-03-01T02:00:00.000Z' }),
    );
    await as(IN_KIND, {
      items: [{ itemCode: 'MEDICINE-KIT', description: '常用药品包', quantity: 20, unit: 'kit' }],
      valuationBasis: 'INVOICE',
      fairValue: '6000.00',
      currency: 'CNY',
      condition: 'NEW',
      donor: { name: '某医药公司', publishName: true, type: 'ORGANISATION' },
      restriction: project,
      receivedAt: '2024-03-02T02:00:00.000Z',
      handler: '王会计',
    });
    await as(PROCURE, {
      projectId: 'P-DBJZ',
      supplier: { name: '深圳康复器材有限公司', creditCode: '91350100M000100Y43' },
      lines: [{ description: '血糖仪', itemCode: 'GLUCOSE-METER', quantity: 10, unit: 'piece', unitPrice: '250.00' }],
      total: '2500.00',
      currency: 'CNY',
      invoice: { sha256: sha('a') },
      purchasedAt: '2024-03-10T02:00:00.000Z',
    });
    await as(EXPENSE, { costClass: 'MANAGEMENT', amount: '800.00', currency: 'CNY', description: '办公室租金', evidenceSha256: sha('b'), incurredAt: '2024-03-31T02:00:00.000Z' });
    await as(EXPENSE, {
      projectId: 'P-DBJZ',
      costClass: 'CHARITABLE_ACTIVITY',
      amount: '150.00',
      currency: 'CNY',
      description: '入户核查交通费',
      evidenceSha256: sha('b'),
      incurredAt: '2024-03-31T03:00:00.000Z',
    });
    await as(SELECT, {
      projectId: 'P-DBJZ',
      criteria: { text: '本市户籍低保家庭重病患者', version: '2024-1' },
      decisionBody: '项目评审委员会',
      decidedOn: '2024-04-01',
      beneficiaries: PSEUDONYMS.map((pseudonym) => ({ pseudonym, commitment: COMMITMENT, region: { code: 'SZ-LUOHU-DONGMEN' } })),
    });
    const grant = (beneficiary: string, cash: string, at: string) =>
      as(DISBURSE, { projectId: 'P-DBJZ', beneficiary, cash, currency: 'CNY', method: 'BANK_TRANSFER', disbursedAt: at, deliveryEvidenceSha256: sha('d') });
    await grant(PSEUDONYMS[0], '8000.00', '2024-04-03T02:00:00.000Z');
    const duplicate = await grant(PSEUDONYMS[0], '8000.00', '2024-04-03T03:00:00.000Z');
    await grant(PSEUDONYMS[1], '12000.00', '2024-04-20T02:00:00.000Z');
    await grant(PSEUDONYMS[2], '3000.00', '2024-05-02T02:00:00.000Z');
    await as(DISBURSE, {
      projectId: 'P-DBJZ',
      beneficiary: PSEUDONYMS[2],
      goods: [{ itemCode: 'MEDICINE-KIT', quantity: 2 }],
      method: 'DELIVERY',
      disbursedAt: '2024-05-03T02:00:00.000Z',
      deliveryEvidenceSha256: sha('d'),
    });
    await as(REVERSE, { sequence: duplicate.sequence, reason: '更正：同一笔救助金录入两次' });
    await as(REFUND, { donationSequence: refundable.sequence, amount: '400.00', currency: 'CNY', reason: '捐赠人要求退还部分款项', refundedAt: '2024-06-01T02:00:00.000Z' });

    // progress reports: one with indicators and a PDF, one withdrawn (reversed)
    const upload = await app
      .http()
      .post('/media')
      .set('authorization', `Bearer ${charity.apiKey}`)
      .attach('file', Buffer.from('%PDF-1.4\n% 2024-Q2 progress report\n%%EOF\n', 'latin1'), { filename: 'report.pdf', contentType: 'application/pdf' });
    expect(upload.status).toBe(201);
    media = upload.body.sha256 as string;
    await as(REPORT, {
      projectId: 'P-DBJZ',
      period: '2024-Q2',
      narrative: '二季度发放救助金 3 人次，合计 23,000 元。',
      indicators: [{ name: '现金救助', unit: '人次', baseline: '0', target: '5', actual: '3' }],
      media: [{ sha256: media, caption: '二季度进展报告', consentReferences: ['CONSENT-2024-0001'] }],
    });
    const withdrawn = await as(REPORT, { projectId: 'P-DBJZ', period: '2024-05', narrative: '五月报告（误发）', indicators: [], media: [] });
    await as(REVERSE, { sequence: withdrawn.sequence, reason: '更正：月度报告误发，以季度报告为准' });
  });

  afterAll(async () => {
    await app.close();
  });

  it('is public, well-formed XML with one activity per project and one for the charity as a whole', async () => {
    const response = await app.http().get(`/iati/${charity.id}.xml`);
    expect(response.status).toBe(200);
    expect(response.headers['content-type']).toBe('application/xml; charset=utf-8');
    const root = readXml(response.text);
    expect(root.name).toBe('iati-activities');
    expect(root.attributes.version).toBe('2.03');
    expect(root.children.map((activity) => child(activity, 'iati-identifier')!.text)).toEqual([
      `CN-USCI-${charity.creditCode}-_GENERAL`,
      `CN-USCI-${charity.creditCode}-P-DBJZ`,
    ]);
    expect(allText(child(root.children[1], 'title')!)).toBe('大病救助 <2024> & 医疗');
  });

  it('uses the IATI transaction types, with sums that match the ledger (reversed grant left out, refund netted)', async () => {
    const root = readXml((await app.http().get(`/iati/${charity.id}.xml`)).text);
    const [general, project] = root.children.map(transactionsOf);

    const byType = (flows: typeof general, type: string) => flows.filter((flow) => flow.type === type).map((flow) => flow.value);
    // incoming: 100,000 + 300 + 200.50 + 1,000 (cash) + 6,000 (in kind, fair value) − 400 refunded
    expect(sum(byType(project, '1'))).toBe(107_100.5);
    expect(byType(project, '1')).toContain(-400);
    // disbursements: 8,000 + 12,000 in April, 3,000 in May; the duplicate 8,000 was reversed
    expect(byType(project, '3')).toEqual([20_000, 3_000]);
    // expenditure: the purchase and the project's own expense
    expect(sum(byType(project, '4'))).toBe(2_650);
    expect(project.every((flow) => ['1', '3', '4'].includes(flow.type))).toBe(true);
    expect(byType(general, '1')).toEqual([5_000]);
    expect(byType(general, '4')).toEqual([800]);
  });

  it('turns the progress report into a result with its indicator and a link to its PDF; the withdrawn report stays out', async () => {
    const response = await app.http().get(`/iati/${charity.id}.xml`);
    const project = readXml(response.text).children[1];
    const results = project.children.filter((node) => node.name === 'result');
    expect(results.map((result) => allText(child(result, 'title')!))).toEqual(['进展报告 2024-Q2']);
    const link = child(results[0], 'document-link')!;
    expect(link.attributes.format).toBe('application/pdf');
    expect(link.attributes.url).toMatch(new RegExp(`^http://127\\.0\\.0\\.1(:\\d+)?/media/${media}$`));
    const period = child(child(results[0], 'indicator')!, 'period')!;
    expect([child(period, 'period-start')!.attributes['iso-date'], child(period, 'target')!.attributes.value, child(period, 'actual')!.attributes.value]).toEqual(['2024-04-01', '5', '3']);
    // the link works for anyone: the report made the file public
    expect((await app.http().get(new URL(link.attributes.url).pathname)).status).toBe(200);
    expect(response.text).not.toContain('CONSENT-2024-0001');
    expect(response.text).not.toContain('五月报告');
  });

  it('names only donors who consented, and never a beneficiary', async () => {
    const xml = (await app.http().get(`/iati/${charity.id}.xml`)).text;
    expect(xml).toContain('深圳某科技有限公司');
    expect(xml).toContain('某医药公司');
    for (const secret of [...PRIVATE_DONORS, ...PSEUDONYMS, COMMITMENT, 'dnr_', 'bnf_', 'ps-']) expect(xml).not.toContain(secret);
  });

  it('refuses a malformed or unknown charity id with a JSON error', async () => {
    const malformed = await app.http().get('/iati/not-a-charity.xml');
    expect(malformed.status).toBe(400);
    expect(malformed.body.error).toMatchObject({ code: 'BAD_USER_INPUT', field: 'charityId' });
    const unknown = await app.http().get('/iati/00000000-0000-4000-8000-000000000000.xml');
    expect(unknown.status).toBe(404);
    expect(unknown.body.error.code).toBe('NOT_FOUND');
    expect((await app.http().get(`/iati/${charity.id}.json`)).status).toBe(400);
  });
});
