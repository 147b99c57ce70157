import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { chinaDate } from '../apps/api/src/common/input-values.js';
import { DEFAULT_THRESHOLDS_FILE } from '../apps/api/src/compliance/compliance-thresholds.js';
import { charityActions, type CharityActions } from './support/charity-actions.js';
import { runServiceExpectingFailure } from './support/service-process.js';
import { codeOf, newCreditCode, REGISTER_CHARITY, startTestApp, type TestApp } from './support/test-app.js';
import { createTestDatabase } from './support/test-database.js';

const REPORT = `
  query Report($charityId: ID!, $year: Int!) {
    complianceReport(charityId: $charityId, year: $year) {
      charity { id name kind } kind year yearComplete asOf thresholdsVersion
      rules { id title source status passed threshold actual inputs { name value unit } arithmetic explanation }
      flags { id title raised value explanation inputs { name value unit } items { reference description amount { amount currency } date } }
    }
  }`;

interface Rule {
  id: string;
  title: string;
  source: string;
  status: string;
  passed: boolean | null;
  threshold: string;
  actual: string;
  inputs: Array<{ name: string; value: string; unit: string | null }>;
  arithmetic: string[];
  explanation: string;
}

interface Flag {
  id: string;
  raised: boolean;
  value: string;
  explanation: string;
  items: Array<{ reference: string; description: string; amount: { amount: string } | null; date: string | null }>;
}

interface Report {
  charity: { id: string; kind: string };
  kind: string;
  year: number;
  yearComplete: boolean;
  asOf: string;
  rules: Rule[];
  flags: Flag[];
}

const THIS_YEAR = Number(chinaDate(new Date()).slice(0, 4));
/** A time early on 1 January of the current year in Shenzhen (always in the past). */
const thisYear = (minute: number) => new Date(`${THIS_YEAR}-01-01T00:${String(minute).padStart(2, '0')}:00+08:00`).toISOString();

const value = (rule: Rule, name: string) => rule.inputs.find((input) => input.name === name)?.value;

