import { Injectable, type OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { CharitiesService } from '../charities/charities.service.js';
import { toCharity } from '../charities/dto/charity.type.js';
import { DomainError } from '../common/domain-error.js';
import { chinaDate, chinaMidnight } from '../common/input-values.js';
import { money } from '../common/money.type.js';
import { AppConfig } from '../config/app-config.js';
import { FiguresService } from '../figures/figures.service.js';
import { ReportsService } from '../reports/reports.service.js';
import { DEFAULT_THRESHOLDS_FILE, loadThresholdsFile, type ComplianceThresholds } from './compliance-thresholds.js';
import {
  evaluateRules,
  monthsBefore,
  overdueDisclosuresFlag,
  restrictedFundsFlag,
  reversalsFlag,
  type ComplianceFlag as Flag,
  type RestrictedRemainder,
  type RuleResult,
  type YearFigures,
} from './compliance.rules.js';
import { ComplianceStatus, type ComplianceFlag, type ComplianceReport, type ComplianceRuleResult } from './dto/compliance-report.type.js';

/** Before any entry can be dated: the start of the figures' history. */
const HISTORY_FROM = '1900-01-01';

/**
 * complianceReport (docs/compliance.md): gathers a charity's period figures
 * (FiguresService), restricted gifts (book read models), entry counts and overdue
 * disclosures (ReportsService), and hands them to the pure rules with the
 * thresholds loaded at start-up.
 */
@Injectable()
export class ComplianceService implements OnModuleInit {
  private loaded?: ComplianceThresholds;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly figures: FiguresService,
    private readonly charities: CharitiesService,
    private readonly reports: ReportsService,
    private readonly config: AppConfig,
  ) {}

  /** Loads and validates the thresholds: a bad file stops the start with a ConfigError. */
  onModuleInit(): void {
    this.loaded = loadThresholdsFile(this.config.complianceThresholdsFile ?? DEFAULT_THRESHOLDS_FILE);
  }

  get thresholds(): ComplianceThresholds {
    if (!this.loaded) throw new Error('compliance thresholds used before the module was initialised');
    return this.loaded;
  }

  async report(charityId: string, year: number, now = new Date()): Promise<ComplianceReport> {
    const thresholds = this.thresholds;
    const today = chinaDate(now);
    const currentYear = Number(today.slice(0, 4));
    const firstYear = Math.min(...thresholds.standards.map((standard) => Number(standard.inForceFrom.slice(0, 4))));
    if (!Number.isInteger(year) || year < firstYear || year > currentYear) {
      throw DomainError.badInput('year', `must be a year from ${firstYear} (the earliest standard in force) to ${currentYear} (the current year)`);
    }
    const charity = await this.charities.get(charityId);

    const yearComplete = year < currentYear;
    const end = chinaMidnight(`${year + 1}-01-01`);
    const asOf = yearComplete ? end : now;
    const day = yearComplete ? `${year}-12-31` : today;

    const rows = await this.figures.figures({ from: HISTORY_FROM, to: `${year + 1}-01-01`, charityIds: [charity.id] }, ['YEAR']);
    const years: YearFigures[] = rows.map((row) => ({
      year: Number(row.year),
      receivedCash: row.receivedCash,
      receivedInKind: row.receivedInKind,
      refunded: row.refunded,
      spentCharitableActivity: row.spentCharitableActivity,
      spentManagement: row.spentManagement,
      spentFundraising: row.spentFundraising,
    }));
    const rules = evaluateRules(thresholds, charity.kind, { year, years, yearComplete, currency: charity.currency }, day);

    const receivedBefore = monthsBefore(asOf, thresholds.flags.restrictedUnspentMonths);
    const remainders = await this.restrictedRemainders(charity.id, asOf, receivedBefore);
    const counts = await this.entryCounts(charity.id, chinaMidnight(`${year}-01-01`), end);
    // the disclosure schedule judged on the year's last day (or today), for this charity's projects
    const overdue = (await this.reports.overdue(day)).filter((item) => item.charityId === charity.id);
    const flags = [
      overdueDisclosuresFlag(overdue, day),
      restrictedFundsFlag(remainders, thresholds.flags, asOf.toISOString(), receivedBefore.toISOString(), charity.currency),
      reversalsFlag(counts, thresholds.flags, year),
    ];

    return {
      charity: toCharity(charity),
      kind: charity.kind,
      year,
      yearComplete,
      asOf: asOf.toISOString(),
      thresholdsVersion: thresholds.version,
      rules: rules.map(toRuleResult),
      flags: flags.map((flag) => toFlag(flag, charity.currency)),
    };
  }

  /**
   * Gifts restricted to a project or purpose, received before `receivedBefore`,
   * with money left at `asOf`: the gift's amount less its draws (spending,
   * purchases, refunds) dated before `asOf` and not reversed by then. A gift
   * reversed before `asOf` is left out.
   */
  private async restrictedRemainders(charityId: string, asOf: Date, receivedBefore: Date): Promise<RestrictedRemainder[]> {
    const rows = (await this.dataSource.query(
      `WITH reversal_time AS (
         SELECT r.reversed_sequence, e.occurred_at
           FROM book_reversal r
           JOIN ledger_entry e ON e.charity_id = r.charity_id AND e.sequence = r.reversal_sequence
          WHERE r.charity_id = $1
       )
       SELECT l.sequence, l.restriction_kind, l.project_id, l.purpose, l.amount_minor, l.received_at,
              l.amount_minor - coalesce((
                SELECT sum(d.value) FROM book_draw d
                 WHERE d.charity_id = l.charity_id AND d.funding_sequence = l.sequence AND d.kind = 'MONEY'
                   AND d.occurred_at < $2
                   AND NOT EXISTS (SELECT 1 FROM reversal_time t WHERE t.reversed_sequence = d.entry_sequence AND t.occurred_at < $2)
              ), 0) AS remaining_at
         FROM book_money_lot l
        WHERE l.charity_id = $1
          AND l.restriction_kind <> 'UNRESTRICTED'
          AND l.received_at < $3
          AND NOT EXISTS (SELECT 1 FROM reversal_time t WHERE t.reversed_sequence = l.sequence AND t.occurred_at < $2)
        ORDER BY l.sequence`,
      [charityId, asOf, receivedBefore],
    )) as Array<{
      sequence: string;
      restriction_kind: 'PROJECT' | 'PURPOSE';
      project_id: string | null;
      purpose: string | null;
      amount_minor: string;
      received_at: Date;
      remaining_at: string;
    }>;
    return rows
      .filter((row) => BigInt(row.remaining_at) > 0n)
      .map((row) => ({
        sequence: Number(row.sequence),
        restrictionKind: row.restriction_kind,
        projectId: row.project_id,
        purpose: row.purpose,
        amount: BigInt(row.amount_minor),
        remaining: BigInt(row.remaining_at),
        receivedAt: row.received_at.toISOString(),
      }));
  }

  /** Entries dated in [from, to), and how many of them are reversals. */
  private async entryCounts(charityId: string, from: Date, to: Date): Promise<{ entries: number; reversals: number }> {
    const [row] = (await this.dataSource.query(
      `SELECT count(*)::int AS entries, (count(*) FILTER (WHERE type = 'ENTRY_REVERSED'))::int AS reversals
         FROM ledger_entry WHERE charity_id = $1 AND occurred_at >= $2 AND occurred_at < $3`,
      [charityId, from, to],
    )) as Array<{ entries: number; reversals: number }>;
    return row;
  }
}

function toRuleResult(rule: RuleResult): ComplianceRuleResult {
  return {
    ...rule,
    status: ComplianceStatus[rule.status],
    passed: rule.status === 'PASS' || rule.status === 'EXEMPT' ? true : rule.status === 'FAIL' ? false : null,
  };
}

function toFlag(flag: Flag, currency: string): ComplianceFlag {
  return { ...flag, items: flag.items.map((item) => ({ ...item, amount: item.amount === null ? null : money(item.amount, currency) })) };
}
