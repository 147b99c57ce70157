import { CharityKind } from '../charities/charity.entity.js';
import { budgetPeriods, IatiActivities, type IatiEntry } from './iati-activities.js';
import { allText, child, descendants, readXml, type XmlElement } from './xml-reader.testing.js';

const CHARITY = {
  id: '534fddad-54e5-4aa9-bfbb-e2f52cad7531',
  name: '深圳市阳光助残慈善基金会',
  creditCode: '53440300MJL0000013',
  kind: CharityKind.PUBLIC_FUNDRAISING_FOUNDATION,
  currency: 'CNY',
  registeredAt: new Date('2024-01-01T00:00:00.000Z'),
};
const ORG = 'CN-USCI-53440300MJL0000013';
const cny = (yuan: number) => ({ currency: 'CNY', minorUnits: Math.round(yuan * 100) });
const REGION = { code: 'SZ-FUTIAN-YUANLING', district: 'SZ-FUTIAN', street: 'SZ-FUTIAN-YUANLING' };

/** A chain written entry by entry, as the ledger would store it. */
class Chain {
  readonly entries: IatiEntry[] = [];

  add(type: string, occurredAt: string, payload: Record<string, unknown>): number {
    const sequence = this.entries.length + 1;
    this.entries.push({ sequence, type, occurredAt: new Date(occurredAt), recordedAt: new Date('2024-12-31T00:00:00.000Z'), payload, reversedBy: null });
    return sequence;
  }

  reverse(sequence: number, at: string): void {
    const reversal = this.add('ENTRY_REVERSED', at, { reversedSequence: sequence, reason: '更正：重复录入' });
    this.entries[sequence - 1].reversedBy = reversal;
  }

  open(projectId: string, category = 'MEDICAL_AID', extra: Record<string, unknown> = {}, at = '2024-01-02T02:00:00.000Z'): number {
    return this.add('PROJECT_OPENED', at, {
      projectId,
      title: '大病救助',
      purpose: '为低收入家庭的重病患者提供医疗费用救助',
      category,
      region: REGION,
      startDate: '2024-01-01',
      endDate: '2024-12-31',
      budget: cny(1_000_000),
      publicFundraising: true,
      ...extra,
    });
  }

  gift(yuan: number, at: string, restriction: Record<string, unknown>, donor: Record<string, unknown>): number {
    return this.add('CASH_DONATION', at, { amount: cny(yuan), channel: 'WECHAT_PAY', donor, restriction, receipt: {} });
  }
}

const anonymous = (reference: string) => ({ type: 'INDIVIDUAL', anonymous: true, reference });

function render(chain: Chain, now = new Date('2025-01-15T04:00:00.000Z'), mediaTypes = new Map<string, string>()): { xml: string; root: XmlElement } {
  const activities = new IatiActivities(CHARITY);
  for (const entry of chain.entries) activities.add(entry);
  const xml = [...activities.render(now, 'https://ledger.example.org', mediaTypes)].join('');
  return { xml, root: readXml(xml) };
}

function activity(root: XmlElement, identifier: string): XmlElement {
  const found = root.children.find((candidate) => child(candidate, 'iati-identifier')?.text === identifier);
  if (!found) throw new Error(`no activity ${identifier}`);
  return found;
}

interface Flow {
  type: string;
  date: string;
  value: string;
  description: string;
  provider?: string;
  receiver?: string;
  receiverActivity?: string;
  providerActivity?: string;
}

function transactions(node: XmlElement): Flow[] {
  return node.children
    .filter((candidate) => candidate.name === 'transaction')
    .map((transaction) => ({
      type: child(transaction, 'transaction-type')!.attributes.code,
      date: child(transaction, 'transaction-date')!.attributes['iso-date'],
      value: child(transaction, 'value')!.text,
      description: allText(child(transaction, 'description')!),
      provider: child(transaction, 'provider-org') && allText(child(transaction, 'provider-org')!),
      receiver: child(transaction, 'receiver-org') && allText(child(transaction, 'receiver-org')!),
      providerActivity: child(transaction, 'provider-org')?.attributes['provider-activity-id'],
      receiverActivity: child(transaction, 'receiver-org')?.attributes['receiver-activity-id'],
    }));
}

