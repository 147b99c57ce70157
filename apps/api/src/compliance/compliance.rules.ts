import type { CharityKind } from '../charities/charity.entity.js';
import type { FigureRow } from '../figures/figures.service.js';
import { standardFor, type Bracket, type ComplianceThresholds, type FlagSettings, type LegalSource, type Standard } from './compliance-thresholds.js';
import { average, compare, fraction, multiply, percentage, percentText, yuan, type Fraction } from './exact-arithmetic.js';

/**
 * The compliance rules as pure functions (docs/compliance.md): thresholds and a
 * charity's period figures in, each rule's result out, with its inputs and the
 * arithmetic shown. Money in fen (bigint); every comparison exact.
 */

export type RuleStatus = 'PASS' | 'FAIL' | 'EXEMPT' | 'NOT_APPLICABLE' | 'INSUFFICIENT_DATA';

/** A named value the rule used; value is an exact decimal string (or a year, a count). */
export interface RuleInput {
  name: string;
  value: string;
  /** CNY, %, entries … */
  unit: string | null;
}

export interface RuleResult {
  id: string;
  title: string;
  source: string;
  status: RuleStatus;
  threshold: string;
  actual: string;
  inputs: RuleInput[];
  /** The computation, one step a line. */
  arithmetic: string[];
  explanation: string;
}

/** One calendar year's figures (FiguresService, grouped by YEAR), in fen. */
export type YearFigures = { year: number } & Pick<
  FigureRow,
  'receivedCash' | 'receivedInKind' | 'refunded' | 'spentCharitableActivity' | 'spentManagement' | 'spentFundraising'
>;

export interface RuleFigures {
  /** The year checked. */
  year: number;
  /** Every year up to and including `year` that has figures (years without any are left out). */
  years: YearFigures[];
  /** false: the year is not over; its figures are to date. */
  yearComplete: boolean;
  currency: string;
}

const ZERO_YEAR = (year: number): YearFigures => ({
  year,
  receivedCash: 0n,
  receivedInKind: 0n,
  refunded: 0n,
  spentCharitableActivity: 0n,
  spentManagement: 0n,
  spentFundraising: 0n,
});

/** Total income of a year: money and goods received, less refunds (docs/compliance.md). */
export function totalIncome(figures: YearFigures): bigint {
  return figures.receivedCash + figures.receivedInKind - figures.refunded;
}

/** Total spending of a year: all three cost classes. */
export function totalSpending(figures: YearFigures): bigint {
  return figures.spentCharitableActivity + figures.spentManagement + figures.spentFundraising;
}

/** The derived figures the rules use. */
class Ledger {
  private readonly byYear = new Map<number, YearFigures>();
  /** First year with any figure; undefined: none at all. */
  readonly firstYear: number | undefined;

  constructor(private readonly figures: RuleFigures) {
    for (const row of figures.years) if (row.year <= figures.year) this.byYear.set(row.year, row);
    const years = [...this.byYear.keys()];
    this.firstYear = years.length > 0 ? Math.min(...years) : undefined;
  }

  get year(): number {
    return this.figures.year;
  }

  of(year: number): YearFigures {
    return this.byYear.get(year) ?? ZERO_YEAR(year);
  }

  /** Whether anything is recorded before the year checked. */
  get hasHistory(): boolean {
    return this.firstYear !== undefined && this.firstYear < this.year;
  }

  /** Up to three years before the one checked, newest first, within the recorded history (Art. 10; Charity Law Art. 61). */
  get priorYears(): number[] {
    return [this.year - 1, this.year - 2, this.year - 3].filter((year) => this.firstYear !== undefined && year >= this.firstYear);
  }

  /** Net assets at the end of a year: all income less all spending up to then. */
  netAssetsEnd(year: number): { value: bigint; income: bigint; spending: bigint } {
    let income = 0n;
    let spending = 0n;
    for (const row of this.byYear.values()) {
      if (row.year > year) continue;
      income += totalIncome(row);
      spending += totalSpending(row);
    }
    return { value: income - spending, income, spending };
  }
}

