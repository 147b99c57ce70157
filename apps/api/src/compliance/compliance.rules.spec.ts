import { readFileSync } from 'node:fs';
import { CharityKind } from '../charities/charity.entity.js';
import { DEFAULT_THRESHOLDS_FILE, parseThresholds, type ComplianceThresholds } from './compliance-thresholds.js';
import { evaluateRules, monthsBefore, overdueDisclosuresFlag, restrictedFundsFlag, reversalsFlag, type RuleResult, type YearFigures } from './compliance.rules.js';
import { parseYuan } from './exact-arithmetic.js';

const thresholds: ComplianceThresholds = parseThresholds(JSON.parse(readFileSync(DEFAULT_THRESHOLDS_FILE, 'utf8')));

interface Amounts {
  cash?: string;
  inKind?: string;
  refunded?: string;
  charitable?: string;
  management?: string;
  fundraising?: string;
}

function figures(year: number, amounts: Amounts): YearFigures {
  const fen = (value: string | undefined) => parseYuan(value ?? '0');
  return {
    year,
    receivedCash: fen(amounts.cash),
    receivedInKind: fen(amounts.inKind),
    refunded: fen(amounts.refunded),
    spentCharitableActivity: fen(amounts.charitable),
    spentManagement: fen(amounts.management),
    spentFundraising: fen(amounts.fundraising),
  };
}

/** Rules for 2026 (a complete year for these tests) given each year's figures. */
function check(kind: CharityKind, years: YearFigures[], year = 2026): { spending: RuleResult; management: RuleResult } {
  const [spending, management] = evaluateRules(thresholds, kind, { year, years, yearComplete: true, currency: 'CNY' }, `${year}-12-31`);
  return { spending, management };
}

const input = (rule: RuleResult, name: string) => rule.inputs.find((entry) => entry.name === name)?.value;

