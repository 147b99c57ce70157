import type { DataSource } from 'typeorm';
import { KEY_SEPARATOR, ReachIndex, type ReachFilter, type ReachKey } from './reach-index.js';

const A = '0a000000-0000-4000-8000-000000000001';
const B = '0b000000-0000-4000-8000-000000000002';

interface Fact {
  day: string;
  charity: string;
  project?: string;
  category?: string;
  district?: string;
  street?: string;
  person: string;
  reached: number;
  position: number;
}

/**
 * The two reads the index makes, answered from lists: the day rollup with its mark
 * at load, the facts after a position at each catch-up. (The e2e tests run it on
 * PostgreSQL against the SQL count: test/seed-demo.e2e-spec.ts.)
 */
class FakeDatabase {
  facts: Fact[] = [];
  readonly catchUps: unknown[][] = [];

  private row(fact: Fact) {
    return {
      day: fact.day,
      charity_id: fact.charity,
      project_id: fact.project ?? '',
      project_category: fact.category ?? '',
      district_code: fact.district ?? '',
      street_code: fact.street ?? '',
      pseudonym: fact.person,
      reached: String(fact.reached),
      position: String(fact.position),
    };
  }

  source(): DataSource {
    const load = {
      query: async (sql: string) => {
        if (sql.includes('max(position)')) return [{ position: this.facts.length ? String(Math.max(...this.facts.map((fact) => fact.position))) : null }];
        // the rollup: nets per day, cell and person
        const nets = new Map<string, ReturnType<FakeDatabase['row']>>();
        for (const fact of this.facts) {
          const row = this.row(fact);
          const key = JSON.stringify({ ...row, reached: 0, position: 0 });
          const held = nets.get(key);
          if (held) held.reached = String(Number(held.reached) + fact.reached);
          else nets.set(key, row);
        }
        return [...nets.values()].filter((row) => row.reached !== '0');
      },
    };
    return {
      transaction: async (_level: string, work: (manager: typeof load) => Promise<unknown>) => work(load),
      query: async (_sql: string, params: unknown[]) => {
        this.catchUps.push(params);
        return this.facts.filter((fact) => fact.position > Number(params[0])).map((fact) => this.row(fact));
      },
    } as unknown as DataSource;
  }
}

const YEAR: ReachFilter = { from: '2024-01-01', to: '2025-01-01' };

/** The counts of each grouping as plain objects, key values joined with '|'. */
function counts(index: ReachIndex, filter: ReachFilter, groupings: ReachKey[][]): Array<Record<string, number>> {
  return index.count(filter, groupings).map((map) => Object.fromEntries([...map].map(([key, count]) => [key.split(KEY_SEPARATOR).join('|'), count])));
}

