import { Books, formatAmount, ledgerTimestamp, type Project } from '@charity-ledger/ledger-core';
import type { CharityKind } from '../charities/charity.entity.js';
import { chinaDate } from '../common/input-values.js';
import { regionInfo } from '../regions/regions.js';
import {
  ACTIVITY_DATE,
  ACTIVITY_STATUS,
  BUDGET,
  DAC_SECTOR,
  DOCUMENT_CATEGORY_RESULTS,
  FEATURE_DESIGNATION,
  GENERAL_ACTIVITY_SUFFIX,
  GEOGRAPHIC_VOCABULARY_ISO_COUNTRY,
  INDICATOR_MEASURE,
  LOCATION_CLASS_ADMINISTRATIVE,
  LOCATION_REACH_ACTIVITY,
  NARRATIVE_LANGUAGE,
  ORGANISATION_TYPE,
  organisationIdentifier,
  RESULT_TYPE_OUTPUT,
  ROLE,
  SCOPE_SINGLE_SECOND_LEVEL_AREA,
  SECTOR_NOT_SPECIFIED,
  SECTOR_VOCABULARY_DAC5,
  TRANSACTION_TYPE,
} from './iati-codelists.js';
import { attributes, element, escapeText } from './xml-text.js';

/**
 * A charity's ledger as an IATI 2.03 activity file (docs/iati.md). Pure: entries go
 * in one by one in chain order (`add`), the document comes out as text chunks
 * (`render`), with the clock passed in.
 *
 * - Each project is an activity, `CN-USCI-<credit code>-<project id>`; one more
 *   activity, `…-_GENERAL`, holds the unrestricted and purpose-restricted gifts and
 *   the costs of the charity as a whole.
 * - Gifts are Incoming Funds (1), refunds negative Incoming Funds, purchases and
 *   expenses Expenditure (4), cash given to beneficiaries and leftovers moved at a
 *   project's close Disbursement (3).
 * - No beneficiary ever appears: cash grants are summed per activity and month,
 *   without pseudonyms; goods handed out are not transactions (buying them was).
 *   A donor is named only when the gift's entry publishes the name (the donor
 *   consented); other gifts of money are summed per activity and month.
 * - Progress reports are results, with their indicators and media.
 * - A reversed entry and its reversal both stay out.
 */

export interface IatiCharity {
  id: string;
  name: string;
  creditCode: string;
  kind: CharityKind;
  currency: string;
  registeredAt: Date;
}

/** An entry as the export reads it. */
export interface IatiEntry {
  sequence: number;
  type: string;
  occurredAt: Date;
  recordedAt: Date;
  payload: Record<string, unknown>;
  /** Sequence of the entry that reversed this one, if any. */
  reversedBy: number | null;
}

interface Organisation {
  ref?: string;
  type?: string;
  name?: string;
  /** provider-activity-id / receiver-activity-id */
  activityId?: string;
}

type TransactionType = (typeof TRANSACTION_TYPE)[keyof typeof TRANSACTION_TYPE];

interface Transaction {
  type: TransactionType;
  /** YYYY-MM-DD, China Standard Time */
  date: string;
  minorUnits: number;
  description: string;
  provider?: Organisation;
  receiver?: Organisation;
  ref?: string;
  /** Chain sequence, to keep transactions of one date in ledger order. */
  order: number;
}

/** Many small flows of one month, written as one transaction. */
interface MonthlyTotal {
  date: string;
  minorUnits: number;
  count: number;
  order: number;
}

/** A progress report (PROGRESS_REPORT_PUBLISHED) as the export reads it. */
interface ProgressReport {
  publishedOn: string;
  period: { label: string; start: string; end: string };
  narrative: string;
  indicators: Array<{ name: string; unit: string; baseline?: string; target?: string; actual?: string }>;
  media: Array<{ sha256: string; caption?: string }>;
}

class ActivityRecord {
  readonly transactions: Transaction[] = [];
  readonly reports: ProgressReport[] = [];
  readonly anonymousGifts = new Map<string, MonthlyTotal>();
  readonly cashGrants = new Map<string, MonthlyTotal>();
  readonly criteria = new Set<string>();
  firstMoneyDate: string | undefined;
  openedOn: string | undefined;
  closedOn: string | undefined;
  lastUpdated: Date | undefined;

