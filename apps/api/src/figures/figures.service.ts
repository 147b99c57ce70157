import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { PROJECT_CATEGORIES } from '@charity-ledger/ledger-core';
import { DataSource } from 'typeorm';
import { DomainError } from '../common/domain-error.js';
import { dateInput } from '../common/input-values.js';
import { KEY_SEPARATOR, ReachIndex, type ReachFilter, type ReachKey } from './reach-index.js';

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
 * SQL for each dimension's key columns (over the rollups, where "none" is ''): what
 * rows are grouped by (cheap to compute for every rollup row: a period is its first
 * day), how a group's key is written out (`$` stands for the key), and the row field
 * it fills.
 */
const KEYS: Record<FigureDimension, Array<{ sql: string; text: string; field: keyof FigureRow }>> = {
  MONTH: [{ sql: `date_trunc('month', occurred_on::timestamp)`, text: `to_char($, 'YYYY-MM')`, field: 'month' }],
  QUARTER: [{ sql: `date_trunc('quarter', occurred_on::timestamp)`, text: `to_char($, 'YYYY-"Q"Q')`, field: 'quarter' }],
  YEAR: [{ sql: `date_trunc('year', occurred_on::timestamp)`, text: `to_char($, 'YYYY')`, field: 'year' }],
  CHARITY: [{ sql: 'charity_id', text: '$::text', field: 'charityId' }],
  PROJECT: [
    { sql: 'charity_id', text: '$::text', field: 'charityId' },
    { sql: 'project_id', text: '$', field: 'projectId' },
  ],
  PROJECT_CATEGORY: [{ sql: 'project_category', text: '$', field: 'projectCategory' }],
  DISTRICT: [{ sql: 'district_code', text: '$', field: 'districtCode' }],
  STREET: [{ sql: 'street_code', text: '$', field: 'streetCode' }],
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
 * and grouped: the money in one SQL aggregation over the facts' rollups, the people
 * from the in-memory reach index (ReachIndex). Exact figures, with no suppression:
 * what the public may see of them is for the caller to decide.
 */
@Injectable()
export class FiguresService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly reach: ReachIndex,
  ) {}

  async figures(filter: FiguresFilter, groupBy: readonly FigureDimension[] = []): Promise<FigureRow[]> {
    return (await this.figureSets(filter, [groupBy]))[0];
  }

  /**
   * The figures of several groupings of the same filter: e.g. a table and its
   * margins, their money in one statement (one read of the rollups) and their people
   * in one pass over the reach index. Answers one list per grouping, in the order
   * asked.
   */
  async figureSets(filter: FiguresFilter, groupings: ReadonlyArray<readonly FigureDimension[]>): Promise<FigureRow[][]> {
    const query = figuresQuery(filter, groupings);
    // people first: the money read then sees at least every person counted
    await this.reach.sync();
    const people = this.reach.count(
      query.filter,
      query.sets.map((set) => set.map((index) => query.fields[index] as ReachKey)),
    );
    const rows = await this.dataSource.transaction(async (manager) => {
      // for this statement only: the rollups are small, so parallel workers cost more to
      // start (and, on a busy machine, to get a core) than they save (docs/benchmarks.md,
      // "Disclosures"); the memory lets the grouping sets hash without spilling
      await manager.query(`SET LOCAL work_mem = '${FIGURES_WORK_MEM}'; SET LOCAL max_parallel_workers_per_gather = 0`);
      return (await manager.query(query.sql, query.params)) as Array<Record<string, string | number | null>>;
    });
    return mergeFigures(query, rows, people);
  }
}

type RawRow = Record<string, string | number | null>;

/** A figure row from the money columns of a statement row (zeros when absent) and a count of people. */
function figureRow(row: RawRow | null, beneficiariesReached: number): FigureRow {
  const money = (column: (typeof MONEY_COLUMNS)[number]) => (row === null ? 0n : BigInt(row[column]!));
  return {
    receivedCash: money('received_cash'),
    receivedInKind: money('received_in_kind'),
    refunded: money('refunded'),
    spentCharitableActivity: money('spent_charitable_activity'),
    spentManagement: money('spent_management'),
    spentFundraising: money('spent_fundraising'),
    spentTotal: money('spent_charitable_activity') + money('spent_management') + money('spent_fundraising'),
    goodsDisbursedQuantity: money('goods_disbursed_quantity'),
    goodsDisbursedValue: money('goods_disbursed_value'),
    beneficiariesReached,
  };
}

/**
 * The answer: each grouping's cells, with the money of the statement's rows and the
 * people of the reach index's counts (a cell may have either alone), ordered by its
 * keys, none last.
 */
