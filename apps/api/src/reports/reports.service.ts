import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import type { Actor } from '../auth/actor.js';
import { CharitiesService } from '../charities/charities.service.js';
import { DomainError, ErrorCode } from '../common/domain-error.js';
import { chinaDate, dateInput } from '../common/input-values.js';
import { money } from '../common/money.type.js';
import { decodeCursor, encodeCursor, pageSize } from '../common/pagination.js';
import { FiguresService } from '../figures/figures.service.js';
import { LedgerService } from '../ledger/ledger.service.js';
import { MediaService } from '../media/media.service.js';
import type { EntryRequest, LedgerEntryRecord } from '../ledger/ledger.types.js';
import { disclosureSchedule, type ScheduleProject, type ScheduleReport } from './disclosure-schedule.js';
import type { DisclosureKind, DisclosureObligationType, DisclosureScheduleType, OverdueDisclosureType } from './dto/disclosure-schedule.type.js';
import type { ProgressReport, ProgressReportConnection } from './dto/progress-report.type.js';
import type { PublishProgressReportInput } from './dto/publish-progress-report.input.js';
import { checkProgressReport, decideProgressReport, financialSummary, nextDay } from './report.decide.js';

const CURSOR_KIND = 'report';
const SUMMARY_ATTEMPTS = 5;

/** The chain moved between computing a report's summary and appending it: compute again. */
class StaleSummary extends DomainError {
  constructor() {
    super(ErrorCode.CONFLICT, "The charity's ledger changed while the report's figures were computed; retry with the same idempotencyKey.");
  }
}

interface ProjectRow {
  charity_id: string;
  project_id: string;
  title: string;
  start_date: string;
  end_date: string;
  public_fundraising: boolean;
  closed_sequence: string | null;
  closed_on: string | null;
  closing_recorded_on: string | null;
}

interface ReportIndexRow {
  charity_id: string;
  project_id: string;
  sequence: string;
  period_start: string;
  period_end: string;
  published_on: string;
  reversed_on: string | null;
}

const PROJECT_COLUMNS = `p.charity_id, p.project_id, p.title, p.start_date::text AS start_date, p.end_date::text AS end_date, p.public_fundraising,
  p.closed_sequence, c.payload ->> 'closedOn' AS closed_on, (c.recorded_at AT TIME ZONE 'Asia/Shanghai')::date::text AS closing_recorded_on`;
const PROJECT_FROM = `book_project p LEFT JOIN ledger_entry c ON c.charity_id = p.charity_id AND c.sequence = p.closed_sequence`;
const REPORT_INDEX = `SELECT pr.charity_id, pr.project_id, pr.sequence, pr.period_start::text AS period_start, pr.period_end::text AS period_end,
         (pr.published_at AT TIME ZONE 'Asia/Shanghai')::date::text AS published_on,
         (re.recorded_at AT TIME ZONE 'Asia/Shanghai')::date::text AS reversed_on
    FROM progress_report pr
    LEFT JOIN book_reversal r ON r.charity_id = pr.charity_id AND r.reversed_sequence = pr.sequence
    LEFT JOIN ledger_entry re ON re.charity_id = r.charity_id AND re.sequence = r.reversal_sequence`;