  touch(recordedAt: Date): void {
    if (!this.lastUpdated || recordedAt > this.lastUpdated) this.lastUpdated = recordedAt;
  }

  add(transaction: Transaction): void {
    this.transactions.push(transaction);
    this.sawMoney(transaction.date);
  }

  addToMonth(totals: Map<string, MonthlyTotal>, date: string, minorUnits: number, order: number): void {
    const month = date.slice(0, 7);
    const total = totals.get(month);
    if (total) {
      total.minorUnits += minorUnits;
      total.count += 1;
      if (date > total.date) total.date = date;
      total.order = order;
    } else totals.set(month, { date, minorUnits, count: 1, order });
    this.sawMoney(date);
  }

  private sawMoney(date: string): void {
    if (!this.firstMoneyDate || date < this.firstMoneyDate) this.firstMoneyDate = date;
  }
}

/** The general activity's key in the maps (a project id is never empty). */
const GENERAL = '';
/** Transactions per text chunk when rendering. */
const CHUNK = 200;

const COST_CLASS_LABEL: Record<string, string> = {
  CHARITABLE_ACTIVITY: '慈善活动支出',
  MANAGEMENT: '管理费用',
  FUNDRAISING: '募捐成本',
};
const VALUATION_LABEL: Record<string, string> = { INVOICE: '按发票', MARKET_PRICE: '按市场价', APPRAISAL: '按评估' };

interface Money {
  currency: string;
  minorUnits: number;
}
type Restriction = { kind: 'UNRESTRICTED' } | { kind: 'PROJECT'; projectId: string } | { kind: 'PURPOSE'; purpose: string };
interface Donor {
  displayName?: string;
}

export class IatiActivities {
  private readonly books: Books;
  private readonly activities = new Map<string, ActivityRecord>();
  /** gift sequence → its activity, for refunds */
  private readonly giftActivity = new Map<number, string>();
  /** entry sequence → its activity, so that a reversal updates the right activity's date */
  private readonly entryActivity = new Map<number, string>();
  private firstEntryDate: string | undefined;
  private baseUrl = '';
  private mediaTypes: ReadonlyMap<string, string> = new Map();
  readonly organisationId: string;

  constructor(private readonly charity: IatiCharity) {
    this.books = new Books(charity.currency);
    this.organisationId = organisationIdentifier(charity.creditCode);
  }

  /** The activity identifier of a project, or of the general activity (null). */
  activityId(projectId: string | null): string {
    return `${this.organisationId}-${projectId ?? GENERAL_ACTIVITY_SUFFIX}`;
  }

