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

/**
 * SQL for each dimension's key columns (over the rollups, where "none" is ''), and
 * the row fields they fill.
 */
const KEYS: Record<FigureDimension, Array<{ sql: string; field: keyof FigureRow }>> = {
  MONTH: [{ sql: `to_char(occurred_on, 'YYYY-MM')`, field: 'month' }],
  QUARTER: [{ sql: `to_char(occurred_on, 'YYYY-"Q"Q')`, field: 'quarter' }],
  YEAR: [{ sql: `to_char(occurred_on, 'YYYY')`, field: 'year' }],
  CHARITY: [{ sql: 'charity_id::text', field: 'charityId' }],
  PROJECT: [
    { sql: 'charity_id::text', field: 'charityId' },
    { sql: 'project_id', field: 'projectId' },
  ],
  PROJECT_CATEGORY: [{ sql: 'project_category', field: 'projectCategory' }],
  DISTRICT: [{ sql: 'district_code', field: 'districtCode' }],
  STREET: [{ sql: 'street_code', field: 'streetCode' }],
};

/** work_mem of the figures statement (the server's default is often 4 MB). */
export const FIGURES_WORK_MEM = '64MB';

const MONEY_COLUMNS = [
  'received_cash',
  'received_in_kind',
  'refunded',
  'spent_charitable_activity',
  'spent_management',
  'spent_fundraising',
  'goods_disbursed_quantity',
  'goods_disbursed_value',
] as const;

/**
 * Period figures (docs/figures.md): sums of ledger facts over a period, filtered
 * and grouped, in one SQL aggregation over the facts' rollups. Exact figures, with
 * no suppression: what the public may see of them is for the caller to decide.
 */
@Injectable()
export class FiguresService {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async figures(filter: FiguresFilter, groupBy: readonly FigureDimension[] = []): Promise<FigureRow[]> {
    return (await this.figureSets(filter, [groupBy]))[0];
  }

  /**
   * The figures of several groupings of the same filter in one statement (one read
   * of the rollups): e.g. a table and its margins. Answers one list per grouping, in
   * the order asked.
   */
  async figureSets(filter: FiguresFilter, groupings: ReadonlyArray<readonly FigureDimension[]>): Promise<FigureRow[][]> {
    const { sql, params, fields, masks } = figuresQuery(filter, groupings);
    const rows = await this.dataSource.transaction(async (manager) => {
      // for this statement only: counting people hashes every (cell, person) of every
      // grouping set, so give it the memory to do so without spilling to disk; and the
      // rollups are small, so parallel workers cost more to start (and, on a busy
      // machine, to get a core) than they save (docs/benchmarks.md, "Disclosures")
      await manager.query(`SET LOCAL work_mem = '${FIGURES_WORK_MEM}'; SET LOCAL max_parallel_workers_per_gather = 0`);
      return (await manager.query(sql, params)) as Array<Record<string, string | number | null>>;
    });
    const bySet = new Map<number, FigureRow[]>();
    for (const row of rows) {
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
      const mask = Number(row.g);
      fields.forEach((field, index) => {
        // a key summed over (bit set in the grouping mask) is not part of this row's key
        if ((mask & (1 << (fields.length - 1 - index))) === 0) Object.assign(figure, { [field]: row[`k${index}`] });
      });
      const list = bySet.get(mask) ?? [];
      list.push(figure);
      bySet.set(mask, list);
    }
    return masks.map((mask) => bySet.get(mask) ?? []);
  }
}

function nonEmpty(value: string, field: string): string {
  if (value.trim() === '') throw DomainError.badInput(field, 'must not be empty');
  return value;
}

/**
 * The aggregation, over the rollups ledger_fact_day (money) and ledger_reach_day
 * (people): each grouping is a grouping set, told apart by GROUPING() of the keys
 * (`g`, one bit per key, set when the key is summed over). People are counted per
 * grouping set: the rows of a person in the cell are summed first, so a person
 * reached twice counts once and one whose disbursements in the cell were all
 * reversed does not count. The grand total (no keys) always has its row, zeros when
 * nothing happened.
 */