/** Progress reports (publishing, lists) and disclosure schedules (docs/reports.md). */
@Injectable()
export class ReportsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly ledger: LedgerService,
    private readonly charities: CharitiesService,
    private readonly figures: FiguresService,
    private readonly media: MediaService,
  ) {}

  /**
   * Appends a PROGRESS_REPORT_PUBLISHED entry with the period's figures of the
   * project inside its payload. The figures are computed from the chain as it
   * stood at a known head; if anything was appended to the charity's chain before
   * the report takes the append lock, they are computed again.
   */
  async publish(actor: Actor, input: PublishProgressReportInput): Promise<LedgerEntryRecord> {
    const charity = await this.ledger.writableCharity(actor, input.charityId);
    const [project] = (await this.dataSource.query(
      `SELECT start_date::text AS start_date, end_date::text AS end_date FROM book_project WHERE charity_id = $1 AND project_id = $2`,
      [charity.id, input.projectId],
    )) as Array<{ start_date: string; end_date: string }>;
    if (!project) throw new DomainError(ErrorCode.NOT_FOUND, `input.projectId: charity ${charity.id} has no project "${input.projectId}"`, 'input.projectId');
    const now = new Date();
    const period = checkProgressReport(input, { startDate: project.start_date, endDate: project.end_date }, now);
    const missing = new Set(await this.media.missing(input.media.map((media) => media.sha256), charity.id));
    const unknown = input.media.findIndex((media) => missing.has(media.sha256));
    if (unknown >= 0) {
      const field = `input.media[${unknown}].sha256`;
      throw new DomainError(
        ErrorCode.NOT_FOUND,
        `${field}: no file ${input.media[unknown].sha256} is available to this charity: upload it first (POST /media)`,
        field,
      );
    }
    for (let attempt = 1; ; attempt++) {
      const head = await this.ledger.chainLength(charity.id);
      const [figures] = await this.figures.figures({ from: period.start, to: nextDay(period.end), charityIds: [charity.id], projectId: input.projectId });
      const draft = decideProgressReport(input, period, financialSummary(figures, charity.currency), now);
      const { idempotencyKey, requestHash, ...decision } = draft;
      const request: EntryRequest = {
        idempotencyKey,
        requestHash,
        decide: (books) => {
          if (books.headSequence !== head) throw new StaleSummary();
          return decision;
        },
      };
      try {
        const [entry] = await this.ledger.append({ charityId: charity.id, actorKeyId: actor.keyId!, requests: [request] });
        return entry;
      } catch (error) {
        if (!(error instanceof StaleSummary) || attempt >= SUMMARY_ATTEMPTS) throw error;
      }
    }
  }

  async list(charityId: string, projectId: string | undefined, first: number | undefined, after: string | undefined): Promise<ProgressReportConnection> {
    const { currency } = await this.charities.get(charityId);
    const size = pageSize(first);
    const afterSequence = decodeCursor(CURSOR_KIND, after);
    const rows = (await this.dataSource.query(
      `SELECT pr.sequence, pr.project_id, pr.period, pr.period_start::text AS period_start, pr.period_end::text AS period_end, pr.published_at,
              e.payload, e.hash, r.reversal_sequence
         FROM progress_report pr
         JOIN ledger_entry e ON e.charity_id = pr.charity_id AND e.sequence = pr.sequence
         LEFT JOIN book_reversal r ON r.charity_id = pr.charity_id AND r.reversed_sequence = pr.sequence
        WHERE pr.charity_id = $1 AND ($2::text IS NULL OR pr.project_id = $2) AND pr.sequence > $3
        ORDER BY pr.sequence LIMIT $4`,
      [charityId, projectId ?? null, afterSequence, size + 1],
    )) as ReportRow[];
    const [{ count }] = (await this.dataSource.query(
      `SELECT count(*) AS count FROM progress_report WHERE charity_id = $1 AND ($2::text IS NULL OR project_id = $2)`,
      [charityId, projectId ?? null],
    )) as Array<{ count: string }>;
    const edges = rows.slice(0, size).map((row) => ({ cursor: encodeCursor(CURSOR_KIND, Number(row.sequence)), node: toReport(charityId, row, currency) }));
    return { edges, pageInfo: { hasNextPage: rows.length > size, endCursor: edges.at(-1)?.cursor ?? null }, totalCount: Number(count) };
  }

  /** The project's schedule as of today (China Standard Time). */
  async schedule(charityId: string, projectId: string, now = new Date()): Promise<DisclosureScheduleType> {
    await this.charities.get(charityId);
    const [project] = (await this.dataSource.query(`SELECT ${PROJECT_COLUMNS} FROM ${PROJECT_FROM} WHERE p.charity_id = $1 AND p.project_id = $2`, [
      charityId,
      projectId,
    ])) as ProjectRow[];
    if (!project) throw DomainError.notFound(`Charity ${charityId} has no project "${projectId}".`);
    const reports = (await this.dataSource.query(`${REPORT_INDEX} WHERE pr.charity_id = $1 AND pr.project_id = $2`, [charityId, projectId])) as ReportIndexRow[];
    const schedule = disclosureSchedule(scheduleProject(project), reports.map(scheduleReport), chinaDate(now));
    return { charityId, projectId, ...schedule, obligations: schedule.obligations as DisclosureObligationType[] };
  }

  /** Every project's disclosures past due and not met as of `asOf`, across charities, oldest first. */
  async overdue(asOf: string): Promise<OverdueDisclosureType[]> {
    const day = dateInput(asOf, 'asOf');
    const projects = (await this.dataSource.query(
      `SELECT ${PROJECT_COLUMNS}, ch.name AS charity_name FROM ${PROJECT_FROM} JOIN charity ch ON ch.id = p.charity_id WHERE p.start_date <= $1::date`,
      [day],
    )) as Array<ProjectRow & { charity_name: string }>;
    const reports = (await this.dataSource.query(`${REPORT_INDEX} WHERE (pr.published_at AT TIME ZONE 'Asia/Shanghai')::date <= $1::date`, [day])) as ReportIndexRow[];
    const byProject = new Map<string, ScheduleReport[]>();
    for (const row of reports) {
      const key = `${row.charity_id}\u0000${row.project_id}`;
      byProject.set(key, [...(byProject.get(key) ?? []), scheduleReport(row)]);
    }
    const overdue: OverdueDisclosureType[] = [];
    for (const project of projects) {
      const schedule = disclosureSchedule(scheduleProject(project), byProject.get(`${project.charity_id}\u0000${project.project_id}`) ?? [], day);
      for (const obligation of schedule.obligations) {
        if (obligation.status !== 'OVERDUE') continue;
        overdue.push({
          charityId: project.charity_id,
          charityName: project.charity_name,
          projectId: project.project_id,
          projectTitle: project.title,
          kind: obligation.kind as DisclosureKind,
          dueOn: obligation.dueOn,
          daysOverdue: Math.round((Date.parse(day) - Date.parse(obligation.dueOn)) / 86_400_000),
          basis: obligation.basis,
        });
      }
    }
    return overdue.sort(
      (a, b) => a.dueOn.localeCompare(b.dueOn) || a.charityId.localeCompare(b.charityId) || a.projectId.localeCompare(b.projectId) || a.kind.localeCompare(b.kind),
    );
  }
}