/**
 * Citations of a standard, e.g. "《…规定》 第九条（四）、第十条 (in force from 2016-10-11)":
 * the first source narrowed to the bracket's clause when one applies, articles of one
 * document together; `only` keeps just the first source (the averages of Art. 10 are
 * about spending, not management costs), `extra` adds one (the exemption).
 */
function source(standard: Standard, options: { clause?: string; only?: boolean; extra?: LegalSource } = {}): string {
  const entries = (options.only ? standard.sources.slice(0, 1) : standard.sources).map((entry, index) => ({
    document: entry.document,
    article: index === 0 && options.clause ? options.clause : entry.article,
  }));
  if (options.extra) entries.push({ document: options.extra.document, article: options.extra.article });
  const byDocument = new Map<string, string[]>();
  for (const entry of entries) byDocument.set(entry.document, [...(byDocument.get(entry.document) ?? []), entry.article]);
  const cited = [...byDocument].map(([document, articles]) => `${document} ${articles.join('、')}`);
  return `${cited.join('; ')} (in force from ${standard.inForceFrom})`;
}

function bracketOf(standard: Standard, netAssets: bigint): Bracket {
  return standard.brackets.find(
    (bracket) => (bracket.netAssetsAtLeast === null || netAssets >= bracket.netAssetsAtLeast) && (bracket.netAssetsBelow === null || netAssets < bracket.netAssetsBelow),
  )!;
}

/** The bracket's range in words, e.g. "≥ 1000000.00 and < 5000000.00". */
export function bracketRange(bracket: Bracket): string {
  const parts = [
    bracket.netAssetsAtLeast !== null ? `≥ ${yuan(bracket.netAssetsAtLeast)}` : null,
    bracket.netAssetsBelow !== null ? `< ${yuan(bracket.netAssetsBelow)}` : null,
  ].filter((part): part is string => part !== null);
  return parts.length > 0 ? parts.join(' and ') : 'any amount';
}

/** Which bracket applies, with the inputs that chose it; null when it needs history that is not there. */
function chooseBracket(standard: Standard, ledger: Ledger, inputs: RuleInput[], arithmetic: string[], currency: string): Bracket | null {
  if (standard.brackets.length === 1) return standard.brackets[0];
  if (!ledger.hasHistory) return null;
  const previous = ledger.year - 1;
  const end = ledger.netAssetsEnd(previous);
  inputs.push({ name: `netAssetsEnd${previous}`, value: yuan(end.value), unit: currency });
  const bracket = bracketOf(standard, end.value);
  arithmetic.push(
    `net assets at the end of ${previous} = income ${yuan(end.income)} − spending ${yuan(end.spending)} (all years to ${previous}) = ${yuan(end.value)}`,
    `bracket ${bracket.clause}: net assets ${bracketRange(bracket)}`,
  );
  return bracket;
}

/** Evaluates the standard in force for the charity's kind on `day` (the year's last day, or the as-of date). */
export function evaluateRules(thresholds: ComplianceThresholds, kind: CharityKind, figures: RuleFigures, day: string): RuleResult[] {
  const standard = standardFor(thresholds, kind, day);
  if (!standard) {
    return [
      {
        id: 'no-standard',
        title: 'Spending and management-cost standard',
        source: `compliance thresholds ${thresholds.version}`,
        status: 'NOT_APPLICABLE',
        threshold: '—',
        actual: '—',
        inputs: [],
        arithmetic: [],
        explanation: `No standard in the compliance thresholds applies to a ${kind} on ${day}.`,
      },
    ];
  }
  const ledger = new Ledger(figures);
  return [spendingRule(standard, ledger, figures), managementRule(standard, ledger, figures)];
}

const TO_DATE = (figures: RuleFigures): string => (figures.yearComplete ? '' : ' (year to date: the year is not over)');