function mergeFigures(query: FiguresQuery, rows: readonly RawRow[], people: ReadonlyArray<Map<string, number>>): FigureRow[][] {
  const cells = query.sets.map(() => new Map<string, { row: RawRow | null; people: number }>());
  for (const row of rows) {
    const set = query.masks.indexOf(Number(row.g));
    const key = query.sets[set].map((index) => String(row[`k${index}`])).join(KEY_SEPARATOR);
    cells[set].set(key, { row, people: people[set].get(key) ?? 0 });
  }
  people.forEach((counts, set) => {
    for (const [key, count] of counts) if (!cells[set].has(key)) cells[set].set(key, { row: null, people: count });
  });
  const answers = cells.map((byKey, set) => {
    const keyed = [...byKey].map(([key, cell]) => {
      const values = key === '' && query.sets[set].length === 0 ? [] : key.split(KEY_SEPARATOR);
      const figure = figureRow(cell.row, cell.people);
      // '' is "none" in the rollups: null in the answer
      query.sets[set].forEach((index, at) => Object.assign(figure, { [query.fields[index]]: values[at] === '' ? null : values[at] }));
      return { figure, values };
    });
    keyed.sort((a, b) => {
      for (let at = 0; at < a.values.length; at++) {
        const [x, y] = [a.values[at], b.values[at]];
        if (x === y) continue;
        if (x === '') return 1;
        if (y === '') return -1;
        return x < y ? -1 : 1;
      }
      return 0;
    });
    return keyed.map((item) => item.figure);
  });
  return query.requested.map((mask) => answers[query.masks.indexOf(mask)]);
}

function nonEmpty(value: string, field: string): string {
  if (value.trim() === '') throw DomainError.badInput(field, 'must not be empty');
  return value;
}

/** A validated filter: the dates checked, the ids and codes well-formed. */
export function parseFiguresFilter(filter: FiguresFilter): ReachFilter {
  const from = dateInput(filter.from, 'filter.from');
  const to = dateInput(filter.to, 'filter.to');
  if (to <= from) throw DomainError.badInput('filter.to', `must be after filter.from (${from}); it is the first day not included`);
  filter.charityIds?.forEach((id, index) => {
    if (!UUID.test(id)) throw DomainError.badInput(`filter.charityIds[${index}]`, `"${id}" is not a charity id`);
  });
  filter.projectCategories?.forEach((category, index) => {
    if (!(PROJECT_CATEGORIES as readonly string[]).includes(category)) {
      throw DomainError.badInput(`filter.projectCategories[${index}]`, `"${category}" is not a project category (${PROJECT_CATEGORIES.join(', ')})`);
    }
  });
  return {
    from,
    to,
    charityIds: filter.charityIds,
    projectId: filter.projectId === undefined ? undefined : nonEmpty(filter.projectId, 'filter.projectId'),
    projectCategories: filter.projectCategories,
    districtCode: filter.districtCode === undefined ? undefined : nonEmpty(filter.districtCode, 'filter.districtCode'),
    streetCode: filter.streetCode === undefined ? undefined : nonEmpty(filter.streetCode, 'filter.streetCode'),
  };
}

/** The statement of a figures question, and how its rows map back to the groupings. */
export interface FiguresQuery {
  sql: string;
  params: unknown[];
  filter: ReachFilter;
  /** The row field of each key column k0, k1, …. */
  fields: Array<keyof FigureRow>;
  /** Each distinct grouping: its GROUPING() mask (`g`) and its key columns (indexes into fields, ascending). */
  masks: number[];
  sets: number[][];
  /** The mask of each grouping asked, in the order asked. */
  requested: number[];
}

/** The first day of the month after a YYYY-MM-DD date's. */
function nextMonth(date: string): string {
  const year = Number(date.slice(0, 4));
  const month = Number(date.slice(5, 7));
  return month === 12 ? `${year + 1}-01-01` : `${year}-${String(month + 1).padStart(2, '0')}-01`;
}

/**
 * The money aggregation, over the rollups: each grouping is a grouping set, told
 * apart by GROUPING() of the keys (`g`, one bit per key, set when the key is summed
 * over). The whole months of the period are read from ledger_fact_month, the days
 * before and after them from ledger_fact_day. Keys are as stored ('' for none). The
 * grand total (no keys) always has its row, zeros when nothing happened.
 */