describe('IATI activities from a charity chain', () => {
  it('maps gifts, purchases, expenses, grants and refunds to transactions, without beneficiaries or unpublished donors', () => {
    // given a project (opened on the ledger after the fact) with gifts, a purchase, grants to selected people, a refund and a grant reversed as a duplicate
    const chain = new Chain();
    chain.open('P-DBJZ', 'MEDICAL_AID', {}, '2025-01-10T02:00:00.000Z');
    const named = chain.gift(50_000, '2024-01-05T02:00:00.000Z', { kind: 'PROJECT', projectId: 'P-DBJZ' }, { type: 'ORGANISATION', displayName: '深圳某科技有限公司' });
    chain.gift(300, '2024-01-06T02:00:00.000Z', { kind: 'PROJECT', projectId: 'P-DBJZ' }, anonymous('dnr_AAAAAAAAAAAAAAAAAAAAAA'));
    chain.gift(200, '2024-01-20T02:00:00.000Z', { kind: 'PROJECT', projectId: 'P-DBJZ' }, anonymous('dnr_BBBBBBBBBBBBBBBBBBBBBB'));
    chain.gift(1_000, '2024-01-21T02:00:00.000Z', { kind: 'UNRESTRICTED' }, anonymous('dnr_CCCCCCCCCCCCCCCCCCCCCC'));
    chain.add('BENEFICIARIES_SELECTED', '2024-01-31T16:00:00.000Z', {
      projectId: 'P-DBJZ',
      criteria: { text: '本市户籍低保家庭重病患者', version: '2024-1' },
      decisionBody: '项目评审委员会',
      decidedOn: '2024-02-01',
      beneficiaries: [
        { pseudonym: 'bnf_aaaaaaaaaaaaaaaa_bbbbbbbbbbbbbbbb_cccccccccccccccc_dddddddddddddddd', commitment: 'c'.repeat(64), region: REGION },
        { pseudonym: 'bnf_1111111111111111_2222222222222222_3333333333333333_4444444444444444', commitment: 'd'.repeat(64), region: REGION },
      ],
    });
    const grant = (yuan: number, at: string, pseudonym: string) =>
      chain.add('DISBURSEMENT_RECORDED', at, { projectId: 'P-DBJZ', beneficiary: pseudonym, cash: cny(yuan), method: 'BANK_TRANSFER', deliveryEvidenceSha256: 'e'.repeat(64) });
    grant(8_000, '2024-02-03T02:00:00.000Z', 'bnf_aaaaaaaaaaaaaaaa_bbbbbbbbbbbbbbbb_cccccccccccccccc_dddddddddddddddd');
    const duplicate = grant(8_000, '2024-02-03T03:00:00.000Z', 'bnf_aaaaaaaaaaaaaaaa_bbbbbbbbbbbbbbbb_cccccccccccccccc_dddddddddddddddd');
    grant(12_000, '2024-02-20T02:00:00.000Z', 'bnf_1111111111111111_2222222222222222_3333333333333333_4444444444444444');
    grant(5_000, '2024-03-02T02:00:00.000Z', 'bnf_1111111111111111_2222222222222222_3333333333333333_4444444444444444');
    chain.reverse(duplicate, '2024-02-04T02:00:00.000Z');
    chain.add('PROCUREMENT_RECORDED', '2024-02-10T02:00:00.000Z', {
      projectId: 'P-DBJZ',
      supplier: { name: '深圳康复器材有限公司', creditCode: '91350100M000100Y43' },
      lines: [{ description: '常用药品包', itemCode: 'MEDICINE-KIT', quantity: 10, unit: 'kit', unitPrice: cny(300), amount: cny(3_000) }],
      total: cny(3_000),
      invoice: { sha256: 'a'.repeat(64) },
    });
    chain.add('EXPENSE_RECORDED', '2024-02-29T02:00:00.000Z', { projectId: null, costClass: 'MANAGEMENT', amount: cny(400), description: '办公室租金', evidenceSha256: 'b'.repeat(64) });
    chain.add('DONATION_REFUNDED', '2024-03-05T02:00:00.000Z', { donationSequence: named, amount: cny(1_000), reason: '捐赠人要求退还部分未使用款项' });

    // when the chain is exported
    const { xml, root } = render(chain);

    // then the project's flows carry the right codes and sums, and nothing identifies a beneficiary or an anonymous donor
    expect(root.name).toBe('iati-activities');
    expect(root.attributes.version).toBe('2.03');
    expect(transactions(activity(root, `${ORG}-P-DBJZ`))).toEqual([
      { type: '1', date: '2024-01-05', value: '50000.00', description: '现金捐赠（限定用于本项目）', provider: '深圳某科技有限公司' },
      { type: '1', date: '2024-01-20', value: '500.00', description: '2024年1月未公开捐赠人姓名的现金捐赠 2 笔（按月汇总）' },
      { type: '3', date: '2024-02-20', value: '20000.00', description: '2024年2月向受助人发放现金 2 笔（按月汇总，不公开受助人信息）' },
      { type: '4', date: '2024-02-10', value: '3000.00', description: '采购：常用药品包 10 kit', receiver: '深圳康复器材有限公司' },
      { type: '3', date: '2024-03-02', value: '5000.00', description: '2024年3月向受助人发放现金 1 笔（按月汇总，不公开受助人信息）' },
      { type: '1', date: '2024-03-05', value: '-1000.00', description: '退还第 2 号捐赠：捐赠人要求退还部分未使用款项' },
    ].sort((a, b) => a.date.localeCompare(b.date)));
    // actual starts: the earliest money flow, not the later day the project was recorded
    expect(child(activity(root, `${ORG}-_GENERAL`), 'activity-date')!.attributes).toEqual({ type: '2', 'iso-date': '2024-01-05' });
    expect(activity(root, `${ORG}-P-DBJZ`).children.find((node) => node.name === 'activity-date' && node.attributes.type === '2')!.attributes['iso-date']).toBe('2024-01-05');
    expect(transactions(activity(root, `${ORG}-_GENERAL`))).toEqual([
      { type: '1', date: '2024-01-21', value: '1000.00', description: '2024年1月未公开捐赠人姓名的现金捐赠 1 笔（按月汇总）' },
      { type: '4', date: '2024-02-29', value: '400.00', description: '管理费用：办公室租金' },
    ]);
    expect(xml).not.toMatch(/bnf_|dnr_|ps-/);
    expect(xml).toContain('受助人遴选标准：本市户籍低保家庭重病患者');
    const supplier = descendants(root, 'receiver-org')[0];
    expect(supplier.attributes.ref).toBe('CN-USCI-91350100M000100Y43');
  });

  it('describes each project with its codes: identifier, reporting organisation, status, dates, place, sector and budget', () => {
    const chain = new Chain();
    chain.open('P-DBJZ', 'MEDICAL_AID', { startDate: '2024-07-01', endDate: '2025-12-31', budget: cny(1_840_000) });
    chain.gift(100, '2024-06-20T02:00:00.000Z', { kind: 'PROJECT', projectId: 'P-DBJZ' }, anonymous('dnr_AAAAAAAAAAAAAAAAAAAAAA'));

    const { root } = render(chain, new Date('2025-01-15T04:00:00.000Z'));
    const project = activity(root, `${ORG}-P-DBJZ`);

    expect(project.attributes).toMatchObject({ 'xml:lang': 'zh', 'default-currency': 'CNY' });
    expect(child(project, 'reporting-org')!.attributes).toEqual({ ref: ORG, type: '60' });
    expect(child(project, 'activity-status')!.attributes.code).toBe('2');
    expect(project.children.filter((node) => node.name === 'activity-date').map((node) => [node.attributes.type, node.attributes['iso-date']])).toEqual([
      ['1', '2024-07-01'],
      ['2', '2024-01-02'],
      ['3', '2025-12-31'],
    ]);
    expect(child(project, 'recipient-country')!.attributes.code).toBe('CN');
    const location = child(project, 'location')!;
    expect(allText(child(location, 'name')!)).toBe('深圳市福田区园岭街道');
    expect(allText(child(location, 'description')!)).toContain('440304');
    expect(child(location, 'feature-designation')!.attributes.code).toBe('ADM4');
    expect(child(project, 'sector')!.attributes).toEqual({ vocabulary: '1', code: '12191' });
    expect(
      project.children
        .filter((node) => node.name === 'budget')
        .map((budget) => [child(budget, 'period-start')!.attributes['iso-date'], child(budget, 'period-end')!.attributes['iso-date'], child(budget, 'value')!.text]),
    ).toEqual([
      ['2024-07-01', '2025-06-30', '1223315.11'], // 365 of 549 days
      ['2025-07-01', '2025-12-31', '616684.89'],
    ]);
  });

  it('moves a closed project’s leftovers to the receiving project as a disbursement out and incoming funds in', () => {
    const chain = new Chain();
    chain.open('P-OLD');
    chain.open('P-NEW', 'DISABILITY_SUPPORT');
    chain.gift(700, '2024-03-01T02:00:00.000Z', { kind: 'PROJECT', projectId: 'P-OLD' }, anonymous('dnr_AAAAAAAAAAAAAAAAAAAAAA'));
    chain.add('EXPENSE_RECORDED', '2024-03-02T02:00:00.000Z', { projectId: 'P-OLD', costClass: 'CHARITABLE_ACTIVITY', amount: cny(200), description: '交通', evidenceSha256: 'b'.repeat(64) });
    chain.add('PROJECT_CLOSED', '2024-05-30T16:00:00.000Z', {
      projectId: 'P-OLD',
      closedOn: '2024-05-31',
      leftover: { handling: 'TRANSFER_TO_PROJECT', targetProjectId: 'P-NEW', explanation: '同类用途' },
    });

    const { root } = render(chain);

    const old = activity(root, `${ORG}-P-OLD`);
    expect(child(old, 'activity-status')!.attributes.code).toBe('4');
    expect(old.children.some((node) => node.name === 'activity-date' && node.attributes.type === '4' && node.attributes['iso-date'] === '2024-05-31')).toBe(true);
    expect(transactions(old).at(-1)).toMatchObject({ type: '3', value: '500.00', receiverActivity: `${ORG}-P-NEW` });
    expect(transactions(activity(root, `${ORG}-P-NEW`))).toEqual([
      expect.objectContaining({ type: '1', date: '2024-05-31', value: '500.00', providerActivity: `${ORG}-P-OLD` }),
    ]);
  });

  it('leaves out a reversed close and its reversal', () => {
    const chain = new Chain();
    chain.open('P-OLD');
    chain.open('P-NEW');
    chain.gift(700, '2024-03-01T02:00:00.000Z', { kind: 'PROJECT', projectId: 'P-OLD' }, anonymous('dnr_AAAAAAAAAAAAAAAAAAAAAA'));
    const close = chain.add('PROJECT_CLOSED', '2024-05-30T16:00:00.000Z', {
      projectId: 'P-OLD',
      closedOn: '2024-05-31',
      leftover: { handling: 'TRANSFER_TO_PROJECT', targetProjectId: 'P-NEW', explanation: '同类用途' },
    });
    chain.reverse(close, '2024-06-01T02:00:00.000Z');

    const { root } = render(chain);

    expect(child(activity(root, `${ORG}-P-OLD`), 'activity-status')!.attributes.code).toBe('3');
    expect(transactions(activity(root, `${ORG}-P-OLD`)).map((flow) => flow.type)).toEqual(['1']);
    expect(transactions(activity(root, `${ORG}-P-NEW`))).toEqual([]);
  });

  it('turns progress reports into results with indicators and links to their media; a reversed report stays out', () => {
    const chain = new Chain();
    chain.open('P-DBJZ');
    const report = (label: string, extra: Record<string, unknown>) =>
      chain.add('PROGRESS_REPORT_PUBLISHED', '2024-04-10T02:00:00.000Z', {
        projectId: 'P-DBJZ',
        period: { kind: 'QUARTER', label, start: '2024-01-01', end: '2024-03-31' },
        narrative: '一季度共救助 287 人次。',
        indicators: [],
        media: [],
        financialSummary: { method: 'ledger-facts-1' },
        ...extra,
      });
    report('2024-Q1', {
      indicators: [{ name: '获得救助的患者', unit: '人', baseline: '0', target: '300', actual: '287' }],
      media: [{ sha256: 'f'.repeat(64), caption: '救助金发放现场', consentReferences: ['CONSENT-2024-0001'] }],
    });
    report('2024-Q2', {});
    const withdrawn = report('2024-Q3', {});
    chain.reverse(withdrawn, '2024-10-11T02:00:00.000Z');

    const { root, xml } = render(chain, undefined, new Map([['f'.repeat(64), 'image/jpeg']]));
    const results = activity(root, `${ORG}-P-DBJZ`).children.filter((node) => node.name === 'result');

    expect(results.map((result) => allText(child(result, 'title')!))).toEqual(['进展报告 2024-Q1', '进展报告 2024-Q2']);
    const [first, second] = results;
    expect(first.attributes.type).toBe('1');
    const link = child(first, 'document-link')!;
    expect(link.attributes).toEqual({ url: `https://ledger.example.org/media/${'f'.repeat(64)}`, format: 'image/jpeg' });
    expect(child(link, 'category')!.attributes.code).toBe('A08');
    const indicator = child(first, 'indicator')!;
    expect(indicator.attributes.measure).toBe('1');
    expect(allText(child(indicator, 'title')!)).toBe('获得救助的患者（人）');
    expect(child(indicator, 'baseline')!.attributes).toEqual({ year: '2024', value: '0' });
    const period = child(indicator, 'period')!;
    expect([child(period, 'target')!.attributes.value, child(period, 'actual')!.attributes.value]).toEqual(['300', '287']);
    // a report without indicators still says what happened, as a qualitative indicator
    expect(child(second, 'indicator')!.attributes.measure).toBe('5');
    expect(xml).not.toContain('CONSENT-2024-0001');
  });

  it('names a charity without projects or entries in one general activity', () => {
    const { root } = render(new Chain());
    expect(root.children).toHaveLength(1);
    expect(child(root.children[0], 'iati-identifier')!.text).toBe(`${ORG}-_GENERAL`);
    expect(child(root.children[0], 'activity-date')!.attributes).toEqual({ type: '2', 'iso-date': '2024-01-01' });
  });

  it('splits a budget into periods of at most a year, in proportion to their days, to the fen', () => {
    expect(budgetPeriods('2024-01-01', '2024-12-31', 100_00)).toEqual([{ start: '2024-01-01', end: '2024-12-31', minorUnits: 100_00 }]);
    const periods = budgetPeriods('2024-03-01', '2026-08-31', 1_000_001);
    expect(periods.map((period) => [period.start, period.end])).toEqual([
      ['2024-03-01', '2025-02-28'],
      ['2025-03-01', '2026-02-28'],
      ['2026-03-01', '2026-08-31'],
    ]);
    expect(periods.reduce((sum, period) => sum + period.minorUnits, 0)).toBe(1_000_001);
  });
});