function spendingRule(standard: Standard, ledger: Ledger, figures: RuleFigures): RuleResult {
  const { year, currency } = figures;
  const id = `${standard.id}.spending`;
  const inputs: RuleInput[] = [];
  const arithmetic: string[] = [];
  const base = { id, inputs, arithmetic };
  if (!ledger.hasHistory) {
    return {
      ...base,
      title: `${standard.title}: minimum charitable-activity spending`,
      source: source(standard),
      status: 'INSUFFICIENT_DATA',
      threshold: 'needs the figures of the previous year(s)',
      actual: yuan(ledger.of(year).spentCharitableActivity),
      explanation: `Nothing is recorded on this ledger before ${year}, so the previous year's income and net assets that the minimum is measured against are unknown.`,
    };
  }
  const bracket = chooseBracket(standard, ledger, inputs, arithmetic, currency)!;
  const spent = ledger.of(year).spentCharitableActivity;
  inputs.push({ name: `charitableActivitySpending${year}`, value: yuan(spent), unit: currency });

  const checks: Array<{ met: boolean; threshold: string; text: string }> = [];
  const priorYears = ledger.priorYears;
  const span = priorYears.length > 1 ? `${priorYears[priorYears.length - 1]}–${priorYears[0]}` : `${priorYears[0]}`;
  if (bracket.spending.percentOfPreviousYearIncome) {
    const percent = bracket.spending.percentOfPreviousYearIncome;
    const incomes = priorYears.map((prior) => {
      const row = ledger.of(prior);
      const income = totalIncome(row);
      inputs.push(
        { name: `receivedCash${prior}`, value: yuan(row.receivedCash), unit: currency },
        { name: `receivedInKind${prior}`, value: yuan(row.receivedInKind), unit: currency },
        { name: `refunded${prior}`, value: yuan(row.refunded), unit: currency },
        { name: `totalIncome${prior}`, value: yuan(income), unit: currency },
      );
      arithmetic.push(`total income ${prior} = ${yuan(row.receivedCash)} cash + ${yuan(row.receivedInKind)} in kind − ${yuan(row.refunded)} refunded = ${yuan(income)}`);
      return income;
    });
    checks.push(
      minimumCheck(spent, percent, fraction(incomes[0]), `the ${year - 1} total income`, standard.threeYearAverage && priorYears.length > 1 ? { values: incomes, label: `the ${span} average total income`, name: `averageTotalIncome${span}` } : null, inputs, arithmetic, currency),
    );
  }
  if (bracket.spending.percentOfPreviousYearEndNetAssets) {
    const percent = bracket.spending.percentOfPreviousYearEndNetAssets;
    const ends = priorYears.map((prior) => {
      const end = ledger.netAssetsEnd(prior);
      if (!inputs.some((input) => input.name === `netAssetsEnd${prior}`)) {
        inputs.push({ name: `netAssetsEnd${prior}`, value: yuan(end.value), unit: currency });
        arithmetic.push(`net assets at the end of ${prior} = income ${yuan(end.income)} − spending ${yuan(end.spending)} (all years to ${prior}) = ${yuan(end.value)}`);
      }
      return end.value;
    });
    checks.push(
      minimumCheck(spent, percent, fraction(ends[0]), `the ${year - 1} year-end net assets`, standard.threeYearAverage && priorYears.length > 1 ? { values: ends, label: `the ${span} average year-end net assets`, name: `averageNetAssetsEnd${span}` } : null, inputs, arithmetic, currency),
    );
  }
  const passed = checks.every((check) => check.met);
  const parts = [
    bracket.spending.percentOfPreviousYearEndNetAssets ? `${percentText(bracket.spending.percentOfPreviousYearEndNetAssets)}% of the previous year-end net assets` : null,
    bracket.spending.percentOfPreviousYearIncome ? `${percentText(bracket.spending.percentOfPreviousYearIncome)}% of the previous year's total income` : null,
  ].filter((part): part is string => part !== null);
  const averageNote = standard.threeYearAverage ? ' (or of the three-year average)' : '';
  return {
    ...base,
    title: `${standard.title}: charitable-activity spending ≥ ${parts.join(' and ≥ ')}${averageNote}`,
    source: source(standard, { clause: standard.brackets.length > 1 ? bracket.clause : undefined }),
    status: passed ? 'PASS' : 'FAIL',
    threshold: checks.map((check) => check.threshold).join(' and '),
    actual: `${yuan(spent)} ${currency} on charitable activities in ${year}`,
    explanation:
      `${checks.map((check) => check.text).join(' ')} ` +
      (passed ? 'The minimum is met.' : 'The minimum is not met.') +
      (standard.brackets.length > 1 ? ` Bracket ${bracket.clause} applies (previous year-end net assets ${bracketRange(bracket)}).` : '') +
      TO_DATE(figures),
  };
}