function scheduleProject(row: ProjectRow): ScheduleProject {
  return {
    startDate: row.start_date,
    endDate: row.end_date,
    publicFundraising: row.public_fundraising,
    closing:
      row.closed_sequence !== null && row.closed_on !== null && row.closing_recorded_on !== null
        ? { sequence: Number(row.closed_sequence), closedOn: row.closed_on, recordedOn: row.closing_recorded_on }
        : null,
  };
}

function scheduleReport(row: ReportIndexRow): ScheduleReport {
  return {
    sequence: Number(row.sequence),
    periodStart: row.period_start,
    periodEnd: row.period_end,
    publishedOn: row.published_on,
    reversedOn: row.reversed_on,
  };
}

interface ReportRow {
  sequence: string;
  project_id: string;
  period: string;
  period_start: string;
  period_end: string;
  published_at: Date;
  payload: ReportPayload;
  hash: string;
  reversal_sequence: string | null;
}

interface Amount {
  currency: string;
  minorUnits: number;
}

interface ReportPayload {
  narrative: string;
  indicators: Array<{ name: string; unit: string; baseline?: string; target: string; actual: string }>;
  media: Array<{ sha256: string; caption: string; consentReferences: string[] }>;
  financialSummary: {
    method: string;
    receivedCash: Amount;
    receivedInKind: Amount;
    refunded: Amount;
    spent: { charitableActivity: Amount; management: Amount; fundraising: Amount; total: Amount };
    goodsDisbursed: { quantity: number; value: Amount };
    beneficiariesReached: number;
  };
}

function toReport(charityId: string, row: ReportRow, currency: string): ProgressReport {
  const { narrative, indicators, media, financialSummary: summary } = row.payload;
  const amount = (value: Amount) => money(value.minorUnits, currency);
  return {
    charityId,
    sequence: Number(row.sequence),
    projectId: row.project_id,
    period: row.period,
    periodStart: row.period_start,
    periodEnd: row.period_end,
    narrative,
    indicators: indicators.map((indicator) => ({ ...indicator, baseline: indicator.baseline ?? null })),
    media,
    financialSummary: {
      method: summary.method,
      receivedCash: amount(summary.receivedCash),
      receivedInKind: amount(summary.receivedInKind),
      refunded: amount(summary.refunded),
      spent: {
        charitableActivity: amount(summary.spent.charitableActivity),
        management: amount(summary.spent.management),
        fundraising: amount(summary.spent.fundraising),
        total: amount(summary.spent.total),
      },
      goodsDisbursedQuantity: summary.goodsDisbursed.quantity,
      goodsDisbursedValue: amount(summary.goodsDisbursed.value),
      beneficiariesReached: summary.beneficiariesReached,
    },
    publishedAt: row.published_at,
    hash: row.hash,
    reversed: row.reversal_sequence !== null,
    reversedBy: row.reversal_sequence === null ? null : Number(row.reversal_sequence),
  };
}
