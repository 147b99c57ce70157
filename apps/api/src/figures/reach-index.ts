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
type CellKey = (typeof CELL_KEYS)[number];
const PERIOD_KEYS = ['month', 'quarter', 'year'] as const;
type PeriodKey = (typeof PERIOD_KEYS)[number];

/** A copy twice as long. */
function grown(array: Int32Array<ArrayBuffer>): Int32Array<ArrayBuffer> {
  const copy = new Int32Array(array.length * 2);
  copy.set(array);
  return copy;
}

/** Counts per numbered cell: an array when the cells' numbers are few enough, else a map. */
class Counts {
  private static readonly DENSE_LIMIT = 1 << 22;
  private readonly dense: Int32Array | null;
  private readonly sparse = new Map<number, number>();

  constructor(size: number) {
    this.dense = size <= Counts.DENSE_LIMIT ? new Int32Array(size) : null;
  }

  add(key: number): void {
    if (this.dense) this.dense[key] += 1;
    else this.sparse.set(key, (this.sparse.get(key) ?? 0) + 1);
  }

  forEach(visit: (key: number, count: number) => void): void {
    if (!this.dense) {
      for (const [key, count] of this.sparse) visit(key, count);
      return;
    }
    for (let key = 0; key < this.dense.length; key++) if (this.dense[key] > 0) visit(key, this.dense[key]);
  }
}
const DAY_MS = 86_400_000;

/** Days since 1970-01-01 of a YYYY-MM-DD date. */
function dayNumber(date: string): number {
  return Date.UTC(Number(date.slice(0, 4)), Number(date.slice(5, 7)) - 1, Number(date.slice(8, 10))) / DAY_MS;
}