/**
 * spent ≥ percent × base, or (when the rules allow) ≥ percent × the average of
 * `alternative.values`: met when either holds. Pushes the inputs and the steps.
 */
function minimumCheck(
  spent: bigint,
  percent: Fraction,
  base: Fraction,
  label: string,
  alternative: { values: bigint[]; label: string; name: string } | null,
  inputs: RuleInput[],
  arithmetic: string[],
  currency: string,
): { met: boolean; threshold: string; text: string } {
  const shown = percentText(percent);
  const required = multiply(percent, base);
  const met = compare(fraction(spent), required) >= 0;
  arithmetic.push(`${shown}% × ${yuan(base)} = ${yuan(required)}; ${yuan(spent)} ≥ ${yuan(required)}: ${met ? 'yes' : 'no'}`);
  let threshold = `≥ ${yuan(required)} (${shown}% of ${label} ${yuan(base)})`;
  let text = `Spending of ${yuan(spent)} is ${met ? 'at least' : 'below'} ${shown}% of ${label} (${yuan(required)}).`;
  if (!alternative) return { met, threshold, text };

  const mean = average(alternative.values);
  const requiredAverage = multiply(percent, mean);
  const metAverage = compare(fraction(spent), requiredAverage) >= 0;
  inputs.push({ name: alternative.name, value: yuan(mean), unit: currency });
  arithmetic.push(
    `${alternative.label} = (${alternative.values.map((value) => yuan(value)).join(' + ')}) ÷ ${alternative.values.length} = ${yuan(mean)}`,
    `${shown}% × ${yuan(mean)} = ${yuan(requiredAverage)}; ${yuan(spent)} ≥ ${yuan(requiredAverage)}: ${metAverage ? 'yes' : 'no'}`,
  );
  threshold += ` or ≥ ${yuan(requiredAverage)} (${shown}% of ${alternative.label} ${yuan(mean)})`;
  text += ` It is ${metAverage ? 'at least' : 'below'} ${shown}% of ${alternative.label} (${yuan(requiredAverage)}).`;
  return { met: met || metAverage, threshold, text };
}