  /** Takes the next entry of the chain (sequence order, from 1). */
  add(entry: IatiEntry): void {
    const effects = this.books.apply({ sequence: entry.sequence, type: entry.type, occurredAt: ledgerTimestamp(entry.occurredAt), payload: entry.payload });
    const date = chinaDate(entry.occurredAt);
    // entries the service dates itself (a project's opening) may be later than the events they follow
    if (this.firstEntryDate === undefined || date < this.firstEntryDate) this.firstEntryDate = date;
    const p = entry.payload;

    if (entry.type === 'ENTRY_REVERSED') {
      const target = this.entryActivity.get(p.reversedSequence as number);
      if (target !== undefined) this.activity(target).touch(entry.recordedAt);
      return;
    }
    const key = this.keyOf(entry);
    if (key === undefined) return;
    this.entryActivity.set(entry.sequence, key);
    const activity = this.activity(key);
    activity.touch(entry.recordedAt);
    // a reversed entry is undone in full: it and its reversal stay out of the transactions
    if (entry.reversedBy !== null) return;

    switch (entry.type) {
      case 'CASH_DONATION': {
        this.giftActivity.set(entry.sequence, key);
        const restriction = p.restriction as Restriction;
        const donor = p.donor as Donor;
        const amount = (p.amount as Money).minorUnits;
        if (donor.displayName === undefined && restriction.kind !== 'PURPOSE') {
          activity.addToMonth(activity.anonymousGifts, date, amount, entry.sequence);
        } else {
          activity.add({
            type: TRANSACTION_TYPE.INCOMING_FUNDS,
            date,
            minorUnits: amount,
            description: `现金捐赠（${restrictionText(restriction)}）`,
            provider: donor.displayName !== undefined ? { name: donor.displayName } : undefined,
            ref: `seq-${entry.sequence}`,
            order: entry.sequence,
          });
        }
        break;
      }
      case 'IN_KIND_DONATION': {
        const items = p.items as Array<{ description: string; quantity: number; unit: string }>;
        const valuation = p.valuation as { basis: string; fairValue: Money };
        const donor = p.donor as Donor;
        activity.add({
          type: TRANSACTION_TYPE.INCOMING_FUNDS,
          date,
          minorUnits: valuation.fairValue.minorUnits,
          description: `物资捐赠（${restrictionText(p.restriction as Restriction)}，${VALUATION_LABEL[valuation.basis] ?? ''}公允价值）：${items
            .map((item) => `${item.description} ${item.quantity} ${item.unit}`)
            .join('；')}`,
          provider: donor.displayName !== undefined ? { name: donor.displayName } : undefined,
          ref: `seq-${entry.sequence}`,
          order: entry.sequence,
        });
        break;
      }
      case 'DONATION_REFUNDED':
        activity.add({
          type: TRANSACTION_TYPE.INCOMING_FUNDS,
          date,
          minorUnits: -(p.amount as Money).minorUnits,
          description: `退还第 ${p.donationSequence as number} 号捐赠：${p.reason as string}`,
          ref: `seq-${entry.sequence}`,
          order: entry.sequence,
        });
        break;
      case 'PROCUREMENT_RECORDED': {
        const supplier = p.supplier as { name: string; creditCode: string };
        const lines = p.lines as Array<{ description: string; quantity: number; unit: string }>;
        activity.add({
          type: TRANSACTION_TYPE.EXPENDITURE,
          date,
          minorUnits: (p.total as Money).minorUnits,
          description: `采购：${lines.map((line) => `${line.description} ${line.quantity} ${line.unit}`).join('；')}`,
          receiver: { ref: organisationIdentifier(supplier.creditCode), name: supplier.name },
          ref: `seq-${entry.sequence}`,
          order: entry.sequence,
        });
        break;
      }
      case 'EXPENSE_RECORDED':
        activity.add({
          type: TRANSACTION_TYPE.EXPENDITURE,
          date,
          minorUnits: (p.amount as Money).minorUnits,
          description: `${COST_CLASS_LABEL[p.costClass as string] ?? (p.costClass as string)}：${p.description as string}`,
          ref: `seq-${entry.sequence}`,
          order: entry.sequence,
        });
        break;
      case 'DISBURSEMENT_RECORDED':
        // goods handed out are not money flows (their purchase or gift was); cash is summed per month
        if (p.cash) activity.addToMonth(activity.cashGrants, date, (p.cash as Money).minorUnits, entry.sequence);
        break;
      case 'BENEFICIARIES_SELECTED':
        activity.criteria.add((p.criteria as { text: string }).text);
        break;
      case 'PROJECT_OPENED':
        activity.openedOn = date;
        break;
      case 'PROGRESS_REPORT_PUBLISHED':
        activity.reports.push({
          publishedOn: date,
          period: p.period as ProgressReport['period'],
          narrative: p.narrative as string,
          indicators: (p.indicators as ProgressReport['indicators'] | undefined) ?? [],
          media: (p.media as ProgressReport['media'] | undefined) ?? [],
        });
        break;
      case 'PROJECT_CLOSED': {
        activity.closedOn = p.closedOn as string;
        const moved = effects.transferredMoney.reduce((sum, draw) => sum + draw.amount, 0);
        const target = effects.transferredTo;
        if (target === null || moved === 0) break;
        const self: Organisation = { ref: this.organisationId, type: ORGANISATION_TYPE[this.charity.kind], name: this.charity.name };
        const explanation = (p.leftover as { explanation: string }).explanation;
        activity.add({
          type: TRANSACTION_TYPE.DISBURSEMENT,
          date,
          minorUnits: moved,
          description: `项目结项，剩余限定性资金转入项目 ${target}：${explanation}`,
          receiver: { ...self, activityId: this.activityId(target) },
          ref: `seq-${entry.sequence}`,
          order: entry.sequence,
        });
        const receiving = this.activity(target);
        receiving.touch(entry.recordedAt);
        receiving.add({
          type: TRANSACTION_TYPE.INCOMING_FUNDS,
          date,
          minorUnits: moved,
          description: `项目 ${p.projectId as string} 结项转入的剩余限定性资金`,
          provider: { ...self, activityId: this.activityId(p.projectId as string) },
          ref: `seq-${entry.sequence}`,
          order: entry.sequence,
        });
        break;
      }
      default:
        break;
    }
  }

