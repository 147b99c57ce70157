import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { PROJECT_CATEGORIES } from '@charity-ledger/ledger-core';
import { DataSource } from 'typeorm';
import { DomainError } from '../common/domain-error.js';
import { dateInput } from '../common/input-values.js';

/** Dimensions figures can be grouped by. PROJECT groups by charity and project (a project id is the charity's own). */
export const FIGURE_DIMENSIONS = ['MONTH', 'QUARTER', 'YEAR', 'CHARITY', 'PROJECT', 'PROJECT_CATEGORY', 'DISTRICT', 'STREET'] as const;
export type FigureDimension = (typeof FIGURE_DIMENSIONS)[number];

export interface FiguresFilter {
  /** First day, YYYY-MM-DD (China Standard Time), inclusive. */
  from: string;
  /** Day after the last, YYYY-MM-DD, exclusive. */
  to: string;
  charityIds?: string[];
  /** A project id (with charityIds, the project of that charity). */
  projectId?: string;
  projectCategories?: string[];
  districtCode?: string;
  streetCode?: string;
}

/** One cell: its key (only the dimensions grouped by are present) and its figures. */
export interface FigureRow {
  /** YYYY-MM */
  month?: string;
  /** YYYY-Qn */
  quarter?: string;
  /** YYYY */
  year?: string;
  charityId?: string;
  /** null: the charity as a whole (not a project). */
  projectId?: string | null;
  projectCategory?: string | null;
  districtCode?: string | null;
  streetCode?: string | null;
  /** Minor units (fen). */
  receivedCash: bigint;
  receivedInKind: bigint;
  refunded: bigint;
  spentCharitableActivity: bigint;
  spentManagement: bigint;
  spentFundraising: bigint;
  spentTotal: bigint;
  goodsDisbursedQuantity: bigint;
  goodsDisbursedValue: bigint;
  /** Distinct pseudonyms with more disbursements than reversals of them in the cell. */
  beneficiariesReached: number;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** SQL for each dimension's key columns (over ledger_fact), and the row fields they fill. */
const KEYS: Record<FigureDimension, Array<{ sql: string; field: keyof FigureRow }>> = {
  MONTH: [{ sql: `to_char(occurred_on, 'YYYY-MM')`, field: 'month' }],
  QUARTER: [{ sql: `to_char(occurred_on, 'YYYY-"Q"Q')`, field: 'quarter' }],
  YEAR: [{ sql: `to_char(occurred_on, 'YYYY')`, field: 'year' }],
  CHARITY: [{ sql: 'charity_id', field: 'charityId' }],
  PROJECT: [
    { sql: 'charity_id', field: 'charityId' },
    { sql: 'project_id', field: 'projectId' },
  ],
  PROJECT_CATEGORY: [{ sql: 'project_category', field: 'projectCategory' }],
  DISTRICT: [{ sql: 'district_code', field: 'districtCode' }],
  STREET: [{ sql: 'street_code', field: 'streetCode' }],
};

/**
 * Period figures (docs/figures.md): sums of ledger facts over a period, filtered
 * and grouped, in one SQL aggregation. Exact figures, with no suppression: what
 * the public may see of them is for the caller to decide.
 */
@Injectable()
export class FiguresService {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async figures(filter: FiguresFilter, groupBy: readonly FigureDimension[] = []): Promise<FigureRow[]> {
    const { sql, params, fields } = figuresQuery(filter, groupBy);
    const rows = (await this.dataSource.query(sql, params)) as Array<Record<string, string | null>>;
    return rows.map((row) => {
      const figure: FigureRow = {
        receivedCash: BigInt(row.received_cash!),
        receivedInKind: BigInt(row.received_in_kind!),
        refunded: BigInt(row.refunded!),
        spentCharitableActivity: BigInt(row.spent_charitable_activity!),
        spentManagement: BigInt(row.spent_management!),
        spentFundraising: BigInt(row.spent_fundraising!),
        spentTotal: BigInt(row.spent_charitable_activity!) + BigInt(row.spent_management!) + BigInt(row.spent_fundraising!),
        goodsDisbursedQuantity: BigInt(row.goods_disbursed_quantity!),
        goodsDisbursedValue: BigInt(row.goods_disbursed_value!),
        beneficiariesReached: Number(row.beneficiaries_reached),
      };
      fields.forEach((field, index) => Object.assign(figure, { [field]: row[`k${index}`] }));
      return figure;
    });
  }
}

/**
 * The aggregation: facts of the period grouped by the cell's keys and the
 * pseudonym (null for every fact but BENEFICIARY_REACHED), then by the keys alone,
 * counting the people whose disbursements in the cell outnumber their reversals.
 * Without groupBy, one row (zeros when nothing happened).
 */
export function figuresQuery(filter: FiguresFilter, groupBy: readonly FigureDimension[]): { sql: string; params: unknown[]; fields: Array<keyof FigureRow> } {
  const from = dateInput(filter.from, 'filter.from');
  const to = dateInput(filter.to, 'filter.to');
  if (to <= from) throw DomainError.badInput('filter.to', `must be after filter.from (${from}); it is the first day not included`);
  const params: unknown[] = [from, to];
  const where = ['occurred_on >= $1::date', 'occurred_on < $2::date'];
  if (filter.charityIds !== undefined) {
    filter.charityIds.forEach((id, index) => {
      if (!UUID.test(id)) throw DomainError.badInput(`filter.charityIds[${index}]`, `"${id}" is not a charity id`);
    });
    params.push(filter.charityIds);
    where.push(`charity_id = ANY($${params.length}::uuid[])`);
  }
  if (filter.projectId !== undefined) {
    params.push(filter.projectId);
    where.push(`project_id = $${params.length}`);
  }
  if (filter.projectCategories !== undefined) {
    filter.projectCategories.forEach((category, index) => {
      if (!(PROJECT_CATEGORIES as readonly string[]).includes(category)) {
        throw DomainError.badInput(`filter.projectCategories[${index}]`, `"${category}" is not a project category (${PROJECT_CATEGORIES.join(', ')})`);
      }
    });
    params.push(filter.projectCategories);
    where.push(`project_category = ANY($${params.length}::text[])`);
  }
  if (filter.districtCode !== undefined) {
    params.push(filter.districtCode);
    where.push(`district_code = $${params.length}`);
  }
  if (filter.streetCode !== undefined) {
    params.push(filter.streetCode);
    where.push(`street_code = $${params.length}`);
  }

  const keys: Array<{ sql: string; field: keyof FigureRow }> = [];
  for (const dimension of groupBy) {
    if (!(FIGURE_DIMENSIONS as readonly string[]).includes(dimension)) {
      throw DomainError.badInput('groupBy', `"${dimension}" is not a dimension (${FIGURE_DIMENSIONS.join(', ')})`);
    }
    for (const key of KEYS[dimension]) if (!keys.some((known) => known.field === key.field)) keys.push(key);
  }
  const inner = keys.map((key, index) => `${key.sql} AS k${index}`);
  const outer = keys.map((_key, index) => `k${index}`);
  const sum = (column: string, condition: string) => `coalesce(sum(${column}) FILTER (WHERE ${condition}), 0) AS`;
  const sql = `
    SELECT ${[...outer, ''].join(', ')}
           coalesce(sum(received_cash), 0) AS received_cash,
           coalesce(sum(received_in_kind), 0) AS received_in_kind,
           coalesce(sum(refunded), 0) AS refunded,
           coalesce(sum(spent_charitable_activity), 0) AS spent_charitable_activity,
           coalesce(sum(spent_management), 0) AS spent_management,
           coalesce(sum(spent_fundraising), 0) AS spent_fundraising,
           coalesce(sum(goods_disbursed_quantity), 0) AS goods_disbursed_quantity,
           coalesce(sum(goods_disbursed_value), 0) AS goods_disbursed_value,
           count(*) FILTER (WHERE reached > 0) AS beneficiaries_reached
      FROM (SELECT ${[...inner, ''].join(', ')}
                   ${sum('amount', `measure = 'RECEIVED_CASH'`)} received_cash,
                   ${sum('amount', `measure = 'RECEIVED_IN_KIND'`)} received_in_kind,
                   ${sum('amount', `measure = 'REFUNDED'`)} refunded,
                   ${sum('amount', `measure = 'SPENT' AND cost_class = 'CHARITABLE_ACTIVITY'`)} spent_charitable_activity,
                   ${sum('amount', `measure = 'SPENT' AND cost_class = 'MANAGEMENT'`)} spent_management,
                   ${sum('amount', `measure = 'SPENT' AND cost_class = 'FUNDRAISING'`)} spent_fundraising,
                   ${sum('quantity', `measure = 'GOODS_DISBURSED'`)} goods_disbursed_quantity,
                   ${sum('amount', `measure = 'GOODS_DISBURSED'`)} goods_disbursed_value,
                   ${sum('quantity', `measure = 'BENEFICIARY_REACHED'`)} reached
              FROM ledger_fact
             WHERE ${where.join(' AND ')}
             GROUP BY ${[...inner.map((_column, index) => String(index + 1)), 'pseudonym'].join(', ')}) AS per_person
     ${outer.length > 0 ? `GROUP BY ${outer.join(', ')} ORDER BY ${outer.map((key) => `${key} NULLS LAST`).join(', ')}` : ''}`;
  return { sql, params, fields: keys.map((key) => key.field) };
}
