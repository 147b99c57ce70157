import { chinaDate } from '../apps/api/src/common/input-values.js';
import { FiguresService } from '../apps/api/src/figures/figures.service.js';
import { charityActions, type CharityActions } from './support/charity-actions.js';
import { recordFirstQuarter } from './support/figure-fixtures.js';
import { chainLength, codeOf, registerCharity, startTestApp, type TestApp } from './support/test-app.js';

const PUBLISH = `mutation ($input: PublishProgressReportInput!) { publishProgressReport(input: $input) { sequence type payload hash } }`;
const REPORTS = `query ($charityId: ID!, $projectId: String, $first: Int, $after: String) {
  progressReports(charityId: $charityId, projectId: $projectId, first: $first, after: $after) {
    totalCount pageInfo { hasNextPage endCursor }
    edges { node { sequence projectId period periodStart periodEnd narrative reversed reversedBy hash
      indicators { name unit baseline target actual } media { sha256 caption consentReferences }
      financialSummary { method receivedCash { amount currency } receivedInKind { amount } refunded { amount }
        spent { charitableActivity { amount } management { amount } fundraising { amount } total { amount } }
        goodsDisbursedQuantity goodsDisbursedValue { amount } beneficiariesReached } } } } }`;
const SCHEDULE = `query ($charityId: ID!, $projectId: String!) { disclosureSchedule(charityId: $charityId, projectId: $projectId) {
  asOf periodic end obligations { kind dueOn status satisfiedBy satisfiedOn late basis } } }`;
const OVERDUE = `query ($asOf: String!) { overdueDisclosures(asOf: $asOf) { charityId charityName projectId projectTitle kind dueOn daysOverdue basis } }`;
const ISSUE_KEY = `mutation ($input: IssueApiKeyInput!) { issueApiKey(input: $input) { apiKey } }`;

const sha = (character: string) => character.repeat(64);

function reportInput(projectId: string, period: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    projectId,
    period,
    narrative: '第一季度共为辖区内行动不便的居民送去轮椅和生活物资。',
    indicators: [
      { name: 'Residents given a wheelchair', unit: 'persons', baseline: '0', target: '20', actual: '1' },
      { name: 'Households given rice', unit: 'households', target: '50', actual: '1' },
    ],
    media: [],
    ...extra,
  };
}