  /** The SHA-256 of every media file the reports show, to look up their types. */
  mediaHashes(): string[] {
    return [...new Set([...this.activities.values()].flatMap((record) => record.reports.flatMap((report) => report.media.map((media) => media.sha256))))];
  }

  /**
   * The whole document, in chunks of text. `baseUrl` is where the service is
   * reached (e.g. https://ledger.example.org): media of progress reports are linked
   * as `<baseUrl>/media/<sha256>`, with their type from `mediaTypes` (sha256 → IANA
   * media type) when known.
   */
  *render(now: Date, baseUrl: string, mediaTypes: ReadonlyMap<string, string> = new Map()): Generator<string> {
    this.baseUrl = baseUrl.replace(/\/+$/, '');
    this.mediaTypes = mediaTypes;
    const today = chinaDate(now);
    yield '<?xml version="1.0" encoding="UTF-8"?>\n';
    yield `<iati-activities version="2.03" generated-datetime="${now.toISOString()}">\n`;
    yield* this.renderActivity(null, today);
    const projects = [...this.books.projects.values()].sort((a, b) => a.openedSequence - b.openedSequence);
    for (const project of projects) yield* this.renderActivity(project, today);
    yield '</iati-activities>\n';
  }

  private activity(key: string): ActivityRecord {
    let activity = this.activities.get(key);
    if (!activity) {
      activity = new ActivityRecord();
      this.activities.set(key, activity);
    }
    return activity;
  }

  /** Which activity an entry belongs to ('' the general one), or undefined for none. */
  private keyOf(entry: IatiEntry): string | undefined {
    const p = entry.payload;
    switch (entry.type) {
      case 'CASH_DONATION':
      case 'IN_KIND_DONATION': {
        const restriction = p.restriction as Restriction;
        return restriction.kind === 'PROJECT' ? restriction.projectId : GENERAL;
      }
      case 'DONATION_REFUNDED':
        return this.giftActivity.get(p.donationSequence as number) ?? GENERAL;
      case 'EXPENSE_RECORDED':
        return (p.projectId as string | null) ?? GENERAL;
      case 'PROJECT_OPENED':
      case 'PROJECT_CLOSED':
      case 'PROGRESS_REPORT_PUBLISHED':
      case 'PROCUREMENT_RECORDED':
      case 'BENEFICIARIES_SELECTED':
      case 'DISBURSEMENT_RECORDED':
        return p.projectId as string;
      default:
        return undefined;
    }
  }