describe('complianceReport', () => {
  let app: TestApp;
  let regulatorKey: string;

  async function register(name: string, kind: string): Promise<CharityActions> {
    const response = await app.gql(REGISTER_CHARITY, { input: { name, creditCode: newCreditCode(), kind } }, app.adminKey);
    if (!response.data) throw new Error(JSON.stringify(response.errors));
    const { charity, apiKey } = response.data.registerCharity as { charity: { id: string }; apiKey: string };
    return charityActions(app, { id: charity.id, apiKey });
  }

  async function report(charityId: string, year: number): Promise<Report> {
    const response = await app.gql<{ complianceReport: Report }>(REPORT, { charityId, year }, regulatorKey);
    if (!response.data) throw new Error(JSON.stringify(response.errors));
    return response.data.complianceReport;
  }

  const rule = (result: Report, suffix: string) => result.rules.find((entry) => entry.id.endsWith(suffix))!;
  const flag = (result: Report, id: string) => result.flags.find((entry) => entry.id === id)!;

  // (1) meets the rule, through the three-year average; (2) misses the 70 % rule; (3) misses the 10 % cap
  let meets: CharityActions;
  let missesSpending: CharityActions;
  let missesCap: CharityActions;
  // (4) a small social organisation under the ¥200,000 exemption, with restricted gifts and goods
  let small: CharityActions;
  let smallRestricted: number;
  // reversals in the current year
  let corrections: CharityActions;

  beforeAll(async () => {
    app = await startTestApp();
    const issued = await app.gql(`mutation { issueApiKey(input: { role: REGULATOR, label: "Civil affairs bureau" }) { apiKey } }`, {}, app.adminKey);
    regulatorKey = issued.data!.issueApiKey.apiKey;

    // (1) income 2022 6,000.00, 2023 6,000.00, 2024 9,000.00; in 2025: 5,000.00 on charitable
    // activities (70 % of 9,000.00 = 6,300.00 missed; 70 % of the average 7,000.00 = 4,900.00 met),
    // management 400.00 + fundraising 100.00 → total 5,500.00, cap 550.00
    meets = await register('深圳市阳光助残慈善基金会', 'PUBLIC_FUNDRAISING_FOUNDATION');
    await meets.donate('6000.00', '2022-03-01T02:00:00.000Z');
    await meets.donate('6000.00', '2023-03-01T02:00:00.000Z');
    await meets.donate('9000.00', '2024-03-01T02:00:00.000Z');
    await meets.expense('CHARITABLE_ACTIVITY', '5000.00', '2025-04-01T02:00:00.000Z');
    await meets.expense('MANAGEMENT', '400.00', '2025-05-01T02:00:00.000Z');
    await meets.expense('FUNDRAISING', '100.00', '2025-06-01T02:00:00.000Z');

    // (2) income 2022 8,000.00, 2023 12,000.00, 2024 10,000.00 (average 10,000.00): 6,999.99 in 2025 misses both 7,000.00s
    missesSpending = await register('深圳市南山助学基金会', 'PUBLIC_FUNDRAISING_FOUNDATION');
    await missesSpending.donate('8000.00', '2022-05-01T02:00:00.000Z');
    await missesSpending.donate('12000.00', '2023-05-01T02:00:00.000Z');
    await missesSpending.donate('10000.00', '2024-05-01T02:00:00.000Z');
    await missesSpending.expense('CHARITABLE_ACTIVITY', '6999.99', '2025-05-01T02:00:00.000Z');
    await missesSpending.expense('MANAGEMENT', '100.00', '2025-05-02T02:00:00.000Z');

    // (3) income 2024 10,000.00; in 2025 7,000.00 on charitable activities (met) and 800.01 management:
    // 10 % of 7,800.01 is 780.001
    missesCap = await register('深圳市福田关爱基金会', 'PUBLIC_FUNDRAISING_FOUNDATION');
    await missesCap.donate('10000.00', '2024-06-01T02:00:00.000Z');
    await missesCap.expense('CHARITABLE_ACTIVITY', '7000.00', '2025-06-01T02:00:00.000Z');
    await missesCap.expense('MANAGEMENT', '800.01', '2025-06-02T02:00:00.000Z');

    // (4) 2024: 100,000.00 unrestricted, 5,000.00 restricted to P-1 (1,000.00 refunded, 1,000.00 buys two
    // wheelchairs: not spending), rice worth 2,000.00 in kind, one wheelchair given out (500.00 spent).
    // Income 2024 = 100,000 + 5,000 + 2,000 − 1,000 = 106,000.00; net assets = 106,000 − 500 = 105,500.00
    // → bracket (四): ≥ 8 % of 105,500.00 = 8,440.00 and ≥ 50 % of 106,000.00 = 53,000.00; management ≤ 20 %.
    // 2025: 60,000.00 charitable, 30,000.00 management (33 % of 90,000.00, but under ¥200,000: exempt).
    // 2026: the rest of the restricted gift is spent.
    small = await register('深圳市龙华社区互助协会', 'SOCIAL_ORGANISATION');
    await small.openProject('P-1', { startDate: '2024-01-01', endDate: '2026-12-31', budget: '10000.00' });
    await small.donate('100000.00', '2024-01-10T02:00:00.000Z');
    smallRestricted = await small.donate('5000.00', '2024-02-01T02:00:00.000Z', { kind: 'PROJECT', projectId: 'P-1' });
    await small.donateInKind([{ itemCode: 'RICE-5KG', quantity: 20 }], '2000.00', '2024-02-05T02:00:00.000Z');
    await small.refund(smallRestricted, '1000.00', '2024-03-01T02:00:00.000Z');
    await small.procure('P-1', 'WHEELCHAIR', 2, '500.00', '2024-04-01T02:00:00.000Z');
    await small.select('P-1', [{ pseudonym: 'ps-11111111', region: 'SZ-FUTIAN-YUANLING' }], '2024-04-02');
    await small.disburse('P-1', 'ps-11111111', '2024-04-03T02:00:00.000Z', { goods: [{ itemCode: 'WHEELCHAIR', quantity: 1 }] });
    await small.expense('CHARITABLE_ACTIVITY', '60000.00', '2025-03-01T02:00:00.000Z');
    await small.expense('MANAGEMENT', '30000.00', '2025-03-02T02:00:00.000Z');
    await small.expense('CHARITABLE_ACTIVITY', '3000.00', thisYear(1), 'P-1');

    // this year: 3 gifts and an expense, then 2 reversals (dated when recorded: now) → 2 of 6 entries
    corrections = await register('深圳市宝安社工服务中心', 'SOCIAL_SERVICE_AGENCY');
    const first = await corrections.donate('100.00', thisYear(2));
    await corrections.donate('100.00', thisYear(3));
    await corrections.donate('100.00', thisYear(4));
    const expense = await corrections.expense('CHARITABLE_ACTIVITY', '50.00', thisYear(5));
    await corrections.reverse(expense);
    await corrections.reverse(first);
  });

  afterAll(async () => {
    await app.close();
  });

  it('(1) a public-fundraising foundation that meets the 70 % rule through the three-year average, both computations shown', async () => {
    const result = await report(meets.charityId, 2025);
    expect(result).toMatchObject({ kind: 'PUBLIC_FUNDRAISING_FOUNDATION', year: 2025, yearComplete: true, asOf: '2025-12-31T16:00:00.000Z' });
    const spending = rule(result, '.spending');
    expect(spending).toMatchObject({
      id: 'charity-law-2023-art61.spending',
      status: 'PASS',
      passed: true,
      source: '中华人民共和国慈善法（2023年修正） 第六十一条第一款 (in force from 2024-09-05)',
      threshold: '≥ 6300.00 (70% of the 2024 total income 9000.00) or ≥ 4900.00 (70% of the 2022–2024 average total income 7000.00)',
      actual: '5000.00 CNY on charitable activities in 2025',
    });
    expect(spending.arithmetic).toEqual(
      expect.arrayContaining([
        'total income 2024 = 9000.00 cash + 0.00 in kind − 0.00 refunded = 9000.00',
        '70% × 9000.00 = 6300.00; 5000.00 ≥ 6300.00: no',
        'the 2022–2024 average total income = (9000.00 + 6000.00 + 6000.00) ÷ 3 = 7000.00',
        '70% × 7000.00 = 4900.00; 5000.00 ≥ 4900.00: yes',
      ]),
    );
    expect(value(spending, 'charitableActivitySpending2025')).toBe('5000.00');
    expect(value(spending, 'averageTotalIncome2022–2024')).toBe('7000.00');
    const management = rule(result, '.management');
    expect(management).toMatchObject({ status: 'PASS', threshold: '≤ 550.00 (10% of total spending 5500.00)', actual: '400.00 CNY management costs in 2025 (≈7.27% of total spending)' });
    expect(value(management, 'totalSpending2025')).toBe('5500.00');
  });

  it('(2) a public-fundraising foundation that misses the 70 % rule on both bases', async () => {
    const result = await report(missesSpending.charityId, 2025);
    const spending = rule(result, '.spending');
    expect(spending).toMatchObject({
      status: 'FAIL',
      passed: false,
      threshold: '≥ 7000.00 (70% of the 2024 total income 10000.00) or ≥ 7000.00 (70% of the 2022–2024 average total income 10000.00)',
    });
    expect(spending.explanation).toContain('The minimum is not met.');
    expect(rule(result, '.management').status).toBe('PASS');
  });

  it('(3) a public-fundraising foundation that misses the 10 % management cap by a tenth of a fen', async () => {
    const result = await report(missesCap.charityId, 2025);
    expect(rule(result, '.spending').status).toBe('PASS');
    const management = rule(result, '.management');
    expect(management).toMatchObject({ status: 'FAIL', passed: false, threshold: '≤ 780.001 (10% of total spending 7800.01)' });
    expect(management.arithmetic).toContain('10% × 7800.01 = 780.001; 800.01 ≤ 780.001: no');
  });

  it('(4) a small social organisation: net assets from gifts, goods, refunds and deliveries; management under the ¥200,000 exemption', async () => {
    const result = await report(small.charityId, 2025);
    expect(result.kind).toBe('SOCIAL_ORGANISATION');
    const spending = rule(result, '.spending');
    expect(value(spending, 'totalIncome2024')).toBe('106000.00');
    expect(value(spending, 'receivedInKind2024')).toBe('2000.00');
    expect(value(spending, 'refunded2024')).toBe('1000.00');
    expect(value(spending, 'netAssetsEnd2024')).toBe('105500.00');
    expect(spending).toMatchObject({
      id: 'mca-2016-art9.spending',
      status: 'PASS',
      threshold: '≥ 53000.00 (50% of the 2024 total income 106000.00) and ≥ 8440.00 (8% of the 2024 year-end net assets 105500.00)',
    });
    expect(spending.source).toContain('第九条（四）');
    const management = rule(result, '.management');
    expect(management).toMatchObject({ id: 'mca-2016-art9.management', status: 'EXEMPT', passed: true, actual: '30000.00 CNY management costs in 2025 (≈33.33% of total spending)' });
    expect(management.explanation).toContain('below 200000.00');
    expect(management.explanation).toContain('Without the exemption they would exceed the cap of 18000.00');
    expect(management.source).toContain('第十一条');
  });

  it('flags restricted money unspent for over 12 months as it stood at the year end, not as it stands now', async () => {
    const past = flag(await report(small.charityId, 2025), 'restricted-funds-unspent');
    // 5,000.00 − 1,000.00 refunded − 1,000.00 of wheelchairs = 3,000.00 left at the end of 2025
    expect(past).toMatchObject({ raised: true, value: '1 gift(s), 3000.00 CNY unspent' });
    expect(past.items).toEqual([
      { reference: `gift ${smallRestricted}`, description: 'restricted to project P-1: 3000.00 of 5000.00 unspent', amount: { amount: '3000.00', currency: 'CNY' }, date: '2024-02-01T02:00:00.000Z' },
    ]);
    // spent in full this year
    expect(flag(await report(small.charityId, THIS_YEAR), 'restricted-funds-unspent')).toMatchObject({ raised: false, items: [] });
    // at the end of 2024 the gift was not yet 12 months old
    expect(flag(await report(small.charityId, 2024), 'restricted-funds-unspent').raised).toBe(false);
  });

  it('flags the charity’s disclosures overdue at the year end, as the disclosure schedule judges them', async () => {
    // P-1 raises funds publicly from 2024-01-01 and no progress report was ever published:
    // a disclosure every three months, the first due on 2024-04-01
    const result = await report(small.charityId, 2025);
    const overdue = flag(result, 'overdue-disclosures');
    const schedule = await app.gql<{ overdueDisclosures: Array<{ charityId: string; projectId: string; kind: string; dueOn: string }> }>(
      `query ($asOf: String!) { overdueDisclosures(asOf: $asOf) { charityId projectId kind dueOn } }`,
      { asOf: '2025-12-31' },
      regulatorKey,
    );
    const own = schedule.data!.overdueDisclosures.filter((item) => item.charityId === small.charityId);
    expect(own.length).toBeGreaterThan(0);
    expect(overdue).toMatchObject({ raised: true, value: String(own.length) });
    expect(overdue.items.map((item) => item.date)).toEqual(own.map((item) => item.dueOn));
    expect(overdue.items[0]).toMatchObject({ reference: 'project P-1', date: '2024-04-01' });
    expect(overdue.explanation).toContain('on 2025-12-31; the oldest was due on 2024-04-01');
    // another charity's projects are not this one's
    expect(flag(await report(meets.charityId, 2025), 'overdue-disclosures')).toMatchObject({ raised: false, value: '0', items: [] });
  });

  it('counts reversals per 100 entries dated in the year', async () => {
    const current = await report(corrections.charityId, THIS_YEAR);
    expect(current.yearComplete).toBe(false);
    const reversals = flag(current, 'reversals-per-100-entries');
    expect(reversals).toMatchObject({ raised: true, value: '≈33.33' });
    expect(reversals.explanation).toContain('2 of the 6 entries');
    expect(flag(await report(meets.charityId, 2025), 'reversals-per-100-entries')).toMatchObject({ raised: false, value: '0.00' });
    // nothing before this year: the spending minimum cannot be judged
    expect(rule(current, '.spending').status).toBe('INSUFFICIENT_DATA');
    expect(rule(current, '.spending').explanation).toContain(`Nothing is recorded on this ledger before ${THIS_YEAR}`);
  });

  it('is for regulators only; unknown charities and years out of range are refused', async () => {
    const variables = { charityId: meets.charityId, year: 2025 };
    expect(codeOf(await app.gql(REPORT, variables))).toBe('UNAUTHENTICATED');
    expect(codeOf(await app.gql(REPORT, variables, meets.apiKey))).toBe('FORBIDDEN');
    expect(codeOf(await app.gql(REPORT, variables, app.adminKey))).toBe('FORBIDDEN');
    expect(codeOf(await app.gql(REPORT, { charityId: '00000000-0000-4000-8000-000000000000', year: 2025 }, regulatorKey))).toBe('NOT_FOUND');
    for (const year of [2015, THIS_YEAR + 1]) {
      const response = await app.gql(REPORT, { charityId: meets.charityId, year }, regulatorKey);
      expect(codeOf(response)).toBe('BAD_USER_INPUT');
      expect(response.errors![0].message).toContain(`year: must be a year from 2016 (the earliest standard in force) to ${THIS_YEAR}`);
    }
  });

  it('a bad thresholds file stops the service at start with a message naming the setting and the place', async () => {
    const db = await createTestDatabase(false);
    const directory = await mkdtemp(path.join(tmpdir(), 'cl-thresholds-'));
    try {
      const document = JSON.parse(await readFile(DEFAULT_THRESHOLDS_FILE, 'utf8'));
      document.standards[3].brackets[2].netAssetsAtLeast = 1000000;
      const file = path.join(directory, 'thresholds.json');
      await writeFile(file, JSON.stringify(document));
      const { code, output } = await runServiceExpectingFailure({ DATABASE_URL: db.ownerUrl, COMPLIANCE_THRESHOLDS_FILE: file });
      expect(code).toBe(1);
      expect(output).toContain('Invalid configuration');
      expect(output).toContain(`COMPLIANCE_THRESHOLDS_FILE (${file}): standards[3].brackets[2].netAssetsAtLeast: 1000000 is not an amount in yuan as a string`);
      expect(output).not.toContain('    at ');
    } finally {
      await db.drop();
      await rm(directory, { recursive: true, force: true });
    }
  });
});