function managementRule(standard: Standard, ledger: Ledger, figures: RuleFigures): RuleResult {
  const { year, currency } = figures;
  const id = `${standard.id}.management`;
  const inputs: RuleInput[] = [];
  const arithmetic: string[] = [];
  const row = ledger.of(year);
  const management = row.spentManagement;
  const total = totalSpending(row);
  inputs.push(
    { name: `managementCosts${year}`, value: yuan(management), unit: currency },
    { name: `charitableActivitySpending${year}`, value: yuan(row.spentCharitableActivity), unit: currency },
    { name: `fundraisingCosts${year}`, value: yuan(row.spentFundraising), unit: currency },
    { name: `totalSpending${year}`, value: yuan(total), unit: currency },
  );
  arithmetic.push(
    `total spending ${year} = ${yuan(row.spentCharitableActivity)} charitable activity + ${yuan(management)} management + ${yuan(row.spentFundraising)} fundraising = ${yuan(total)}`,
  );
  const share = percentage(management, total);
  const actual = `${yuan(management)} ${currency} management costs in ${year}${share !== null ? ` (${share}% of total spending)` : ''}`;
  const exemption = standard.managementExemption;
  const bracket = chooseBracket(standard, ledger, inputs, arithmetic, currency);
  const cap = bracket ? multiply(bracket.managementMaximum, fraction(total)) : null;
  const within = cap ? compare(fraction(management), cap) <= 0 : null;
  if (bracket && cap) arithmetic.push(`${percentText(bracket.managementMaximum)}% × ${yuan(total)} = ${yuan(cap)}; ${yuan(management)} ≤ ${yuan(cap)}: ${within ? 'yes' : 'no'}`);
  const title = bracket
    ? `${standard.title}: management costs ≤ ${percentText(bracket.managementMaximum)}% of the year's total spending`
    : `${standard.title}: maximum management costs`;
  const cited = source(standard, { clause: bracket && standard.brackets.length > 1 ? bracket.clause : undefined, only: true, extra: exemption?.source });
  const capText = bracket && cap ? `≤ ${yuan(cap)} (${percentText(bracket.managementMaximum)}% of total spending ${yuan(total)})` : 'depends on the previous year-end net assets';

  if (exemption) {
    inputs.push({ name: 'managementExemptionBelow', value: yuan(exemption.below), unit: currency });
    const exempt = management < exemption.below;
    arithmetic.push(`${yuan(management)} < ${yuan(exemption.below)} (exemption): ${exempt ? 'yes' : 'no'}`);
    if (exempt) {
      return {
        id,
        title,
        source: cited,
        status: 'EXEMPT',
        threshold: `${capText}, unless management costs are below ${yuan(exemption.below)}`,
        actual,
        inputs,
        arithmetic,
        explanation:
          `Management costs of ${yuan(management)} are below ${yuan(exemption.below)}, so the percentage cap does not apply (${exemption.source.document} ${exemption.source.article}).` +
          (within === null ? '' : ` Without the exemption they would ${within ? 'be within' : 'exceed'} the cap of ${yuan(cap!)}.`) +
          TO_DATE(figures),
      };
    }
  }
  if (!bracket || !cap) {
    return {
      id,
      title,
      source: cited,
      status: 'INSUFFICIENT_DATA',
      threshold: capText,
      actual,
      inputs,
      arithmetic,
      explanation: `The cap depends on the net assets at the end of ${year - 1}, and nothing is recorded on this ledger before ${year}.${TO_DATE(figures)}`,
    };
  }
  return {
    id,
    title,
    source: cited,
    status: within ? 'PASS' : 'FAIL',
    threshold: capText,
    actual,
    inputs,
    arithmetic,
    explanation:
      `Management costs of ${yuan(management)} are ${within ? 'within' : 'above'} ${percentText(bracket.managementMaximum)}% of the year's total spending (${yuan(cap)}).` +
      (standard.brackets.length > 1 ? ` Bracket ${bracket.clause} applies (previous year-end net assets ${bracketRange(bracket)}).` : '') +
      (exemption ? ` They are not below ${yuan(exemption.below)}, so the exemption does not apply.` : '') +
      TO_DATE(figures),
  };
}

// ---------------------------------------------------------------------------
// Flags: things a regulator should look at, not rule failures.

export interface FlagItem {
  reference: string;
  description: string;
  /** Fen, when the item is an amount. */
  amount: bigint | null;
  /** YYYY-MM-DD or an ISO time. */
  date: string | null;
}

export interface ComplianceFlag {
  id: string;
  title: string;
  raised: boolean;
  value: string;
  explanation: string;
  inputs: RuleInput[];
  items: FlagItem[];
}

/** A disclosure past due and not met (the reports module's disclosure schedule). */
export interface OverdueDisclosure {
  projectId: string;
  projectTitle: string;
  kind: string;
  /** YYYY-MM-DD */
  dueOn: string;
  daysOverdue: number;
  basis: string;
}

/** The charity's disclosures past due and not met on `asOfDay` (the year's last day, or today). */
export function overdueDisclosuresFlag(overdue: readonly OverdueDisclosure[], asOfDay: string): ComplianceFlag {
  const oldest = overdue.reduce<OverdueDisclosure | undefined>((first, item) => (!first || item.dueOn < first.dueOn ? item : first), undefined);
  return {
    id: 'overdue-disclosures',
    title: 'Overdue disclosures',
    raised: overdue.length > 0,
    value: String(overdue.length),
    explanation:
      overdue.length > 0
        ? `${overdue.length} disclosure(s) were past due and not met on ${asOfDay}; the oldest was due on ${oldest!.dueOn}.`
        : `No disclosure was past due and not met on ${asOfDay}.`,
    inputs: [{ name: 'asOf', value: asOfDay, unit: null }],
    items: overdue.map((item) => ({
      reference: `project ${item.projectId}`,
      description: `${item.projectTitle}: ${item.kind} due on ${item.dueOn}, ${item.daysOverdue} day(s) overdue on ${asOfDay} (${item.basis})`,
      amount: null,
      date: item.dueOn,
    })),
  };
}