  private *renderActivity(project: Project | null, today: string): Generator<string> {
    const record = this.activities.get(project?.projectId ?? GENERAL) ?? new ActivityRecord();
    const charity = this.charity;
    const organisationType = ORGANISATION_TYPE[charity.kind];
    const lastUpdated = record.lastUpdated ?? charity.registeredAt;
    const head: string[] = [];
    head.push(element('iati-identifier', {}, escapeText(this.activityId(project?.projectId ?? null))));
    head.push(element('reporting-org', { ref: this.organisationId, type: organisationType }, narrative(charity.name)));
    if (project) {
      head.push(element('title', {}, narrative(project.title)));
      head.push(element('description', { type: '1' }, narrative(project.purpose)));
      if (record.criteria.size > 0) head.push(element('description', { type: '3' }, narrative(`受助人遴选标准：${[...record.criteria].join('；')}`)));
    } else {
      head.push(element('title', {}, narrative(`${charity.name}：非限定性资金与机构运营`)));
      head.push(
        element(
          'description',
          { type: '1' },
          narrative('本机构的非限定性捐赠与限定用途（非特定项目）的捐赠，以及不属于特定项目的机构运营支出（管理费用、募捐成本等）。各项目另行作为单独的活动公开。'),
        ),
      );
    }
    for (const role of [ROLE.ACCOUNTABLE, ROLE.IMPLEMENTING]) {
      head.push(element('participating-org', { ref: this.organisationId, type: organisationType, role }, narrative(charity.name)));
    }
    head.push(element('activity-status', { code: project ? activityStatus(project, today) : ACTIVITY_STATUS.IMPLEMENTATION }));
    head.push(...activityDates(project, record, this.firstEntryDate ?? chinaDate(charity.registeredAt)).map(([type, date]) => element('activity-date', { type, 'iso-date': date })));
    const place = project ? placeOf(project.region.code) : { country: 'CN' };
    if (place.inShenzhen) head.push(element('activity-scope', { code: SCOPE_SINGLE_SECOND_LEVEL_AREA }));
    if (place.country) head.push(element('recipient-country', { code: place.country }));
    if (project) head.push(locationXml(project.region.code, place.country));
    head.push(element('sector', { vocabulary: SECTOR_VOCABULARY_DAC5, code: project ? DAC_SECTOR[project.category] : SECTOR_NOT_SPECIFIED }));
    if (project) {
      for (const period of budgetPeriods(project.startDate, project.endDate, project.budgetMinor)) {
        head.push(
          element(
            'budget',
            { type: BUDGET.ORIGINAL, status: BUDGET.INDICATIVE },
            element('period-start', { 'iso-date': period.start }) +
              element('period-end', { 'iso-date': period.end }) +
              element('value', { 'value-date': period.start }, this.amount(period.minorUnits)),
          ),
        );
      }
    }
    const open = attributes({
      'last-updated-datetime': lastUpdated.toISOString(),
      'xml:lang': NARRATIVE_LANGUAGE,
      'default-currency': charity.currency,
      // disaster relief is humanitarian aid
      humanitarian: project?.category === 'DISASTER_RELIEF' ? true : undefined,
    });
    yield `<iati-activity${open}>\n  ${head.join('\n  ')}\n`;

    const transactions = [...record.transactions, ...this.monthlyTransactions(record)].sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : a.order - b.order));
    for (let start = 0; start < transactions.length; start += CHUNK) {
      yield transactions
        .slice(start, start + CHUNK)
        .map((transaction) => `  ${this.transactionXml(transaction)}\n`)
        .join('');
    }
    for (const report of record.reports) yield `  ${this.resultXml(report)}\n`;
    yield '</iati-activity>\n';
  }

  private monthlyTransactions(record: ActivityRecord): Transaction[] {
    const transactions: Transaction[] = [];
    for (const [month, total] of record.anonymousGifts) {
      transactions.push({
        type: TRANSACTION_TYPE.INCOMING_FUNDS,
        date: total.date,
        minorUnits: total.minorUnits,
        description: `${monthLabel(month)}未公开捐赠人姓名的现金捐赠 ${total.count} 笔（按月汇总）`,
        order: total.order,
      });
    }
    for (const [month, total] of record.cashGrants) {
      transactions.push({
        type: TRANSACTION_TYPE.DISBURSEMENT,
        date: total.date,
        minorUnits: total.minorUnits,
        description: `${monthLabel(month)}向受助人发放现金 ${total.count} 笔（按月汇总，不公开受助人信息）`,
        order: total.order,
      });
    }
    return transactions;
  }

  private transactionXml(transaction: Transaction): string {
    const parts = [
      element('transaction-type', { code: transaction.type }),
      element('transaction-date', { 'iso-date': transaction.date }),
      element('value', { 'value-date': transaction.date }, this.amount(transaction.minorUnits)),
      element('description', {}, narrative(transaction.description)),
    ];
    if (transaction.provider) parts.push(organisationXml('provider-org', 'provider-activity-id', transaction.provider));
    if (transaction.receiver) parts.push(organisationXml('receiver-org', 'receiver-activity-id', transaction.receiver));
    return element('transaction', { ref: transaction.ref }, parts.join(''));
  }

  /**
   * A progress report as a result (type 1, output): its narrative, its media as
   * document links (category A08, results), its indicators with the period's target
   * and actual values (measure 1, unit). A report without indicators gets one
   * qualitative indicator (measure 5) carrying the narrative, since IATI wants one.
   */
  private resultXml(report: ProgressReport): string {
    const parts = [element('title', {}, narrative(`进展报告 ${report.period.label}`))];
    if (report.narrative.trim() !== '') parts.push(element('description', {}, narrative(report.narrative)));
    for (const media of report.media) {
      parts.push(
        element(
          'document-link',
          // the type the media store found in the file; a file it does not hold is just bytes
          { url: `${this.baseUrl}/media/${media.sha256}`, format: this.mediaTypes.get(media.sha256) ?? 'application/octet-stream' },
          element('title', {}, narrative(media.caption?.trim() ? media.caption : `进展报告 ${report.period.label} 附件`)) +
            element('category', { code: DOCUMENT_CATEGORY_RESULTS }) +
            element('document-date', { 'iso-date': report.publishedOn }),
        ),
      );
    }
    const period = (content: string) =>
      element('period', {}, element('period-start', { 'iso-date': report.period.start }) + element('period-end', { 'iso-date': report.period.end }) + content);
    if (report.indicators.length === 0) {
      parts.push(
        element(
          'indicator',
          { measure: INDICATOR_MEASURE.QUALITATIVE },
          element('title', {}, narrative('进展情况')) + period(element('actual', {}, element('comment', {}, narrative(report.narrative.trim() || report.period.label)))),
        ),
      );
    }
    for (const indicator of report.indicators) {
      const baseline =
        indicator.baseline !== undefined ? element('baseline', { year: Number(report.period.start.slice(0, 4)), value: indicator.baseline }) : '';
      const values =
        (indicator.target !== undefined ? element('target', { value: indicator.target }) : '') + (indicator.actual !== undefined ? element('actual', { value: indicator.actual }) : '');
      parts.push(
        element('indicator', { measure: INDICATOR_MEASURE.UNIT }, element('title', {}, narrative(`${indicator.name}（${indicator.unit}）`)) + baseline + period(values)),
      );
    }
    return element('result', { type: RESULT_TYPE_OUTPUT }, parts.join(''));
  }

  private amount(minorUnits: number): string {
    return formatAmount({ currency: this.charity.currency, minorUnits });
  }
}