describe('compliance rules', () => {
  describe('public-fundraising foundations (Charity Law Art. 61)', () => {
    it('passes at exactly 70% of the previous year’s income, and fails one fen below', () => {
      const history = [figures(2025, { cash: '900.00', inKind: '200.00', refunded: '100.00' })];
      const exactly = check(CharityKind.PUBLIC_FUNDRAISING_FOUNDATION, [...history, figures(2026, { charitable: '700.00' })]).spending;
      expect(exactly).toMatchObject({ id: 'charity-law-2023-art61.spending', status: 'PASS', threshold: '≥ 700.00 (70% of the 2025 total income 1000.00)' });
      expect(input(exactly, 'totalIncome2025')).toBe('1000.00');
      expect(exactly.arithmetic).toContain('total income 2025 = 900.00 cash + 200.00 in kind − 100.00 refunded = 1000.00');
      expect(exactly.source).toBe('中华人民共和国慈善法（2023年修正） 第六十一条第一款 (in force from 2024-09-05)');

      const below = check(CharityKind.PUBLIC_FUNDRAISING_FOUNDATION, [...history, figures(2026, { charitable: '699.99' })]).spending;
      expect(below.status).toBe('FAIL');
    });

    it('passes on the three-year average when the previous year alone fails, showing both computations', () => {
      const years = [figures(2023, { cash: '600.00' }), figures(2024, { cash: '800.00' }), figures(2025, { cash: '1000.00' }), figures(2026, { charitable: '560.00' })];
      const { spending } = check(CharityKind.PUBLIC_FUNDRAISING_FOUNDATION, years);
      expect(spending.status).toBe('PASS');
      expect(spending.threshold).toBe('≥ 700.00 (70% of the 2025 total income 1000.00) or ≥ 560.00 (70% of the 2023–2025 average total income 800.00)');
      expect(spending.arithmetic).toEqual(
        expect.arrayContaining([
          '70% × 1000.00 = 700.00; 560.00 ≥ 700.00: no',
          'the 2023–2025 average total income = (1000.00 + 800.00 + 600.00) ÷ 3 = 800.00',
          '70% × 800.00 = 560.00; 560.00 ≥ 560.00: yes',
        ]),
      );
    });

    it('compares with the exact average, not a rounded one', () => {
      // (1000.05 + 1000.00 + 1000.00) ÷ 3 × 70% = 700.011666… yuan: 700.01 is short of it
      const history = [figures(2023, { cash: '1000.00' }), figures(2024, { cash: '1000.00' }), figures(2025, { cash: '1000.05' })];
      const short = check(CharityKind.PUBLIC_FUNDRAISING_FOUNDATION, [...history, figures(2026, { charitable: '700.01' })]).spending;
      expect(short.status).toBe('FAIL');
      expect(short.threshold).toContain('or ≥ ≈700.01 (70% of the 2023–2025 average total income ≈1000.02)');
      expect(check(CharityKind.PUBLIC_FUNDRAISING_FOUNDATION, [...history, figures(2026, { charitable: '700.02' })]).spending.status).toBe('PASS');
    });

    it('averages only the years the ledger has (a charity recorded since 2025 has one prior year)', () => {
      const { spending } = check(CharityKind.PUBLIC_FUNDRAISING_FOUNDATION, [figures(2025, { cash: '1000.00' }), figures(2026, { charitable: '10.00' })]);
      expect(spending.threshold).toBe('≥ 700.00 (70% of the 2025 total income 1000.00)');
      expect(spending.status).toBe('FAIL');
    });

    it('caps management at 10% of total spending with no ¥200,000 exemption', () => {
      const history = [figures(2025, { cash: '10000.00' })];
      const atCap = check(CharityKind.PUBLIC_FUNDRAISING_FOUNDATION, [...history, figures(2026, { charitable: '800.00', management: '100.00', fundraising: '100.00' })]).management;
      expect(atCap).toMatchObject({ id: 'charity-law-2023-art61.management', status: 'PASS', threshold: '≤ 100.00 (10% of total spending 1000.00)' });
      const over = check(CharityKind.PUBLIC_FUNDRAISING_FOUNDATION, [...history, figures(2026, { charitable: '799.99', management: '100.01', fundraising: '100.00' })]).management;
      expect(over.status).toBe('FAIL');
      expect(over.actual).toBe('100.01 CNY management costs in 2026 (10.001% of total spending)');
      expect(over.explanation).toContain('above 10%');
      expect(input(over, 'managementExemptionBelow')).toBeUndefined();
    });

    it('applies the 2016 text (Art. 60) to years that ended before the 2023 amendment took effect', () => {
      const years = [figures(2022, { cash: '100.00' }), figures(2023, { charitable: '70.00' })];
      const [spending] = evaluateRules(thresholds, CharityKind.PUBLIC_FUNDRAISING_FOUNDATION, { year: 2023, years, yearComplete: true, currency: 'CNY' }, '2023-12-31');
      expect(spending).toMatchObject({ id: 'charity-law-2016-art60.spending', status: 'PASS', source: '中华人民共和国慈善法 第六十条第一款 (in force from 2016-09-01)' });
    });

    it('cannot judge spending without anything recorded before the year, but still checks the management cap', () => {
      const { spending, management } = check(CharityKind.PUBLIC_FUNDRAISING_FOUNDATION, [figures(2026, { cash: '100.00', charitable: '10.00', management: '5.00' })]);
      expect(spending.status).toBe('INSUFFICIENT_DATA');
      expect(management.status).toBe('FAIL');
    });
  });

  describe('net-asset brackets at their exact boundaries', () => {
    /** Previous year-end net assets of exactly `amount` (income in 2025, nothing spent). */
    const withNetAssets = (amount: string, year2026: Amounts = {}) => [figures(2025, { cash: amount }), figures(2026, year2026)];

    it.each([
      ['999999.99', '第九条（四）', '8', '20'],
      ['1000000.00', '第九条（三）', '8', '15'],
      ['4999999.99', '第九条（三）', '8', '15'],
      ['5000000.00', '第九条（二）', '7', '14'],
      ['9999999.99', '第九条（二）', '7', '14'],
      ['10000000.00', '第九条（一）', '6', '13'],
    ])('social organisations (Art. 9): net assets %s fall in %s (%s%% / %s%%)', (amount, clause, spending, management) => {
      const result = check(CharityKind.SOCIAL_ORGANISATION, withNetAssets(amount));
      expect(input(result.spending, 'netAssetsEnd2025')).toBe(amount);
      expect(result.spending.source).toContain(clause);
      expect(result.spending.title).toContain(`≥ ${spending}% of the previous year-end net assets`);
      expect(result.management.title).toContain(`≤ ${management}% of the year's total spending`);
      expect(result.management.source).toContain(clause);
    });

    it.each([
      ['3999999.99', '第八条（四）', '8', '20'],
      ['4000000.00', '第八条（三）', '7', '15'],
      ['7999999.99', '第八条（三）', '7', '15'],
      ['8000000.00', '第八条（二）', '6', '13'],
      ['59999999.99', '第八条（二）', '6', '13'],
      ['60000000.00', '第八条（一）', '6', '12'],
    ])('foundations without public fundraising status (Art. 8): net assets %s fall in %s (%s%% / %s%%)', (amount, clause, spending, management) => {
      const result = check(CharityKind.NON_PUBLIC_FUNDRAISING_FOUNDATION, withNetAssets(amount));
      expect(result.spending.source).toContain(clause);
      expect(result.spending.title).toContain(`≥ ${spending}% of the previous year-end net assets`);
      expect(result.management.title).toContain(`≤ ${management}% of the year's total spending`);
    });

    it('social service agencies use the Art. 9 brackets too', () => {
      expect(check(CharityKind.SOCIAL_SERVICE_AGENCY, withNetAssets('1000000.00')).spending.source).toContain('第九条（三）');
    });

    it('passes at exactly the percentage of net assets and fails one fen below', () => {
      // 8% of 1,000,000.00 = 80,000.00
      expect(check(CharityKind.SOCIAL_ORGANISATION, withNetAssets('1000000.00', { charitable: '80000.00' })).spending.status).toBe('PASS');
      expect(check(CharityKind.SOCIAL_ORGANISATION, withNetAssets('1000000.00', { charitable: '79999.99' })).spending.status).toBe('FAIL');
    });

    it('below ¥1,000,000 also requires 50% of the previous year’s income', () => {
      const eightPercentOnly = check(CharityKind.SOCIAL_ORGANISATION, withNetAssets('500000.00', { charitable: '40000.00' })).spending;
      expect(eightPercentOnly.status).toBe('FAIL');
      expect(eightPercentOnly.threshold).toBe('≥ 250000.00 (50% of the 2025 total income 500000.00) and ≥ 40000.00 (8% of the 2025 year-end net assets 500000.00)');
      expect(check(CharityKind.SOCIAL_ORGANISATION, withNetAssets('500000.00', { charitable: '250000.00' })).spending.status).toBe('PASS');
    });

    it('net assets are all income less all spending to the year end; purchases are not in the figures at all', () => {
      const years = [
        figures(2024, { cash: '3000000.00', inKind: '500000.00', charitable: '400000.00', management: '50000.00' }),
        figures(2025, { cash: '2000000.00', refunded: '50000.00', charitable: '900000.00', fundraising: '100000.00' }),
        figures(2026, {}),
      ];
      const { spending } = check(CharityKind.SOCIAL_ORGANISATION, years);
      // income 3,500,000 + 1,950,000 − spending 450,000 − 1,000,000 = 4,000,000.00: bracket (三)
      expect(input(spending, 'netAssetsEnd2025')).toBe('4000000.00');
      expect(input(spending, 'netAssetsEnd2024')).toBe('3050000.00');
      expect(input(spending, 'averageNetAssetsEnd2024–2025')).toBe('3525000.00');
      expect(spending.source).toContain('第九条（三）');
    });
  });

  describe('the ¥200,000 management-cost exemption (2016 rules Art. 11)', () => {
    const history = [figures(2025, { cash: '5000000.00' })];

    it('exempts management costs below ¥200,000 even far above the cap, saying what the cap would have been', () => {
      const { management } = check(CharityKind.SOCIAL_ORGANISATION, [...history, figures(2026, { charitable: '400000.00', management: '199999.99' })]);
      expect(management.status).toBe('EXEMPT');
      expect(management.explanation).toContain('below 200000.00');
      expect(management.explanation).toContain('Without the exemption they would exceed the cap of 83999.99');
      expect(management.source).toContain('第十一条');
    });

    it('does not exempt exactly ¥200,000 (the rule says below)', () => {
      const { management } = check(CharityKind.SOCIAL_ORGANISATION, [...history, figures(2026, { charitable: '400000.00', management: '200000.00' })]);
      expect(management.status).toBe('FAIL');
    });

    it('checks the cap above the exemption at its exact value', () => {
      // bracket (二): 14% of 2,000,000.00 = 280,000.00
      const atCap = check(CharityKind.SOCIAL_ORGANISATION, [...history, figures(2026, { charitable: '1720000.00', management: '280000.00' })]).management;
      expect(atCap.status).toBe('PASS');
      const over = check(CharityKind.SOCIAL_ORGANISATION, [...history, figures(2026, { charitable: '1719999.99', management: '280000.01' })]).management;
      expect(over.status).toBe('FAIL');
    });

    it('exempts a new organisation whose bracket is unknown when its management costs are small', () => {
      const { spending, management } = check(CharityKind.SOCIAL_SERVICE_AGENCY, [figures(2026, { cash: '10.00', management: '5.00' })]);
      expect(spending.status).toBe('INSUFFICIENT_DATA');
      expect(management.status).toBe('EXEMPT');
      const large = check(CharityKind.SOCIAL_SERVICE_AGENCY, [figures(2026, { cash: '300000.00', management: '250000.00' })]).management;
      expect(large.status).toBe('INSUFFICIENT_DATA');
    });
  });

  describe('flags', () => {
    const settings = thresholds.flags;

    it('counts reversals per 100 entries and raises the flag only above the review level', () => {
      expect(reversalsFlag({ entries: 40, reversals: 2 }, settings, 2026)).toMatchObject({ raised: false, value: '5.00' });
      const many = reversalsFlag({ entries: 40, reversals: 3 }, settings, 2026);
      expect(many).toMatchObject({ raised: true, value: '7.50' });
      expect(many.explanation).toContain('3 × 100 ÷ 40 = 7.50 per 100 entries');
      expect(reversalsFlag({ entries: 0, reversals: 0 }, settings, 2026)).toMatchObject({ raised: false, value: '0.00' });
    });

    it('lists restricted gifts with money left', () => {
      const flag = restrictedFundsFlag(
        [{ sequence: 4, restrictionKind: 'PROJECT', projectId: 'P-1', purpose: null, amount: 100_000n, remaining: 40_000n, receivedAt: '2024-03-01T02:00:00.000Z' }],
        settings,
        '2025-12-31T16:00:00.000Z',
        '2024-12-31T16:00:00.000Z',
        'CNY',
      );
      expect(flag).toMatchObject({ raised: true, value: '1 gift(s), 400.00 CNY unspent' });
      expect(flag.items).toEqual([{ reference: 'gift 4', description: 'restricted to project P-1: 400.00 of 1000.00 unspent', amount: 40_000n, date: '2024-03-01T02:00:00.000Z' }]);
      expect(restrictedFundsFlag([], settings, 'a', 'b', 'CNY').raised).toBe(false);
    });

    it('lists overdue disclosures with their due dates', () => {
      const flag = overdueDisclosuresFlag(
        [
          { projectId: 'P-2', projectTitle: '助学', kind: 'FINAL_REPORT', dueOn: '2025-09-30', daysOverdue: 92, basis: '慈善法 Art. 79' },
          { projectId: 'P-1', projectTitle: '轮椅进社区', kind: 'PROGRESS_REPORT', dueOn: '2025-06-30', daysOverdue: 184, basis: '慈善法 Art. 79' },
        ],
        '2025-12-31',
      );
      expect(flag).toMatchObject({ id: 'overdue-disclosures', raised: true, value: '2' });
      expect(flag.explanation).toBe('2 disclosure(s) were past due and not met on 2025-12-31; the oldest was due on 2025-06-30.');
      expect(flag.items[1]).toEqual({
        reference: 'project P-1',
        description: '轮椅进社区: PROGRESS_REPORT due on 2025-06-30, 184 day(s) overdue on 2025-12-31 (慈善法 Art. 79)',
        amount: null,
        date: '2025-06-30',
      });
      expect(overdueDisclosuresFlag([], '2025-12-31')).toMatchObject({ raised: false, value: '0', items: [] });
    });

    it('goes back whole months in Shenzhen time, clamping to the month’s last day', () => {
      // the end of 2025 in Shenzhen, twelve months back: the start of 2025 there
      expect(monthsBefore(new Date('2025-12-31T16:00:00.000Z'), 12).toISOString()).toBe('2024-12-31T16:00:00.000Z');
      // 2028-02-29 10:00 in Shenzhen → 2027-02-28 10:00
      expect(monthsBefore(new Date('2028-02-29T02:00:00.000Z'), 12).toISOString()).toBe('2027-02-28T02:00:00.000Z');
      // 2026-03-31 01:00 in Shenzhen (still 03-30 in UTC) → 2026-02-28 01:00
      expect(monthsBefore(new Date('2026-03-30T17:00:00.000Z'), 1).toISOString()).toBe('2026-02-27T17:00:00.000Z');
    });
  });
});
