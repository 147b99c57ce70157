import { DomainError } from '../apps/api/src/common/domain-error.js';
import { chinaDate } from '../apps/api/src/common/input-values.js';
import { FiguresService, type FigureRow } from '../apps/api/src/figures/figures.service.js';
import { runMigrations } from '../apps/api/src/database/migrate.js';
import { fillLedgerFacts } from '../apps/api/src/figures/ledger-fact.fill.js';
import { charityActions, type CharityActions } from './support/charity-actions.js';
import { recordFirstQuarter } from './support/figure-fixtures.js';
import { registerCharity, startTestApp, type TestApp } from './support/test-app.js';

/** The day after today in Shenzhen: the end of a period that holds today's reversal. */
function tomorrow(): string {
  const today = chinaDate(new Date());
  return new Date(Date.parse(`${today}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);
}

const ZERO: Omit<FigureRow, 'beneficiariesReached'> = {
  receivedCash: 0n,
  receivedInKind: 0n,
  refunded: 0n,
  spentCharitableActivity: 0n,
  spentManagement: 0n,
  spentFundraising: 0n,
  spentTotal: 0n,
  goodsDisbursedQuantity: 0n,
  goodsDisbursedValue: 0n,
};
const figures = (values: Partial<FigureRow>): FigureRow => {
  const row = { ...ZERO, beneficiariesReached: 0, ...values };
  return { ...row, spentTotal: row.spentCharitableActivity + row.spentManagement + row.spentFundraising };
};

describe('period figures', () => {
  let app: TestApp;
  let service: FiguresService;
  let a: CharityActions;
  let b: CharityActions;
  let reversalMonth: string;
  const to = tomorrow();
  // the figures of the two fixture charities (other tests add charities of their own)
  const both = () => [a.charityId, b.charityId];

  beforeAll(async () => {
    app = await startTestApp();
    service = app.service.app.get(FiguresService);
    a = charityActions(app, await registerCharity(app, '深圳市阳光助残慈善基金会'));
    b = charityActions(app, await registerCharity(app, '深圳市南山长者关爱协会'));

    // Charity A: a project in Futian, gifts of money and goods, a purchase (not spending),
    // two deliveries, a management and a fundraising cost, a refund (recordFirstQuarter), a reversed delivery
    const { rice } = await recordFirstQuarter(a);
    await a.reverse(rice, '更正：米未送达');
    reversalMonth = chinaDate(new Date()).slice(0, 7);

    // Charity B: the same person (same pseudonym) reached in Nanshan
    await b.openProject('P-B', { category: 'ELDERLY_CARE', region: { code: 'SZ-NANSHAN' } });
    await b.donate('300.00', '2026-02-15T02:00:00.000Z');
    await b.select('P-B', [{ pseudonym: 'ps-aaaaaaaa', region: 'SZ-NANSHAN-YUEHAI' }], '2026-02-15');
    await b.disburse('P-B', 'ps-aaaaaaaa', '2026-02-16T02:00:00.000Z', { cash: '80.00' });
    await b.expense('CHARITABLE_ACTIVITY', '20.00', '2026-03-10T02:00:00.000Z', 'P-B');
  });

  afterAll(async () => {
    await app.close();
  });

  it('totals both charities over the year as computed by hand: a purchase is not spending, a reversed delivery nets out', async () => {
    expect(await service.figures({ from: '2026-01-01', to, charityIds: both() }, [])).toEqual([
      figures({
        receivedCash: 1_900_00n,
        receivedInKind: 500_00n,
        refunded: 100_00n,
        // A: 50.00 cash + a wheelchair at 200.00 (+ rice 150.00 − its reversal); B: 80.00 cash + 20.00
        spentCharitableActivity: 350_00n,
        spentManagement: 120_00n,
        spentFundraising: 30_00n,
        goodsDisbursedQuantity: 1n,
        goodsDisbursedValue: 200_00n,
        // ps-aaaaaaaa (reached by both charities) once; ps-bbbbbbbb's only delivery was reversed
        beneficiariesReached: 1,
      }),
    ]);
  });

  it('groups by month: facts fall on Shenzhen dates, the reversal on its own date', async () => {
    const rows = await service.figures({ from: '2026-01-01', to, charityIds: both() }, ['MONTH']);
    expect(rows).toEqual([
      figures({
        month: '2026-02',
        receivedCash: 1_900_00n,
        receivedInKind: 500_00n,
        spentCharitableActivity: 330_00n,
        spentManagement: 120_00n,
        goodsDisbursedQuantity: 1n,
        goodsDisbursedValue: 200_00n,
        beneficiariesReached: 1,
      }),
      // 3 of the 10 bags of a 500.00 gift: 150.00
      figures({ month: '2026-03', refunded: 100_00n, spentCharitableActivity: 170_00n, spentFundraising: 30_00n, goodsDisbursedQuantity: 3n, goodsDisbursedValue: 150_00n, beneficiariesReached: 1 }),
      figures({ month: reversalMonth, spentCharitableActivity: -150_00n, goodsDisbursedQuantity: -3n, goodsDisbursedValue: -150_00n, beneficiariesReached: 0 }),
    ]);
    const quarters = await service.figures({ from: '2026-01-01', to: '2026-04-01', charityIds: both() }, ['QUARTER', 'YEAR']);
    expect(quarters).toEqual([expect.objectContaining({ quarter: '2026-Q1', year: '2026', receivedCash: 1_900_00n, beneficiariesReached: 2 })]);
  });

  it('groups by charity and by project (with its charity); gifts restricted to a project count for it', async () => {
    expect(await service.figures({ from: '2026-01-01', to, charityIds: both() }, ['CHARITY'])).toEqual(
      [
        figures({
          charityId: a.charityId,
          receivedCash: 1_600_00n,
          receivedInKind: 500_00n,
          refunded: 100_00n,
          spentCharitableActivity: 250_00n,
          spentManagement: 120_00n,
          spentFundraising: 30_00n,
          goodsDisbursedQuantity: 1n,
          goodsDisbursedValue: 200_00n,
          beneficiariesReached: 1,
        }),
        figures({ charityId: b.charityId, receivedCash: 300_00n, spentCharitableActivity: 100_00n, beneficiariesReached: 1 }),
      ].sort((x, y) => x.charityId!.localeCompare(y.charityId!)),
    );
    const projects = await service.figures({ from: '2026-01-01', to, charityIds: [a.charityId] }, ['PROJECT']);
    expect(projects).toEqual([
      figures({
        charityId: a.charityId,
        projectId: 'P-A',
        receivedCash: 600_00n,
        refunded: 100_00n,
        spentCharitableActivity: 250_00n,
        spentFundraising: 30_00n,
        goodsDisbursedQuantity: 1n,
        goodsDisbursedValue: 200_00n,
        beneficiariesReached: 1,
      }),
      figures({ charityId: a.charityId, projectId: null, receivedCash: 1_000_00n, receivedInKind: 500_00n, spentManagement: 120_00n }),
    ]);
  });

  it('groups and filters by region (the delivery’s own region, else its project’s) and by category', async () => {
    const districts = await service.figures({ from: '2026-01-01', to, charityIds: both() }, ['DISTRICT']);
    expect(districts.map((row) => [row.districtCode, row.receivedCash, row.spentCharitableActivity, row.beneficiariesReached])).toEqual([
      ['SZ-FUTIAN', 600_00n, 250_00n, 1],
      ['SZ-NANSHAN', 0n, 100_00n, 1],
      [null, 1_300_00n, 0n, 0],
    ]);
    const streets = await service.figures({ from: '2026-02-01', to: '2026-03-01', charityIds: both(), districtCode: 'SZ-FUTIAN' }, ['STREET']);
    expect(streets.map((row) => [row.streetCode, row.receivedCash, row.spentCharitableActivity, row.beneficiariesReached])).toEqual([
      ['SZ-FUTIAN-XIANGMIHU', 0n, 250_00n, 1],
      ['SZ-FUTIAN-YUANLING', 600_00n, 0n, 0],
    ]);
    const elderly = await service.figures({ from: '2026-01-01', to, charityIds: both(), projectCategories: ['ELDERLY_CARE'] }, ['PROJECT_CATEGORY']);
    expect(elderly).toEqual([figures({ projectCategory: 'ELDERLY_CARE', spentCharitableActivity: 100_00n, beneficiariesReached: 1 })]);
    const street = await service.figures({ from: '2026-01-01', to, charityIds: both(), streetCode: 'SZ-NANSHAN-YUEHAI', projectId: 'P-B' }, []);
    expect(street).toEqual([figures({ spentCharitableActivity: 80_00n, beneficiariesReached: 1 })]);
  });

  it('answers one row of zeros for an empty period, and refuses a period that ends before it starts', async () => {
    expect(await service.figures({ from: '2025-01-01', to: '2025-02-01' }, [])).toEqual([figures({})]);
    await expect(service.figures({ from: '2026-03-01', to: '2026-03-01' }, [])).rejects.toThrow(DomainError);
    await expect(service.figures({ from: '2026-02-30', to: '2026-03-01' }, [])).rejects.toThrow(/filter.from/);
    await expect(service.figures({ from: '2026-01-01', to, charityIds: ['nope'] }, [])).rejects.toThrow(/charityIds\[0\]/);
  });

  it('keeps facts right through a reversed project opening and a project opened again under the same id', async () => {
    const c = charityActions(app, await registerCharity(app, '深圳市宝安助学基金会'));
    const opening = await c.openProject('P-X', { category: 'EDUCATION', region: { code: 'SZ-BAOAN' } });
    await c.reverse(opening, '更正：项目类别有误');
    await c.openProject('P-X', { category: 'CHILD_WELFARE', region: { code: 'SZ-BAOAN' } });
    await c.donate('10.00', '2026-04-01T02:00:00.000Z', { kind: 'PROJECT', projectId: 'P-X' });
    expect(await service.figures({ from: '2026-01-01', to, charityIds: [c.charityId] }, ['PROJECT_CATEGORY', 'DISTRICT'])).toEqual([
      figures({ projectCategory: 'CHILD_WELFARE', districtCode: 'SZ-BAOAN', receivedCash: 10_00n }),
    ]);
  });

  it('the projector wrote exactly the facts that a replay of the chains gives, and the service may not change them', async () => {
    const columns = `charity_id, sequence, fact_index, position, entry_type, occurred_on::text, project_id, project_category, district_code, street_code,
                     measure, cost_class, item_code, amount, quantity, pseudonym, reversed_sequence`;
    const written = await app.db.query(`SELECT ${columns} FROM ledger_fact ORDER BY charity_id, sequence, fact_index`);
    expect(written.length).toBeGreaterThan(15);
    await app.db.query('DELETE FROM ledger_fact');
    expect(await fillLedgerFacts((sql, params) => app.db.query(sql, params))).toBe(written.length);
    expect(await app.db.query(`SELECT ${columns} FROM ledger_fact ORDER BY charity_id, sequence, fact_index`)).toEqual(written);

    // a database from before ledger_fact: the migration measures the existing chains
    await app.db.query('DROP TABLE ledger_fact');
    await app.db.query(`DELETE FROM migrations WHERE name = 'LedgerFacts1764316800300'`);
    expect(await runMigrations(app.db.ownerUrl)).toEqual(['LedgerFacts1764316800300']);
    expect(await app.db.query(`SELECT ${columns} FROM ledger_fact ORDER BY charity_id, sequence, fact_index`)).toEqual(written);

    await expect(app.db.queryAsApp('DELETE FROM ledger_fact')).rejects.toThrow(/permission denied/);
    await expect(app.db.queryAsApp('UPDATE ledger_fact SET amount = 0')).rejects.toThrow(/permission denied/);
  });
});