function narrative(text: string): string {
  return element('narrative', { 'xml:lang': NARRATIVE_LANGUAGE }, escapeText(text));
}

function organisationXml(name: string, activityAttribute: string, organisation: Organisation): string {
  return element(
    name,
    { ref: organisation.ref, [activityAttribute]: organisation.activityId, type: organisation.type },
    organisation.name !== undefined ? narrative(organisation.name) : '',
  );
}

function restrictionText(restriction: Restriction): string {
  switch (restriction.kind) {
    case 'PROJECT':
      return '限定用于本项目';
    case 'PURPOSE':
      return `限定用途：${restriction.purpose}`;
    default:
      return '非限定性';
  }
}

function monthLabel(month: string): string {
  return `${month.slice(0, 4)}年${Number(month.slice(5, 7))}月`;
}

function activityStatus(project: Project, today: string): string {
  if (project.status === 'CLOSED') return ACTIVITY_STATUS.CLOSED;
  if (project.startDate > today) return ACTIVITY_STATUS.PIPELINE;
  if (project.endDate < today) return ACTIVITY_STATUS.FINALISATION;
  return ACTIVITY_STATUS.IMPLEMENTATION;
}

/**
 * Planned start and end as the project states them; actual start: the earlier of
 * the day it was opened on the ledger and its first money flow; actual end: the
 * day it was closed. The general activity started on the earliest date of the charity's entries.
 */