/** A restricted gift of money and what was left of it at the as-of time. */
export interface RestrictedRemainder {
  sequence: number;
  restrictionKind: 'PROJECT' | 'PURPOSE';
  projectId: string | null;
  purpose: string | null;
  amount: bigint;
  remaining: bigint;
  /** ISO time. */
  receivedAt: string;
}

/**
 * Restricted gifts received more than `months` months before `asOf` with money
 * left at `asOf` (the caller selects them; this shapes the flag).
 */
export function restrictedFundsFlag(remainders: readonly RestrictedRemainder[], settings: FlagSettings, asOf: string, receivedBefore: string, currency: string): ComplianceFlag {
  const total = remainders.reduce((sum, gift) => sum + gift.remaining, 0n);
  return {
    id: 'restricted-funds-unspent',
    title: `Restricted funds unspent for over ${settings.restrictedUnspentMonths} months`,
    raised: remainders.length > 0,
    value: `${remainders.length} gift(s), ${yuan(total)} ${currency} unspent`,
    explanation:
      remainders.length > 0
        ? `${remainders.length} gift(s) restricted to a project or purpose, received before ${receivedBefore}, still had ${yuan(total)} unspent at ${asOf}.`
        : `No gift restricted to a project or purpose received before ${receivedBefore} had money left at ${asOf}.`,
    inputs: [
      { name: 'asOf', value: asOf, unit: null },
      { name: 'receivedBefore', value: receivedBefore, unit: null },
      { name: 'unspentTotal', value: yuan(total), unit: currency },
    ],
    items: remainders.map((gift) => ({
      reference: `gift ${gift.sequence}`,
      description:
        (gift.restrictionKind === 'PROJECT' ? `restricted to project ${gift.projectId}` : `restricted to the purpose "${gift.purpose}"`) +
        `: ${yuan(gift.remaining)} of ${yuan(gift.amount)} unspent`,
      amount: gift.remaining,
      date: gift.receivedAt,
    })),
  };
}

/** The same wall-clock time in China Standard Time `months` months earlier (the day clamped to the month's length). */
export function monthsBefore(instant: Date, months: number): Date {
  const shifted = new Date(instant.getTime() + 8 * 3_600_000);
  const total = shifted.getUTCFullYear() * 12 + shifted.getUTCMonth() - months;
  const year = Math.floor(total / 12);
  const month = total % 12;
  const lastDay = new Date(Date.UTC(year, month + 1, 0)).getUTCDate();
  const result = new Date(shifted);
  result.setUTCFullYear(year, month, Math.min(shifted.getUTCDate(), lastDay));
  return new Date(result.getTime() - 8 * 3_600_000);
}

/** Reversals per 100 entries dated in the year, against the review setting. */
export function reversalsFlag(counts: { entries: number; reversals: number }, settings: FlagSettings, year: number): ComplianceFlag {
  const rate = counts.entries > 0 ? fraction(BigInt(counts.reversals) * 100n, BigInt(counts.entries)) : null;
  const raised = rate !== null && compare(rate, multiply(settings.reversalsPer100EntriesAbove, fraction(100n))) > 0;
  const shown = rate ? percentage(BigInt(counts.reversals), BigInt(counts.entries))! : '0.00';
  const limit = percentText(settings.reversalsPer100EntriesAbove);
  return {
    id: 'reversals-per-100-entries',
    title: 'Reversals per 100 entries',
    raised,
    value: shown,
    explanation:
      counts.entries === 0
        ? `No entries are dated in ${year}.`
        : `${counts.reversals} of the ${counts.entries} entries dated in ${year} are reversals: ${counts.reversals} × 100 ÷ ${counts.entries} = ${shown} per 100 entries, ` +
          `${raised ? 'above' : 'not above'} the review level of ${limit}. ${settings.reversalsSource}`,
    inputs: [
      { name: `entries${year}`, value: String(counts.entries), unit: 'entries' },
      { name: `reversals${year}`, value: String(counts.reversals), unit: 'entries' },
      { name: 'reviewAbovePer100', value: limit, unit: 'per 100 entries' },
    ],
    items: [],
  };
}