function periodOf(day: number, key: PeriodKey): string {
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
  /** Each cell (its key values joined) numbered. */
  private readonly cellIds = new Map<string, number>();
  /** Per cell key, its values numbered, and each cell's number for it. */
  private readonly dictionaries = Object.fromEntries(CELL_KEYS.map((key) => [key, { codes: new Map<string, number>(), values: [] as string[] }])) as Record<
    CellKey,
    { codes: Map<string, number>; values: string[] }
  >;
  private readonly cellCodes = Object.fromEntries(CELL_KEYS.map((key) => [key, [] as number[]])) as Record<CellKey, number[]>;
  private readonly people = new Map<string, number>();
  /** Per person: [day, cell, net, day, cell, net, …]. */
  private readonly rows: number[][] = [];
  /** The first and last day of any row held. */
  private firstDay = Number.POSITIVE_INFINITY;
  private lastDay = Number.NEGATIVE_INFINITY;
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
    const { from, to } = this.daysWalked(filter);
    const passes = this.cellsPassing(filter);
    const plans = groupings.map((keys) => this.plan(keys, from, to));

    // per person, the rows in the filter; a person with several sums their nets per cell first
    // (scratch arrays reused from person to person: this loop runs once per person)
    let inFilter = new Int32Array(64);
    let localKeys = new Float64Array(64);
    let localSums = new Int32Array(64);
    for (const list of this.rows) {
      let found = 0;
      for (let index = 0; index < list.length; index += 3) {
        const day = list[index];
        if (day >= from && day < to && passes[list[index + 1]] === 1 && list[index + 2] !== 0) {
          if (found === inFilter.length) inFilter = grown(inFilter);
          inFilter[found++] = index;
        }
      }
      if (found === 0) continue;
      if (found === 1) {
        const index = inFilter[0];
        if (list[index + 2] <= 0) continue;
        for (const plan of plans) plan.counts.add(plan.dayCode[list[index] - from] * plan.width + plan.cellCode[list[index + 1]]);
        continue;
      }
      if (localKeys.length < found) {
        localKeys = new Float64Array(found * 2);
        localSums = new Int32Array(found * 2);
      }
      for (const plan of plans) {
        let distinct = 0;
        for (let row = 0; row < found; row++) {
          const index = inFilter[row];
          const key = plan.dayCode[list[index] - from] * plan.width + plan.cellCode[list[index + 1]];
          let at = 0;
          while (at < distinct && localKeys[at] !== key) at++;
          if (at === distinct) {
            localKeys[distinct] = key;
            localSums[distinct++] = list[index + 2];
          } else localSums[at] += list[index + 2];
        }
        for (let at = 0; at < distinct; at++) if (localSums[at] > 0) plan.counts.add(localKeys[at]);
      }
    }

    return plans.map((plan) => {
      const answer = new Map<string, number>();
      plan.counts.forEach((key, count) => {
        const period = plan.periodValues[Math.floor(key / plan.width)].split(KEY_SEPARATOR);
        const cellPart = key % plan.width;
        // the values in the grouping's own key order
        const values = plan.keys.map((name) => {
          const periodAt = plan.periodKeys.indexOf(name as PeriodKey);
          if (periodAt >= 0) return period[periodAt];
          const at = plan.cellKeys.indexOf(name as CellKey);
          const dictionary = this.dictionaries[plan.cellKeys[at]];
          return dictionary.values[Math.floor(cellPart / plan.strides[at]) % dictionary.values.length];
        });
        answer.set(values.join(KEY_SEPARATOR), count);
      });
      return answer;
    });
  }

  /**
   * The days a count walks (days since 1970-01-01, `to` excluded): the filter's
   * period, cut to the days that hold rows, so that a period of centuries costs no
   * more than the data.
   */
  daysWalked(filter: Pick<ReachFilter, 'from' | 'to'>): { from: number; to: number } {
    if (!Number.isFinite(this.firstDay)) return { from: 0, to: 0 };
    const from = Math.max(dayNumber(filter.from), this.firstDay);
    return { from, to: Math.max(from, Math.min(dayNumber(filter.to), this.lastDay + 1)) };
  }

  /**
   * How one grouping numbers its cells: each cell's key values as one number (mixed
   * radix over the dictionaries' codes), each day's period values as another, the
   * cell of a row being dayCode × width + cellCode.
   */
  private plan(keys: readonly ReachKey[], from: number, to: number) {
    const cellKeys = keys.filter((key): key is CellKey => (CELL_KEYS as readonly string[]).includes(key));
    const strides: number[] = [];
    let width = 1;
    for (const key of cellKeys) {
      strides.push(width);
      width *= Math.max(1, this.dictionaries[key].values.length);
    }
    const cellCode = new Float64Array(this.cellIds.size);
    cellKeys.forEach((key, at) => {
      const codes = this.cellCodes[key];
      for (let cell = 0; cell < codes.length; cell++) cellCode[cell] += codes[cell] * strides[at];
    });
    const periodKeys = keys.filter((key): key is PeriodKey => (PERIOD_KEYS as readonly string[]).includes(key));
    const periodCodes = new Map<string, number>();
    const periodValues: string[] = [];
    const dayCode = new Float64Array(Math.max(0, to - from));
    for (let day = from; day < to; day++) {
      const value = periodKeys.map((key) => periodOf(day, key)).join(KEY_SEPARATOR);
      let code = periodCodes.get(value);
      if (code === undefined) {
        code = periodValues.push(value) - 1;
        periodCodes.set(value, code);
      }
      dayCode[day - from] = code;
    }
    return { keys, cellKeys, periodKeys, strides, width, cellCode, dayCode, periodValues, counts: new Counts(Math.max(1, periodValues.length) * width) };
  }

  /** 1 for each cell the filter keeps: decided per value of each cell key, then per cell on the codes. */
  private cellsPassing(filter: ReachFilter): Uint8Array {
    const allowed: Partial<Record<CellKey, ReadonlySet<string>>> = {};
    if (filter.charityIds) allowed.charityId = new Set(filter.charityIds.map((id) => id.toLowerCase()));
    if (filter.projectId !== undefined) allowed.projectId = new Set([filter.projectId]);
    if (filter.projectCategories) allowed.projectCategory = new Set(filter.projectCategories);
    if (filter.districtCode !== undefined) allowed.districtCode = new Set([filter.districtCode]);
    if (filter.streetCode !== undefined) allowed.streetCode = new Set([filter.streetCode]);
    const passes = new Uint8Array(this.cellIds.size).fill(1);
    for (const key of CELL_KEYS) {
      const values = allowed[key];
      if (!values) continue;
      const keep = Uint8Array.from(this.dictionaries[key].values, (value) => (values.has(value) ? 1 : 0));
      const codes = this.cellCodes[key];
      for (let cell = 0; cell < codes.length; cell++) passes[cell] &= keep[codes[cell]];
    }
    return passes;
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
        const added: Cell = { charityId: row.charity_id, projectId: row.project_id, projectCategory: row.project_category, districtCode: row.district_code, streetCode: row.street_code };
        cell = this.cellIds.size;
        this.cellIds.set(cellKey, cell);
        for (const key of CELL_KEYS) {
          const dictionary = this.dictionaries[key];
          let code = dictionary.codes.get(added[key]);
          if (code === undefined) {
            code = dictionary.values.push(added[key]) - 1;
            dictionary.codes.set(added[key], code);
          }
          this.cellCodes[key].push(code);
        }
      }
      let person = this.people.get(row.pseudonym);
      if (person === undefined) {
        person = this.rows.push([]) - 1;
        this.people.set(row.pseudonym, person);
      }
      const list = this.rows[person];
      const day = dayNumber(row.day);
      this.firstDay = Math.min(this.firstDay, day);
      this.lastDay = Math.max(this.lastDay, day);
      const net = Number(row.reached);
      let index = 0;
      while (index < list.length && (list[index] !== day || list[index + 1] !== cell)) index += 3;
      if (index < list.length) list[index + 2] += net;
      else list.push(day, cell, net);
    }
  }
}