function activityDates(project: Project | null, record: ActivityRecord, firstEntryDate: string): Array<[string, string]> {
  if (!project) return [[ACTIVITY_DATE.ACTUAL_START, firstEntryDate]];
  const dates: Array<[string, string]> = [[ACTIVITY_DATE.PLANNED_START, project.startDate]];
  const started = [record.openedOn, record.firstMoneyDate].filter((date): date is string => date !== undefined).sort()[0];
  if (started) dates.push([ACTIVITY_DATE.ACTUAL_START, started]);
  dates.push([ACTIVITY_DATE.PLANNED_END, project.endDate]);
  if (project.status === 'CLOSED' && record.closedOn) dates.push([ACTIVITY_DATE.ACTUAL_END, record.closedOn]);
  return dates;
}

interface Place {
  country?: string;
  inShenzhen?: boolean;
}

/** The country of a region code: Shenzhen's codes and GB/T 2260 or township codes are in China; ISO 3166-2 codes name theirs. */
function placeOf(code: string): Place {
  if (regionInfo(code)) return { country: 'CN', inShenzhen: true };
  if (/^\d{6}(?:\d{3}|\d{6})?$/.test(code)) return { country: 'CN' };
  const subdivision = /^([A-Z]{2})-[A-Z0-9]{1,3}$/.exec(code);
  return subdivision ? { country: subdivision[1] } : {};
}

/** The project's region as an IATI location: name, our region code, the GB/T 2260 code where Shenzhen's district has one. */
function locationXml(code: string, country: string | undefined): string {
  const info = regionInfo(code);
  const parts = [element('location-reach', { code: LOCATION_REACH_ACTIVITY })];
  if (info) {
    const district = regionInfo(info.district)!;
    const name = info.level === 'STREET' ? `深圳市${district.name}${info.name}` : `深圳市${info.name}`;
    parts.push(element('name', {}, narrative(name)));
    parts.push(element('description', {}, narrative(`区域代码 ${code}${district.gbCode ? `（${district.name}行政区划代码 GB/T 2260 ${district.gbCode}）` : ''}`)));
  } else {
    parts.push(element('name', {}, narrative(code)));
    parts.push(element('description', {}, narrative(`区域代码 ${code}`)));
  }
  if (country) parts.push(element('administrative', { vocabulary: GEOGRAPHIC_VOCABULARY_ISO_COUNTRY, code: country }));
  parts.push(element('location-class', { code: LOCATION_CLASS_ADMINISTRATIVE }));
  if (info) parts.push(element('feature-designation', { code: info.level === 'STREET' ? FEATURE_DESIGNATION.STREET : FEATURE_DESIGNATION.DISTRICT }));
  return element('location', { ref: code }, parts.join(''));
}

interface BudgetPeriod {
  start: string;
  end: string;
  minorUnits: number;
}

/**
 * IATI budget periods may not exceed a year: a longer project's budget is split
 * into consecutive periods of at most a year, in proportion to their days (the
 * fen left over by rounding go to the last), and marked indicative.
 */
export function budgetPeriods(startDate: string, endDate: string, minorUnits: number): BudgetPeriod[] {
  const day = 86_400_000;
  const start = Date.parse(`${startDate}T00:00:00Z`);
  const end = Date.parse(`${endDate}T00:00:00Z`);
  const periods: Array<{ start: number; end: number }> = [];
  for (let from = start; from <= end; ) {
    const next = new Date(from);
    next.setUTCFullYear(next.getUTCFullYear() + 1);
    const to = Math.min(next.getTime() - day, end);
    periods.push({ start: from, end: to });
    from = to + day;
  }
  const totalDays = BigInt((end - start) / day + 1);
  let left = minorUnits;
  return periods.map((period, index) => {
    const days = BigInt((period.end - period.start) / day + 1);
    const share = index === periods.length - 1 ? left : Number((BigInt(minorUnits) * days) / totalDays);
    left -= share;
    return { start: new Date(period.start).toISOString().slice(0, 10), end: new Date(period.end).toISOString().slice(0, 10), minorUnits: share };
  });
}