describe('ReachIndex', () => {
  let database: FakeDatabase;
  let index: ReachIndex;

  beforeEach(async () => {
    database = new FakeDatabase();
    let position = 0;
    const reach = (day: string, charity: string, person: string, where: Partial<Fact> = {}, reached = 1) =>
      database.facts.push({ day, charity, person, reached, position: ++position, project: 'P1', category: 'MEDICAL_AID', district: 'SZ-FUTIAN', street: 'SZ-FUTIAN-XIANGMIHU', ...where });
    // p1: twice in March at A, once at B in Nanshan
    reach('2024-03-02', A, 'p1');
    reach('2024-03-20', A, 'p1');
    reach('2024-05-05', B, 'p1', { project: 'Q1', category: 'ELDERLY_CARE', district: 'SZ-NANSHAN', street: 'SZ-NANSHAN-YUEHAI' });
    // p2: reached in March, reversed in April
    reach('2024-03-10', A, 'p2');
    reach('2024-04-01', A, 'p2', {}, -1);
    // p3: once in April, in another street
    reach('2024-04-11', A, 'p3', { street: 'SZ-FUTIAN-YUANLING' });
    index = new ReachIndex(database.source());
    await index.sync();
  });

  it('counts a person once per cell, in every grouping asked, and the total once', () => {
    expect(counts(index, YEAR, [['month'], ['charityId'], []])).toEqual([
      // March: p1 (twice) and p2 (reversed only in April); April: p3 (p2's −1 does not count); May: p1
      { '2024-03': 2, '2024-04': 1, '2024-05': 1 },
      // p2 nets to zero at A over the year
      { [A]: 2, [B]: 1 },
      { '': 2 },
    ]);
    expect(index.size()).toEqual({ people: 3, rows: 6 });
  });

  it('keeps the key order of the grouping, and none as an empty value', () => {
    expect(counts(index, YEAR, [['streetCode', 'month']])).toEqual([
      { 'SZ-FUTIAN-XIANGMIHU|2024-03': 2, 'SZ-FUTIAN-YUANLING|2024-04': 1, 'SZ-NANSHAN-YUEHAI|2024-05': 1 },
    ]);
    expect(counts(index, YEAR, [['quarter', 'year', 'projectCategory']])).toEqual([{ '2024-Q1|2024|MEDICAL_AID': 2, '2024-Q2|2024|MEDICAL_AID': 1, '2024-Q2|2024|ELDERLY_CARE': 1 }]);
  });

  it('filters by period (from inclusive, to exclusive), charity (any case), project, category and region', () => {
    expect(counts(index, { from: '2024-03-10', to: '2024-04-01' }, [[]])).toEqual([{ '': 2 }]);
    expect(counts(index, { from: '2024-03-11', to: '2024-04-02' }, [[]])).toEqual([{ '': 1 }]);
    expect(counts(index, { ...YEAR, charityIds: [B.toUpperCase()] }, [['charityId']])).toEqual([{ [B]: 1 }]);
    expect(counts(index, { ...YEAR, projectId: 'Q1' }, [[]])).toEqual([{ '': 1 }]);
    expect(counts(index, { ...YEAR, projectCategories: ['MEDICAL_AID'], districtCode: 'SZ-FUTIAN' }, [['month']])).toEqual([{ '2024-03': 2, '2024-04': 1 }]);
    expect(counts(index, { ...YEAR, streetCode: 'SZ-FUTIAN-YUANLING' }, [['streetCode']])).toEqual([{ 'SZ-FUTIAN-YUANLING': 1 }]);
    expect(counts(index, { ...YEAR, districtCode: 'SZ-LUOHU' }, [['month'], []])).toEqual([{}, {}]);
  });

  it('answers a period of centuries as the days it holds, and walks only those', () => {
    expect(counts(index, { from: '0001-01-01', to: '9999-12-31' }, [['year'], []])).toEqual(counts(index, YEAR, [['year'], []]));
    expect(counts(index, { from: '2030-01-01', to: '9999-12-31' }, [['year'], []])).toEqual([{}, {}]);
    const day = (date: string) => Date.parse(`${date}T00:00:00Z`) / 86_400_000;
    // from the first day held to the day after the last, not 3.6 million days
    expect(index.daysWalked({ from: '0001-01-01', to: '9999-12-31' })).toEqual({ from: day('2024-03-02'), to: day('2024-05-06') });
    expect(index.daysWalked({ from: '2024-04-01', to: '2024-04-02' })).toEqual({ from: day('2024-04-01'), to: day('2024-04-02') });
    const after = index.daysWalked({ from: '2030-01-01', to: '9999-12-31' });
    expect(after.to - after.from).toBe(0);
  });

  it('catches up with the facts after the last position it holds, and nothing else', async () => {
    expect(database.catchUps).toEqual([]);
    database.facts.push({ day: '2024-06-01', charity: A, person: 'p4', reached: 1, position: 7, project: 'P1', category: 'MEDICAL_AID', district: 'SZ-FUTIAN', street: 'SZ-FUTIAN-XIANGMIHU' });
    database.facts.push({ day: '2024-07-01', charity: A, person: 'p1', reached: -1, position: 8, project: 'Q1', category: 'ELDERLY_CARE', district: 'SZ-NANSHAN', street: 'SZ-NANSHAN-YUEHAI' });
    await index.sync();
    expect(database.catchUps).toEqual([[6]]);
    expect(counts(index, YEAR, [['month'], []])).toEqual([{ '2024-03': 2, '2024-04': 1, '2024-05': 1, '2024-06': 1 }, { '': 3 }]);
    await index.sync();
    expect(database.catchUps).toEqual([[6], [8]]);
  });

  it('shares one catch-up between callers that arrive while it has not started', async () => {
    await Promise.all([index.sync(), index.sync(), index.sync()]);
    expect(database.catchUps).toHaveLength(1);
  });

  it('answers empty counts when nobody was reached', async () => {
    const empty = new ReachIndex(new FakeDatabase().source());
    await empty.sync();
    expect(counts(empty, YEAR, [['month'], []])).toEqual([{}, {}]);
  });
});
