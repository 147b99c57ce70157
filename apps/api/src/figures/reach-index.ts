import { Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';

/** A figures filter, validated (FiguresService's `parseFilter`). */
export interface ReachFilter {
  /** YYYY-MM-DD, inclusive. */
  from: string;
  /** YYYY-MM-DD, exclusive. */
  to: string;
  charityIds?: readonly string[];
  projectId?: string;
  projectCategories?: readonly string[];
  districtCode?: string;
  streetCode?: string;
}

/** The keys people can be counted by: period parts of the day, and the cell's columns. */
export type ReachKey = 'month' | 'quarter' | 'year' | 'charityId' | 'projectId' | 'projectCategory' | 'districtCode' | 'streetCode';

/** Separates key values in a counted cell's key (values never contain it). */
export const KEY_SEPARATOR = '\u0001';

interface Cell {
  charityId: string;
  /** '' for none, as in the rollups. */
  projectId: string;
  projectCategory: string;
  districtCode: string;
  streetCode: string;
}

const CELL_KEYS = ['charityId', 'projectId', 'projectCategory', 'districtCode', 'streetCode'] as const;
const PERIOD_KEYS = ['month', 'quarter', 'year'] as const;
const DAY_MS = 86_400_000;

/** Days since 1970-01-01 of a YYYY-MM-DD date. */
function dayNumber(date: string): number {
  return Date.UTC(Number(date.slice(0, 4)), Number(date.slice(5, 7)) - 1, Number(date.slice(8, 10))) / DAY_MS;
}

function periodOf(day: number, key: (typeof PERIOD_KEYS)[number]): string {
  const date = new Date(day * DAY_MS).toISOString();
  if (key === 'year') return date.slice(0, 4);
  if (key === 'month') return date.slice(0, 7);
  return `${date.slice(0, 4)}-Q${Math.floor((Number(date.slice(5, 7)) - 1) / 3) + 1}`;
}

interface ReachRow {
  day: string;
  charity_id: string;
  project_id: string;
  project_category: string;
  district_code: string;
  street_code: string;
  pseudonym: string;
  reached: string;
  position: string;
}

/**
 * The people reached, in memory, to count distinct people per cell fast
 * (docs/figures.md, "Counting people"). It holds what `ledger_reach_day` holds — per
 * person, the net number of disbursements by day and cell — as small integers:
 * people, cells and days are numbered, so a year's count over any grouping and its
 * margins is one pass over the people, with no row per (person, cell) to hash.
 *
 * Every question first catches up with the database: it reads the people-reached
 * facts written after the last one it holds (`position` greater than its high-water
 * mark, through a partial index). Appends commit in position order (the append lock
 * is held until COMMIT, and a transaction is visible before its lock is released),
 * so a fact never becomes visible below the mark. Facts are insert-only; a rebuild
 * of `ledger_fact` (docs/figures.md, "Storage and upkeep") needs a restart of the
 * service.
 */
@Injectable()
export class ReachIndex implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(ReachIndex.name);
  private readonly cells: Cell[] = [];
  private readonly cellIds = new Map<string, number>();
  private readonly people = new Map<string, number>();
  /** Per person: [day, cell, net, day, cell, net, …]. */
  private readonly rows: number[][] = [];
  /** The position of the last people-reached fact held; null before the first load. */
  private highWater: number | null = null;
  /** The catch-up running or last run. */
  private current: Promise<void> = Promise.resolve();
  /** A catch-up not started yet: it will see everything committed before it starts. */
  private queued: Promise<void> | null = null;

  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** Starts loading at boot, so the first question does not wait for it (a failure is retried by the first question). */
  onApplicationBootstrap(): void {
    this.sync().catch((error: unknown) => this.logger.warn(`reach index not loaded at start (the first figures question will load it): ${String(error)}`));
  }

  async onApplicationShutdown(): Promise<void> {
    await this.current.catch(() => undefined);
  }

  /** People and (day, cell, person) rows held: for the benchmarks' report. */
  size(): { people: number; rows: number } {
    return { people: this.people.size, rows: this.rows.reduce((total, list) => total + list.length / 3, 0) };
  }

  /**
   * Resolves once the index holds every people-reached fact committed before the
   * call. Concurrent callers share one catch-up when they can.
   */
  sync(): Promise<void> {
    if (this.queued) return this.queued;
    const queued = this.current
      .catch(() => undefined)
      .then(() => {
        this.queued = null;
        return this.highWater === null ? this.load() : this.catchUp();
      });
    this.queued = queued;
    this.current = queued;
    return queued;
  }

  /**
   * Distinct people with more disbursements than reversals in each cell, for each
   * grouping (a list of keys; [] for the total): one map per grouping from the cell's
   * key values (joined with KEY_SEPARATOR, '' for none) to its count. Cells with no
   * one counted are absent. Call `sync()` first.
   */
  count(filter: ReachFilter, groupings: ReadonlyArray<readonly ReachKey[]>): Array<Map<string, number>> {
    const from = dayNumber(filter.from);
    const to = dayNumber(filter.to);
    const passes = this.cellsPassing(filter);

    const plans = groupings.map((keys) => {
      // per cell, the code of its cell-key values (−1: filtered out); per day, the code of its period values
      const cellCodes = new Map<string, number>();
      const cellValues: string[] = [];
      const cellCode = new Int32Array(this.cells.length).fill(-1);
      const cellKeys = keys.filter((key): key is (typeof CELL_KEYS)[number] => (CELL_KEYS as readonly string[]).includes(key));
      this.cells.forEach((cell, index) => {
        if (!passes[index]) return;
        const value = cellKeys.map((key) => cell[key]).join(KEY_SEPARATOR);
        let code = cellCodes.get(value);
        if (code === undefined) {
          code = cellValues.push(value) - 1;
          cellCodes.set(value, code);
        }
        cellCode[index] = code;
      });
      const periodKeys = keys.filter((key): key is (typeof PERIOD_KEYS)[number] => (PERIOD_KEYS as readonly string[]).includes(key));
      const periodCodes = new Map<string, number>();
      const periodValues: string[] = [];
      const dayCode = new Int32Array(Math.max(0, to - from));
      for (let day = from; day < to; day++) {
        const value = periodKeys.map((key) => periodOf(day, key)).join(KEY_SEPARATOR);
        let code = periodCodes.get(value);
        if (code === undefined) {
          code = periodValues.push(value) - 1;
          periodCodes.set(value, code);
        }
        dayCode[day - from] = code;
      }
      return { keys, cellKeys, periodKeys, cellCode, cellValues, dayCode, periodValues, width: Math.max(1, cellValues.length), counts: new Map<number, number>() };
    });

    // a person's rows in the filter, and per grouping the cells they fall in with their nets
    const inFilter: number[] = [];
    const localKeys: number[] = [];
    const localSums: number[] = [];
    for (const list of this.rows) {
      inFilter.length = 0;
      for (let index = 0; index < list.length; index += 3) {
        const day = list[index];
        if (day >= from && day < to && passes[list[index + 1]] === 1 && list[index + 2] !== 0) inFilter.push(index);
      }
      if (inFilter.length === 0) continue;
      if (inFilter.length === 1) {
        const index = inFilter[0];
        if (list[index + 2] <= 0) continue;
        for (const plan of plans) {
          const key = plan.dayCode[list[index] - from] * plan.width + plan.cellCode[list[index + 1]];
          plan.counts.set(key, (plan.counts.get(key) ?? 0) + 1);
        }
        continue;
      }
      for (const plan of plans) {
        localKeys.length = 0;
        localSums.length = 0;
        for (const index of inFilter) {
          const key = plan.dayCode[list[index] - from] * plan.width + plan.cellCode[list[index + 1]];
          const at = localKeys.indexOf(key);
          if (at < 0) {
            localKeys.push(key);
            localSums.push(list[index + 2]);
          } else localSums[at] += list[index + 2];
        }
        localKeys.forEach((key, at) => {
          if (localSums[at] > 0) plan.counts.set(key, (plan.counts.get(key) ?? 0) + 1);
        });
      }
    }

    return plans.map((plan) => {
      const answer = new Map<string, number>();
      for (const [key, count] of plan.counts) {
        const period = plan.periodValues[Math.floor(key / plan.width)].split(KEY_SEPARATOR);
        const cell = plan.cellValues[key % plan.width].split(KEY_SEPARATOR);
        // the values in the grouping's own key order
        const values = plan.keys.map((name) => {
          const periodAt = plan.periodKeys.indexOf(name as (typeof PERIOD_KEYS)[number]);
          return periodAt >= 0 ? period[periodAt] : cell[plan.cellKeys.indexOf(name as (typeof CELL_KEYS)[number])];
        });
        answer.set(values.join(KEY_SEPARATOR), count);
      }
      return answer;
    });
  }

  private cellsPassing(filter: ReachFilter): Uint8Array {
    const charities = filter.charityIds ? new Set(filter.charityIds.map((id) => id.toLowerCase())) : null;
    const categories = filter.projectCategories ? new Set(filter.projectCategories) : null;
    return Uint8Array.from(this.cells, (cell) =>
      (charities === null || charities.has(cell.charityId)) &&
      (filter.projectId === undefined || cell.projectId === filter.projectId) &&
      (categories === null || categories.has(cell.projectCategory)) &&
      (filter.districtCode === undefined || cell.districtCode === filter.districtCode) &&
      (filter.streetCode === undefined || cell.streetCode === filter.streetCode)
        ? 1
        : 0,
    );
  }

  /** The first load: the day rollup and the mark, read in one snapshot. */
  private async load(): Promise<void> {
    const { rows, mark } = await this.dataSource.transaction('REPEATABLE READ', async (manager) => {
      const [head] = (await manager.query(`SELECT max(position)::text AS position FROM ledger_fact WHERE measure = 'BENEFICIARY_REACHED'`)) as Array<{ position: string | null }>;
      const held = (await manager.query(
        `SELECT occurred_on::text AS day, charity_id::text AS charity_id, project_id, project_category, district_code, street_code, pseudonym, reached::text AS reached
           FROM ledger_reach_day WHERE reached <> 0`,
      )) as ReachRow[];
      return { rows: held, mark: head.position === null ? -1 : Number(head.position) };
    });
    this.apply(rows);
    this.highWater = mark;
  }

  /** The people-reached facts written since the mark. */
  private async catchUp(): Promise<void> {
    const rows = (await this.dataSource.query(
      `SELECT occurred_on::text AS day, charity_id::text AS charity_id, coalesce(project_id, '') AS project_id,
              coalesce(project_category, '') AS project_category, coalesce(district_code, '') AS district_code,
              coalesce(street_code, '') AS street_code, pseudonym, quantity::text AS reached, position::text AS position
         FROM ledger_fact WHERE measure = 'BENEFICIARY_REACHED' AND position > $1 ORDER BY position`,
      [this.highWater],
    )) as ReachRow[];
    if (rows.length === 0) return;
    this.apply(rows);
    this.highWater = Number(rows[rows.length - 1].position);
  }

  private apply(rows: readonly ReachRow[]): void {
    for (const row of rows) {
      const cellKey = [row.charity_id, row.project_id, row.project_category, row.district_code, row.street_code].join(KEY_SEPARATOR);
      let cell = this.cellIds.get(cellKey);
      if (cell === undefined) {
        cell = this.cells.push({ charityId: row.charity_id, projectId: row.project_id, projectCategory: row.project_category, districtCode: row.district_code, streetCode: row.street_code }) - 1;
        this.cellIds.set(cellKey, cell);
      }
      let person = this.people.get(row.pseudonym);
      if (person === undefined) {
        person = this.rows.push([]) - 1;
        this.people.set(row.pseudonym, person);
      }
      const list = this.rows[person];
      const day = dayNumber(row.day);
      const net = Number(row.reached);
      let index = 0;
      while (index < list.length && (list[index] !== day || list[index + 1] !== cell)) index += 3;
      if (index < list.length) list[index + 2] += net;
      else list.push(day, cell, net);
    }
  }
}