describe('progress reports and disclosure deadlines', () => {
  let app: TestApp;
  let figures: FiguresService;
  let a: CharityActions;
  let b: CharityActions;
  let regulatorKey: string;
  /** A photo charity A uploaded, and one charity B uploaded (neither referenced by an entry yet). */
  let photoA: string;
  let photoB: string;
  const today = chinaDate(new Date());

  beforeAll(async () => {
    app = await startTestApp();
    figures = app.service.app.get(FiguresService);
    a = charityActions(app, await registerCharity(app, '深圳市阳光助残慈善基金会'));
    b = charityActions(app, await registerCharity(app, '深圳市南山长者关爱协会'));
    const issued = await app.gql<{ issueApiKey: { apiKey: string } }>(ISSUE_KEY, { input: { role: 'REGULATOR', label: 'Civil affairs bureau' } }, app.adminKey);
    regulatorKey = issued.data!.issueApiKey.apiKey;

    await recordFirstQuarter(a);

    photoA = await a.uploadMedia();
    photoB = await b.uploadMedia();
    await b.openProject('P-B', { category: 'ELDERLY_CARE', region: { code: 'SZ-NANSHAN' }, publicFundraising: false, startDate: '2026-02-01', endDate: '2026-05-31' });
  });

  afterAll(async () => {
    await app.close();
  });

  it('adds the period’s figures of the project into the hashed report: equal to FiguresService and to a hand count', async () => {
    const media = [{ sha256: photoA, caption: 'Delivery in Xiangmihu', consentReferences: ['CONSENT-2026-0001'] }];
    const response = await a.send(PUBLISH, reportInput('P-A', '2026-Q1', { media }));
    expect(response.errors).toBeUndefined();
    const entry = response.data!.publishProgressReport;
    expect(entry.type).toBe('PROGRESS_REPORT_PUBLISHED');
    const summary = entry.payload.financialSummary;
    const cny = (minorUnits: number) => ({ currency: 'CNY', minorUnits });
    // by hand: the restricted gift (600.00; the others are the charity's, not the project's), its refund,
    // 50.00 cash + a bought wheelchair (200.00) + 3 of 10 bags of a 500.00 gift (150.00), a 30.00 fundraising cost
    expect(summary).toEqual({
      method: 'ledger-facts-1',
      receivedCash: cny(600_00),
      receivedInKind: cny(0),
      refunded: cny(100_00),
      spent: { charitableActivity: cny(400_00), management: cny(0), fundraising: cny(30_00), total: cny(430_00) },
      goodsDisbursed: { quantity: 4, value: cny(350_00) },
      beneficiariesReached: 2,
    });
    const [row] = await figures.figures({ from: '2026-01-01', to: '2026-04-01', charityIds: [a.charityId], projectId: 'P-A' });
    expect(summary).toEqual({
      method: 'ledger-facts-1',
      receivedCash: cny(Number(row.receivedCash)),
      receivedInKind: cny(Number(row.receivedInKind)),
      refunded: cny(Number(row.refunded)),
      spent: {
        charitableActivity: cny(Number(row.spentCharitableActivity)),
        management: cny(Number(row.spentManagement)),
        fundraising: cny(Number(row.spentFundraising)),
        total: cny(Number(row.spentTotal)),
      },
      goodsDisbursed: { quantity: Number(row.goodsDisbursedQuantity), value: cny(Number(row.goodsDisbursedValue)) },
      beneficiariesReached: row.beneficiariesReached,
    });
    expect(entry.payload.period).toEqual({ kind: 'QUARTER', label: '2026-Q1', start: '2026-01-01', end: '2026-03-31' });
    // what was hashed holds the summary
    const [stored] = await app.db.query<{ canonical_json: Buffer }>('SELECT canonical_json FROM ledger_entry WHERE charity_id = $1 AND sequence = $2', [
      a.charityId,
      entry.sequence,
    ]);
    expect(JSON.parse(stored.canonical_json.toString('utf8')).payload.financialSummary).toEqual(summary);

    // the public reads it typed, without any pseudonym
    const listed = await app.gql(REPORTS, { charityId: a.charityId, projectId: 'P-A' });
    expect(listed.errors).toBeUndefined();
    const node = listed.data!.progressReports.edges.find((edge: { node: { sequence: number } }) => edge.node.sequence === entry.sequence).node;
    expect(node).toMatchObject({
      projectId: 'P-A',
      period: '2026-Q1',
      periodStart: '2026-01-01',
      periodEnd: '2026-03-31',
      reversed: false,
      hash: entry.hash,
      indicators: [
        { name: 'Residents given a wheelchair', unit: 'persons', baseline: '0', target: '20', actual: '1' },
        { name: 'Households given rice', unit: 'households', baseline: null, target: '50', actual: '1' },
      ],
      media: [{ sha256: photoA, caption: 'Delivery in Xiangmihu', consentReferences: ['CONSENT-2026-0001'] }],
      financialSummary: {
        receivedCash: { amount: '600.00', currency: 'CNY' },
        spent: { charitableActivity: { amount: '400.00' }, fundraising: { amount: '30.00' }, total: { amount: '430.00' } },
        goodsDisbursedQuantity: 4,
        goodsDisbursedValue: { amount: '350.00' },
        beneficiariesReached: 2,
      },
    });
    expect(JSON.stringify(listed.data)).not.toMatch(/ps-/);
    // the report made its photo public
    expect((await app.http().get(`/media/${photoA}`)).status).toBe(200);
  });

  it('refuses another charity’s project, an unknown project, unknown media, periods outside the project, in the future or not ended, and personal data in consents, writing nothing', async () => {
    const before = await chainLength(app, a.charityId);
    const [{ count: reportsBefore }] = await app.db.query<{ count: string }>('SELECT count(*) FROM progress_report');
    const refused = async (input: Record<string, unknown>, code: string, field?: RegExp) => {
      const response = await a.send(PUBLISH, input);
      expect(response.data ?? null).toBeNull();
      expect(codeOf(response)).toBe(code);
      if (field) expect(response.errors![0].message).toMatch(field);
    };
    await refused(reportInput('P-B', '2026-Q1'), 'NOT_FOUND', /input\.projectId.*"P-B"/);
    await refused(reportInput('P-NOPE', '2026-Q1'), 'NOT_FOUND', /input\.projectId/);
    await refused(reportInput('P-A', '2025-Q4'), 'BAD_USER_INPUT', /input\.period.*outside the project's dates/);
    await refused(reportInput('P-A', '2027-01'), 'BAD_USER_INPUT', /input\.period.*in the future/);
    await refused(reportInput('P-A', today.slice(0, 7)), 'BAD_USER_INPUT', /input\.period.*has not ended/);
    await refused(reportInput('P-A', '2026-13'), 'BAD_USER_INPUT', /input\.period/);
    await refused(
      reportInput('P-A', '2026-02', { media: [{ sha256: sha('f'), caption: 'x', consentReferences: ['13800138000'] }] }),
      'BAD_USER_INPUT',
      /consentReferences\[0\].*phone or ID number/,
    );
    await refused(reportInput('P-A', '2026-02', { media: [{ sha256: sha('f'), caption: 'x', consentReferences: ['张三的同意书'] }] }), 'BAD_USER_INPUT', /consentReferences/);
    // media must be files this charity uploaded (or already public): not unknown ones, nor another charity's unpublished upload
    await refused(reportInput('P-A', '2026-02', { media: [{ sha256: sha('f'), caption: 'x', consentReferences: [] }] }), 'NOT_FOUND', /input\.media\[0\]\.sha256.*upload it first/);
    await refused(
      reportInput('P-A', '2026-02', { media: [{ sha256: photoA, caption: 'x', consentReferences: [] }, { sha256: photoB, caption: 'y', consentReferences: [] }] }),
      'NOT_FOUND',
      /input\.media\[1\]\.sha256/,
    );
    await refused(reportInput('P-A', '2026-02', { indicators: [{ name: 'n', unit: 'u', target: '1e3', actual: '1' }] }), 'BAD_USER_INPUT', /target/);
    // another charity's key may not write A's chain at all
    const foreign = await app.gql(PUBLISH, { input: { charityId: a.charityId, idempotencyKey: 'foreign-1', ...reportInput('P-A', '2026-02') } }, b.apiKey);
    expect(codeOf(foreign)).toBe('FORBIDDEN');
    expect(await chainLength(app, a.charityId)).toBe(before);
    expect((await app.db.query<{ count: string }>('SELECT count(*) FROM progress_report'))[0].count).toBe(reportsBefore);
  });

  it('corrects a report by reversing it and publishing a new one, whose figures include what was recorded since', async () => {
    await a.openProject('P-FIX');
    await a.expense('CHARITABLE_ACTIVITY', '150.00', '2026-03-10T02:00:00.000Z', 'P-FIX');
    const first = (await a.send(PUBLISH, reportInput('P-FIX', '2026-03'))).data!.publishProgressReport;
    expect(first.payload.financialSummary.spent.charitableActivity).toEqual({ currency: 'CNY', minorUnits: 150_00 });
    // a March cost recorded late, then the correction
    await a.expense('CHARITABLE_ACTIVITY', '40.00', '2026-03-20T02:00:00.000Z', 'P-FIX');
    const reversal = await a.reverse(first.sequence, '更正：漏记三月份的活动支出');
    const second = (await a.send(PUBLISH, reportInput('P-FIX', '2026-03', { narrative: '三月份更正后的报告。' }))).data!.publishProgressReport;
    expect(second.payload.financialSummary.spent.charitableActivity).toEqual({ currency: 'CNY', minorUnits: 190_00 });
    // a report moves no money: the figures of March are as before
    const [march] = await figures.figures({ from: '2026-03-01', to: '2026-04-01', charityIds: [a.charityId], projectId: 'P-FIX' });
    expect(march.spentCharitableActivity).toBe(190_00n);

    const listed = await app.gql(REPORTS, { charityId: a.charityId, projectId: 'P-FIX' });
    const march2026 = listed.data!.progressReports.edges
      .map((edge: { node: { sequence: number; period: string; reversed: boolean; reversedBy: number | null } }) => edge.node)
      .map((node: { sequence: number; reversed: boolean; reversedBy: number | null }) => [node.sequence, node.reversed, node.reversedBy]);
    expect(march2026).toEqual([
      [first.sequence, true, reversal],
      [second.sequence, false, null],
    ]);
    // only the live report meets a deadline
    const schedule = await app.gql(SCHEDULE, { charityId: a.charityId, projectId: 'P-FIX' });
    expect(schedule.data!.disclosureSchedule.obligations[0]).toMatchObject({ kind: 'PERIODIC', status: 'MET', satisfiedBy: second.sequence });
    // a second reversal of the same report is refused
    const again = await a.send(`mutation ($input: ReverseEntryInput!) { reverseEntry(input: $input) { sequence } }`, { sequence: first.sequence, reason: 'x' });
    expect(codeOf(again)).toBe('CONFLICT');
  });

  it('pages through reports with a cursor', async () => {
    const d = charityActions(app, await registerCharity(app, '深圳市罗湖社区基金会'));
    await d.openProject('P-D');
    const sequences: number[] = [];
    for (const period of ['2026-01', '2026-02']) sequences.push((await d.send(PUBLISH, reportInput('P-D', period, { media: [] }))).data!.publishProgressReport.sequence);
    const page = await app.gql(REPORTS, { charityId: d.charityId, first: 1 });
    expect(page.data!.progressReports).toMatchObject({ totalCount: 2, pageInfo: { hasNextPage: true } });
    expect(page.data!.progressReports.edges.map((edge: { node: { sequence: number } }) => edge.node.sequence)).toEqual([sequences[0]]);
    const next = await app.gql(REPORTS, { charityId: d.charityId, first: 1, after: page.data!.progressReports.pageInfo.endCursor });
    expect(next.data!.progressReports).toMatchObject({ pageInfo: { hasNextPage: false } });
    expect(next.data!.progressReports.edges.map((edge: { node: { sequence: number } }) => edge.node.sequence)).toEqual([sequences[1]]);
    expect(codeOf(await app.gql(REPORTS, { charityId: d.charityId, after: 'bm9wZQ' }))).toBe('BAD_USER_INPUT');
  });

  it('lists a public fundraising project without a report for more than three months as overdue, and not after a report', async () => {
    const c = charityActions(app, await registerCharity(app, '深圳市龙岗助学基金会'));
    await c.openProject('P-C', { category: 'EDUCATION', region: { code: 'SZ-LONGGANG' }, startDate: '2026-01-01', endDate: '2026-12-31', publicFundraising: true });

    const before = await app.gql(OVERDUE, { asOf: today }, regulatorKey);
    expect(before.errors).toBeUndefined();
    const mine = (response: typeof before) =>
      response.data!.overdueDisclosures.filter((row: { charityId: string; kind: string }) => row.charityId === c.charityId && row.kind === 'PERIODIC');
    expect(mine(before)[0]).toMatchObject({ charityName: '深圳市龙岗助学基金会', projectId: 'P-C', projectTitle: '轮椅进社区', dueOn: '2026-04-01' });
    expect(mine(before)[0].basis).toMatch(/慈善法 Art\. 79/);
    // as of 2026-04-01 nothing was due yet; the next day it was
    expect(mine(await app.gql(OVERDUE, { asOf: '2026-04-01' }, regulatorKey))).toEqual([]);
    expect(mine(await app.gql(OVERDUE, { asOf: '2026-04-02' }, regulatorKey))).toEqual([expect.objectContaining({ dueOn: '2026-04-01', daysOverdue: 1 })]);

    const report = (await c.send(PUBLISH, reportInput('P-C', '2026-Q1'))).data!.publishProgressReport;
    expect(mine(await app.gql(OVERDUE, { asOf: today }, regulatorKey))).toEqual([]);
    const schedule = await app.gql(SCHEDULE, { charityId: c.charityId, projectId: 'P-C' });
    expect(schedule.errors).toBeUndefined();
    expect(schedule.data!.disclosureSchedule).toMatchObject({ asOf: today, periodic: true, end: '2026-12-31' });
    expect(schedule.data!.disclosureSchedule.obligations[0]).toMatchObject({ kind: 'PERIODIC', dueOn: '2026-04-01', status: 'MET', satisfiedBy: report.sequence, late: true });

    // only regulators ask across charities
    expect(codeOf(await app.gql(OVERDUE, { asOf: today }))).toBe('UNAUTHENTICATED');
    expect(codeOf(await app.gql(OVERDUE, { asOf: today }, c.apiKey))).toBe('FORBIDDEN');
    expect(codeOf(await app.gql(OVERDUE, { asOf: '2026-02-30' }, regulatorKey))).toBe('BAD_USER_INPUT');
  });

  it('gives a short project without public fundraising only its final and leftover deadlines, from its end', async () => {
    const schedule = await app.gql(SCHEDULE, { charityId: b.charityId, projectId: 'P-B' });
    expect(schedule.data!.disclosureSchedule).toMatchObject({
      periodic: false,
      end: '2026-05-31',
      obligations: [
        { kind: 'FINAL_REPORT', dueOn: '2026-08-31', status: today > '2026-08-31' ? 'OVERDUE' : 'DUE', satisfiedBy: null },
        { kind: 'LEFTOVER_HANDLING', dueOn: '2026-08-31', status: today > '2026-08-31' ? 'OVERDUE' : 'DUE', satisfiedBy: null },
      ],
    });
    expect(codeOf(await app.gql(SCHEDULE, { charityId: b.charityId, projectId: 'P-NOPE' }))).toBe('NOT_FOUND');
  });

  it('computes a report’s figures over exactly the entries before it, even while gifts are being appended', async () => {
    await a.openProject('P-BUSY', { startDate: '2026-01-01', endDate: '2026-12-31' });
    const gifts = Array.from({ length: 12 }, (_, index) =>
      a.donate(`${index + 1}.00`, `2026-02-${String(index + 1).padStart(2, '0')}T02:00:00.000Z`, { kind: 'PROJECT', projectId: 'P-BUSY' }),
    );
    const published = a.send(PUBLISH, reportInput('P-BUSY', '2026-02'));
    await Promise.all(gifts);
    const report = (await published).data!.publishProgressReport;
    const [{ received }] = await app.db.query<{ received: string }>(
      `SELECT coalesce(sum(amount), 0) AS received FROM ledger_fact
        WHERE charity_id = $1 AND project_id = 'P-BUSY' AND measure = 'RECEIVED_CASH' AND occurred_on < '2026-03-01' AND sequence < $2`,
      [a.charityId, report.sequence],
    );
    expect(report.payload.financialSummary.receivedCash.minorUnits).toBe(Number(received));
  });
});