export function figuresQuery(filter: FiguresFilter, groupings: ReadonlyArray<readonly FigureDimension[]>): FiguresQuery {
  const parsed = parseFiguresFilter(filter);
  const { where, params, fields, masks, sets, requested, groupingSets, grouping, selectKeys, keyTexts, names } = groupingPlan(parsed, groupings);
  // whole months [firstMonth, endMonth); none when the period holds no whole month
  let firstMonth = parsed.from.endsWith('-01') ? parsed.from : nextMonth(parsed.from);
  let endMonth = `${parsed.to.slice(0, 8)}01`;
  if (firstMonth >= endMonth) firstMonth = endMonth = parsed.to;
  params.push(firstMonth, endMonth);
  const [first, end] = [`$${params.length - 1}::date`, `$${params.length}::date`];
  const filters = where.slice(2).map((condition) => ` AND ${condition}`).join('');
  const columns = `charity_id, project_id, project_category, district_code, street_code, ${MONEY_COLUMNS.join(', ')}`;
  const sql = `
    SELECT g, ${keyTexts.map((key) => `${key}, `).join('')}${MONEY_COLUMNS.join(', ')}
      FROM (SELECT ${grouping} AS g, ${names.map((name) => `${name}, `).join('')}${MONEY_COLUMNS.map((column) => `coalesce(sum(${column}), 0) AS ${column}`).join(', ')}
              FROM (SELECT ${selectKeys.map((key) => `${key}, `).join('')}${MONEY_COLUMNS.join(', ')}
                      FROM (SELECT occurred_on, ${columns} FROM ledger_fact_day
                             WHERE ((occurred_on >= $1::date AND occurred_on < ${first}) OR (occurred_on >= ${end} AND occurred_on < $2::date))${filters}
                            UNION ALL
                            SELECT month, ${columns} FROM ledger_fact_month
                             WHERE month >= ${first} AND month < ${end}${filters}) AS rollups) AS cells
             GROUP BY GROUPING SETS (${groupingSets([])})) AS grouped`;
  return { sql, params, filter: parsed, fields, masks, sets, requested };
}

/**
 * The people count of a figures question in SQL, over ledger_reach_day: the rows of
 * a person in the cell are summed first, so a person reached twice counts once and
 * one whose disbursements in the cell were all reversed does not count. It re-reads
 * one row per person, cell and day, too slow for public pages on a big ledger
 * (docs/figures.md, "Counting people"): the service counts with ReachIndex, and this
 * statement is the reference the tests and the benchmark check it against.
 * Rows: g, the keys (as figuresQuery's), beneficiaries_reached.
 */
export function peopleReferenceQuery(filter: FiguresFilter, groupings: ReadonlyArray<readonly FigureDimension[]>): FiguresQuery {
  const parsed = parseFiguresFilter(filter);
  const { where, params, fields, masks, sets, requested, groupingSets, grouping, selectKeys, keyTexts, names } = groupingPlan(parsed, groupings);
  const sql = `
    SELECT g, ${keyTexts.map((key) => `${key}, `).join('')}count(*) FILTER (WHERE reached > 0) AS beneficiaries_reached
      FROM (SELECT ${grouping} AS g, ${names.map((name) => `${name}, `).join('')}sum(reached) AS reached
              FROM (SELECT ${selectKeys.map((key) => `${key}, `).join('')}pseudonym, reached FROM ledger_reach_day WHERE ${where.join(' AND ')}) AS cells
             GROUP BY GROUPING SETS (${groupingSets(['pseudonym'])})) AS per_person
     GROUP BY g${names.map((name) => `, ${name}`).join('')}`;
  return { sql, params, filter: parsed, fields, masks, sets, requested };
}

/** The filter's conditions and the groupings' keys and grouping sets, shared by both statements. */
function groupingPlan(filter: ReachFilter, groupings: ReadonlyArray<readonly FigureDimension[]>) {
  const params: unknown[] = [filter.from, filter.to];
  const where = ['occurred_on >= $1::date', 'occurred_on < $2::date'];
  const condition = (value: unknown, sql: (param: string) => string) => {
    if (value === undefined) return;
    params.push(value);
    where.push(sql(`$${params.length}`));
  };
  condition(filter.charityIds, (param) => `charity_id = ANY(${param}::uuid[])`);
  condition(filter.projectId, (param) => `project_id = ${param}`);
  condition(filter.projectCategories, (param) => `project_category = ANY(${param}::text[])`);
  condition(filter.districtCode, (param) => `district_code = ${param}`);
  condition(filter.streetCode, (param) => `street_code = ${param}`);

  // the keys of every grouping, each once
  const keys: Array<(typeof KEYS)[FigureDimension][number]> = [];
  const asked: number[][] = groupings.map((groupBy) => {
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
  const requested = asked.map((set) => names.reduce((mask, _name, index) => (set.includes(index) ? mask : mask | (1 << (names.length - 1 - index))), 0));
  const masks = [...new Set(requested)];
  const sets = masks.map((mask) => asked[requested.indexOf(mask)]);
  const groupingSets = (extra: string[]) => sets.map((set) => `(${[...set.map((index) => names[index]), ...extra].join(', ')})`).join(', ');
  return {
    where,
    params,
    fields: keys.map((key) => key.field),
    masks,
    sets,
    requested,
    groupingSets,
    grouping: names.length > 0 ? `GROUPING(${names.join(', ')})` : '0',
    selectKeys: keys.map((key, index) => `${key.sql} AS ${names[index]}`),
    keyTexts: keys.map((key, index) => `${key.text.replace('$', names[index])} AS ${names[index]}`),
    names,
  };
}