export function figuresQuery(
  filter: FiguresFilter,
  groupings: ReadonlyArray<readonly FigureDimension[]>,
): { sql: string; params: unknown[]; fields: Array<keyof FigureRow>; masks: number[] } {
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
    params.push(nonEmpty(filter.projectId, 'filter.projectId'));
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
    params.push(nonEmpty(filter.districtCode, 'filter.districtCode'));
    where.push(`district_code = $${params.length}`);
  }
  if (filter.streetCode !== undefined) {
    params.push(nonEmpty(filter.streetCode, 'filter.streetCode'));
    where.push(`street_code = $${params.length}`);
  }

  // the keys of every grouping, each once
  const keys: Array<{ sql: string; field: keyof FigureRow }> = [];
  const sets: number[][] = groupings.map((groupBy) => {
    const set: number[] = [];
    for (const dimension of groupBy) {
      if (!(FIGURE_DIMENSIONS as readonly string[]).includes(dimension)) {
        throw DomainError.badInput('groupBy', `"${dimension}" is not a dimension (${FIGURE_DIMENSIONS.join(', ')})`);
      }
      for (const key of KEYS[dimension]) {
        let index = keys.findIndex((known) => known.field === key.field);
        if (index < 0) index = keys.push(key) - 1;
        if (!set.includes(index)) set.push(index);
      }
    }
    return set.sort((a, b) => a - b);
  });
  const names = keys.map((_key, index) => `k${index}`);
  const masks = sets.map((set) => names.reduce((mask, _name, index) => (set.includes(index) ? mask : mask | (1 << (names.length - 1 - index))), 0));
  const distinct = [...new Set(masks)].map((mask) => sets[masks.indexOf(mask)]);
  const groupingSets = (extra: string[]) => distinct.map((set) => `(${[...set.map((index) => names[index]), ...extra].join(', ')})`).join(', ');
  const grouping = names.length > 0 ? `GROUPING(${names.join(', ')})` : '0';
  const selectKeys = keys.map((key, index) => `${key.sql} AS ${names[index]}`);
  const list = (items: string[]) => items.map((item) => `${item}, `).join('');

  const sql = `
    WITH money AS (
      SELECT ${grouping} AS g, ${list(names)}${MONEY_COLUMNS.map((column) => `sum(${column}) AS ${column}`).join(', ')}
        FROM (SELECT ${list(selectKeys)}${MONEY_COLUMNS.join(', ')} FROM ledger_fact_day WHERE ${where.join(' AND ')}) AS cells
       GROUP BY GROUPING SETS (${groupingSets([])})
    ), people AS (
      SELECT g, ${list(names)}count(*) FILTER (WHERE reached > 0) AS beneficiaries_reached
        FROM (SELECT ${grouping} AS g, ${list(names)}sum(reached) AS reached
                FROM (SELECT ${list(selectKeys)}pseudonym, reached FROM ledger_reach_day WHERE ${where.join(' AND ')}) AS cells
               GROUP BY GROUPING SETS (${groupingSets(['pseudonym'])})) AS per_person
       GROUP BY g${names.map((name) => `, ${name}`).join('')}
    )
    SELECT g, ${names.map((name) => `nullif(${name}, '') AS ${name}, `).join('')}
           ${MONEY_COLUMNS.map((column) => `coalesce(sum(${column}), 0) AS ${column}`).join(', ')},
           coalesce(sum(beneficiaries_reached), 0) AS beneficiaries_reached
      FROM (SELECT g, ${list(names)}${list([...MONEY_COLUMNS])}NULL::bigint AS beneficiaries_reached FROM money
            UNION ALL
            SELECT g, ${list(names)}${list(MONEY_COLUMNS.map(() => 'NULL::numeric'))}beneficiaries_reached FROM people) AS both_parts
     GROUP BY g${names.map((name) => `, ${name}`).join('')}
     ORDER BY g${names.map((name) => `, nullif(${name}, '') NULLS LAST`).join('')}`;
  return { sql, params, fields: keys.map((key) => key.field), masks };
}
