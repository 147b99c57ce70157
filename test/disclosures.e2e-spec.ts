import { DisclosureDimension } from '../apps/api/src/disclosures/dto/disclosure-filter.input.js';
import { exposedEquations, type TableCell } from '../apps/api/src/disclosures/suppression.js';
import { charityActions, type CharityActions } from './support/charity-actions.js';
import { codeOf, registerCharity, startTestApp, type GraphQLResponse, type TestApp } from './support/test-app.js';

const DISCLOSURES = `
  query Disclose($filter: DisclosureFilter!, $groupBy: [DisclosureDimension!]) {
    disclosures(filter: $filter, groupBy: $groupBy) {
      from to groupBy exact threshold hiddenCells
      cells { ...cell }
      margins { ...cell }
      total { ...cell }
    }
  }
  fragment cell on DisclosureCell {
    groupedBy month quarter year charityId charityName projectCategory districtCode districtName streetCode streetName
    suppressed suppressionReason
    figures {
      received { cash { amount currency } inKind { amount } refunded { amount } }
      spent { charitableActivity { amount } management { amount } fundraising { amount } total { amount } }
      goodsDisbursed { units value { amount } }
      beneficiariesReached
    }
  }`;

interface Cell {
  groupedBy: string[];
  month: string | null;
  districtCode: string | null;
  districtName: string | null;
  suppressed: boolean;
  suppressionReason: string | null;
  figures: {
    received: { cash: { amount: string; currency: string } };
    spent: { charitableActivity: { amount: string }; total: { amount: string } };
    beneficiariesReached: number;
  } | null;
}
interface Answer {
  disclosures: { from: string; to: string; exact: boolean; hiddenCells: number; cells: Cell[]; margins: Cell[]; total: Cell };
}

const fen = (amount: string) => Math.round(Number(amount) * 100);
const MARCH = { year: 2026, month: 3 };

/**
 * One charity in March 2026: an unrestricted gift of ¥20,000 (no region), and cash to
 * 9 people in Futian (¥100 each), 10 in Luohu (¥50 each) and 10 in Nanshan (¥100 each).
 * By district the public must not see Futian's 9; the smallest other cell with
 * people — Luohu (10, less money than Nanshan) — is hidden with it; Nanshan's 10 shows.
 */
describe('disclosures', () => {
  let app: TestApp;
  let charity: CharityActions;
  let other: CharityActions;
  let regulatorKey: string;
  const pseudonyms: string[] = [];

  const disclose = (filter: Record<string, unknown>, groupBy: string[], key?: string) =>
    app.gql<Answer>(DISCLOSURES, { filter, groupBy }, key) as Promise<GraphQLResponse<Answer>>;
  const byDistrict = (cells: Cell[]) => new Map(cells.map((cell) => [cell.districtCode, cell]));

  beforeAll(async () => {
    app = await startTestApp();
    charity = charityActions(app, await registerCharity(app, '深圳市阳光助残慈善基金会'));
    other = charityActions(app, await registerCharity(app, '深圳市南山长者关爱协会'));
    const issued = await app.gql<{ issueApiKey: { apiKey: string } }>(
      `mutation { issueApiKey(input: { role: REGULATOR, label: "Civil affairs bureau" }) { apiKey } }`,
      {},
      app.adminKey,
    );
    regulatorKey = issued.data!.issueApiKey.apiKey;

    await charity.openProject('P-DSC');
    await charity.donate('20000.00', '2026-03-01T02:00:00.000Z');
    const groups: Array<{ streets: string[]; count: number; cash: string }> = [
      { streets: ['SZ-FUTIAN-YUANLING', 'SZ-FUTIAN-XIANGMIHU'], count: 9, cash: '100.00' },
      { streets: ['SZ-LUOHU-GUIYUAN', 'SZ-LUOHU-DONGMEN'], count: 10, cash: '50.00' },
      { streets: ['SZ-NANSHAN-YUEHAI', 'SZ-NANSHAN-SHEKOU'], count: 10, cash: '100.00' },
    ];
    const selected: Array<{ pseudonym: string; region: string; cash: string }> = [];
    for (const group of groups) {
      for (let index = 0; index < group.count; index++) {
        const pseudonym = `ps-dscl-${String(selected.length + 1).padStart(4, '0')}`;
        pseudonyms.push(pseudonym);
        selected.push({ pseudonym, region: group.streets[index % group.streets.length], cash: group.cash });
      }
    }
    await charity.select('P-DSC', selected.map(({ pseudonym, region }) => ({ pseudonym, region })), '2026-03-02');
    for (const [index, person] of selected.entries()) {
      await charity.disburse('P-DSC', person.pseudonym, `2026-03-${String(3 + (index % 20)).padStart(2, '0')}T02:00:00.000Z`, { cash: person.cash });
    }
    // another charity's gift in April: outside March, and inside the year
    await other.donate('300.00', '2026-04-10T02:00:00.000Z');
  });

  afterAll(async () => {
    await app.close();
  });

  it('shows a regulator every cell exactly, as computed by hand', async () => {
    const response = await disclose(MARCH, ['DISTRICT'], regulatorKey);
    expect(response.errors).toBeUndefined();
    const answer = response.data!.disclosures;
    expect(answer).toMatchObject({ from: '2026-03-01', to: '2026-04-01', exact: true, hiddenCells: 0 });
    expect(answer.cells.map((cell) => [cell.districtCode, cell.districtName, cell.suppressed, cell.figures!.received.cash.amount, cell.figures!.spent.charitableActivity.amount, cell.figures!.beneficiariesReached])).toEqual([
      ['SZ-FUTIAN', '福田区', false, '0.00', '900.00', 9],
      ['SZ-LUOHU', '罗湖区', false, '0.00', '500.00', 10],
      ['SZ-NANSHAN', '南山区', false, '0.00', '1000.00', 10],
      [null, null, false, '20000.00', '0.00', 0],
    ]);
    expect(answer.total.figures).toMatchObject({
      received: { cash: { amount: '20000.00', currency: 'CNY' } },
      spent: { charitableActivity: { amount: '2400.00' }, total: { amount: '2400.00' } },
      beneficiariesReached: 29,
    });
  });

  it('hides the 9-person cell from the public with a complement, so that neither follows from the total and the visible cells', async () => {
    const [publicAnswer, exactAnswer] = await Promise.all([disclose(MARCH, ['DISTRICT']), disclose(MARCH, ['DISTRICT'], regulatorKey)]);
    const shown = publicAnswer.data!.disclosures;
    const exact = byDistrict(exactAnswer.data!.disclosures.cells);
    const cells = byDistrict(shown.cells);
    expect(shown.exact).toBe(false);
    expect(cells.get('SZ-FUTIAN')).toMatchObject({ suppressed: true, suppressionReason: 'SMALL_CELL', figures: null, districtName: '福田区' });
    expect(cells.get('SZ-LUOHU')).toMatchObject({ suppressed: true, suppressionReason: 'COMPLEMENTARY', figures: null });
    // a cell of 10 people is shown
    expect(cells.get('SZ-NANSHAN')).toMatchObject({ suppressed: false, figures: { beneficiariesReached: 10, spent: { charitableActivity: { amount: '1000.00' } } } });
    expect(cells.get(null)!.suppressed).toBe(false);
    expect(shown.total).toMatchObject({ suppressed: false, figures: { beneficiariesReached: 29 } });
    expect(shown.hiddenCells).toBe(2);

    // what a donor can work out: the total minus the visible cells is Futian + Luohu, not Futian
    const visible = shown.cells.filter((cell) => !cell.suppressed);
    const spentLeft = fen(shown.total.figures!.spent.charitableActivity.amount) - visible.reduce((sum, cell) => sum + fen(cell.figures!.spent.charitableActivity.amount), 0);
    const peopleLeft = shown.total.figures!.beneficiariesReached - visible.reduce((sum, cell) => sum + cell.figures!.beneficiariesReached, 0);
    const futian = exact.get('SZ-FUTIAN')!.figures!;
    expect(spentLeft).toBe(fen(futian.spent.charitableActivity.amount) + fen(exact.get('SZ-LUOHU')!.figures!.spent.charitableActivity.amount));
    expect(spentLeft).not.toBe(fen(futian.spent.charitableActivity.amount));
    expect(peopleLeft).not.toBe(futian.beneficiariesReached);
  });

  it('protects every line of a month × district table and its margins', async () => {
    const filter = { year: 2026 };
    const [shown, exact] = await Promise.all([disclose(filter, ['MONTH', 'DISTRICT']), disclose(filter, ['MONTH', 'DISTRICT'], regulatorKey)]);
    const publicCells = [...shown.data!.disclosures.cells, ...shown.data!.disclosures.margins, shown.data!.disclosures.total];
    const exactCells = [...exact.data!.disclosures.cells, ...exact.data!.disclosures.margins, exact.data!.disclosures.total];
    expect(publicCells.map((cell) => [cell.groupedBy, cell.month, cell.districtCode])).toEqual(exactCells.map((cell) => [cell.groupedBy, cell.month, cell.districtCode]));
    // the regulator's figures with the public answer's verdicts: no equation has exactly one hidden holder
    const table: Array<TableCell<DisclosureDimension>> = exactCells.map((cell) => ({
      key: Object.fromEntries(cell.groupedBy.map((dimension) => [dimension, dimension === 'MONTH' ? cell.month : cell.districtCode])),
      beneficiaries: cell.figures!.beneficiariesReached,
      values: [BigInt(fen(cell.figures!.received.cash.amount)), BigInt(fen(cell.figures!.spent.total.amount))],
    }));
    const verdicts = publicCells.map((cell) => (cell.suppressed ? cell.suppressionReason : null)) as Parameters<typeof exposedEquations>[2];
    expect(exposedEquations(['MONTH', 'DISTRICT'] as DisclosureDimension[], table, verdicts)).toEqual([]);
    expect(publicCells.find((cell) => cell.month === '2026-03' && cell.districtCode === 'SZ-FUTIAN')).toMatchObject({ suppressed: true, suppressionReason: 'SMALL_CELL' });
    // Futian was reached only in March: its district total equals that cell, and is hidden too
    expect(publicCells.find((cell) => cell.groupedBy.join() === 'DISTRICT' && cell.districtCode === 'SZ-FUTIAN')).toMatchObject({ suppressed: true });
    // April holds only the other charity's gift: shown
    expect(publicCells.find((cell) => cell.groupedBy.join() === 'MONTH' && cell.month === '2026-04')).toMatchObject({ suppressed: false, figures: { received: { cash: { amount: '300.00' } } } });
  });

  it('gives a charity exact figures about itself alone, and public ones otherwise', async () => {
    const own = await disclose({ ...MARCH, charityIds: [charity.charityId] }, ['DISTRICT'], charity.apiKey);
    expect(own.data!.disclosures).toMatchObject({ exact: true, hiddenCells: 0 });
    const all = await disclose(MARCH, ['DISTRICT'], charity.apiKey);
    expect(all.data!.disclosures).toMatchObject({ exact: false, hiddenCells: 2 });
    const others = await disclose({ ...MARCH, charityIds: [other.charityId] }, ['DISTRICT'], charity.apiKey);
    expect(others.data!.disclosures.exact).toBe(false);
  });

  it('serves the same answers as CSV with a header row and an HXL row, with the same suppression', async () => {
    const csv = await app.http().get('/disclosures.csv?year=2026&month=3&groupBy=DISTRICT');
    expect(csv.status).toBe(200);
    expect(csv.headers['content-type']).toMatch(/^text\/csv/);
    const lines = csv.text.trimEnd().split('\n').map((line) => line.split(','));
    const [header, hxl, ...rows] = lines;
    expect(header).toEqual([
      'district_code', 'district_name', 'period_start', 'period_end', 'currency', 'received_cash', 'received_in_kind', 'refunded',
      'spent_charitable_activity', 'spent_management', 'spent_fundraising', 'spent_total', 'goods_disbursed_units', 'goods_disbursed_value',
      'beneficiaries_reached', 'suppressed', 'suppression_reason',
    ]);
    expect(hxl).toEqual([
      '#adm2+code', '#adm2+name', '#date+start', '#date+end', '#currency', '#value+received+cash', '#value+received+inkind', '#value+refunded',
      '#value+spent+charitable', '#value+spent+management', '#value+spent+fundraising', '#value+spent+total', '#item+num+disbursed', '#value+goods+disbursed',
      '#reached+ind', '#meta+suppressed', '#meta+suppressed+reason',
    ]);
    const column = (row: string[], name: string) => row[header.indexOf(name)];
    const csvRows = new Map(rows.map((row) => [column(row, 'district_code'), row]));
    expect(rows).toHaveLength(4);
    const futian = csvRows.get('SZ-FUTIAN')!;
    expect([column(futian, 'suppressed'), column(futian, 'suppression_reason'), column(futian, 'spent_charitable_activity'), column(futian, 'beneficiaries_reached')]).toEqual(['1', 'SMALL_CELL', '', '']);
    expect(column(csvRows.get('SZ-LUOHU')!, 'suppressed')).toBe('1');
    const nanshan = csvRows.get('SZ-NANSHAN')!;
    expect([column(nanshan, 'period_start'), column(nanshan, 'period_end'), column(nanshan, 'spent_charitable_activity'), column(nanshan, 'beneficiaries_reached'), column(nanshan, 'suppressed')]).toEqual([
      '2026-03-01', '2026-03-31', '1000.00', '10', '0',
    ]);
    expect(column(csvRows.get('')!, 'received_cash')).toBe('20000.00');

    const exact = await app.http().get('/disclosures.csv?year=2026&month=3&groupBy=DISTRICT').set('authorization', `Bearer ${regulatorKey}`);
    expect(exact.status).toBe(200);
    const exactRows = exact.text.trimEnd().split('\n').slice(2).map((line) => line.split(','));
    expect(exactRows.map((row) => [column(row, 'district_code'), column(row, 'beneficiaries_reached'), column(row, 'suppressed')])).toEqual([
      ['SZ-FUTIAN', '9', '0'],
      ['SZ-LUOHU', '10', '0'],
      ['SZ-NANSHAN', '10', '0'],
      ['', '0', '0'],
    ]);

    // without groupBy: the grand total alone
    const total = await app.http().get(`/disclosures.csv?from=2026-03-01&to=2026-04-01&charityIds=${charity.charityId}`);
    expect(total.text.trimEnd().split('\n')).toHaveLength(3);
  });

  it('never shows a pseudonym in a public answer, over GraphQL or CSV', async () => {
    const texts = [
      JSON.stringify(await disclose({ year: 2026 }, ['MONTH', 'DISTRICT'])),
      JSON.stringify(await disclose({ year: 2026 }, ['STREET', 'CHARITY', 'PROJECT_CATEGORY'])),
      (await app.http().get('/disclosures.csv?year=2026&groupBy=STREET,MONTH')).text,
      (await app.http().get('/disclosures.csv?year=2026&groupBy=CHARITY&groupBy=PROJECT_CATEGORY')).text,
    ];
    for (const text of texts) {
      expect(text).not.toMatch(/ps-dscl/);
      for (const pseudonym of pseudonyms) expect(text).not.toContain(pseudonym);
    }
  });

  it('refuses bad input with a code and the field, over GraphQL and CSV', async () => {
    const refused = async (filter: Record<string, unknown>, groupBy: string[] = []) => {
      const response = await disclose(filter, groupBy);
      return [codeOf(response), response.errors?.[0]?.extensions?.field];
    };
    expect(await refused({ from: '2026-03-01', to: '2026-03-01' })).toEqual(['BAD_USER_INPUT', 'filter.to']);
    expect(await refused({ from: '2020-01-01', to: '2026-01-02' })).toEqual(['BAD_USER_INPUT', 'filter.to']);
    expect(await refused({ from: '2026-02-30', to: '2026-03-01' })).toEqual(['BAD_USER_INPUT', 'filter.from']);
    expect(await refused({})).toEqual(['BAD_USER_INPUT', 'filter.from']);
    expect(await refused({ month: 3 })).toEqual(['BAD_USER_INPUT', 'filter.month']);
    expect(await refused({ year: 2026, from: '2026-01-01', to: '2026-02-01' })).toEqual(['BAD_USER_INPUT', 'filter.year']);
    expect(await refused({ year: 2026, quarter: 5 })).toEqual(['BAD_USER_INPUT', 'filter.quarter']);
    expect(await refused({ year: 2026, districtCode: 'SZ-ATLANTIS' })).toEqual(['BAD_USER_INPUT', 'filter.districtCode']);
    expect(await refused({ year: 2026, districtCode: 'SZ-FUTIAN', streetCode: 'SZ-NANSHAN-YUEHAI' })).toEqual(['BAD_USER_INPUT', 'filter.streetCode']);
    expect(await refused({ year: 2026, charityIds: ['not-a-charity'] })).toEqual(['BAD_USER_INPUT', 'filter.charityIds[0]']);
    expect(await refused({ year: 2026, charityIds: ['00000000-0000-4000-8000-000000000000'] })).toEqual(['NOT_FOUND', 'filter.charityIds[0]']);
    expect(await refused({ year: 2026 }, ['MONTH', 'MONTH'])).toEqual(['BAD_USER_INPUT', 'groupBy[1]']);
    expect(await refused({ year: 2026 }, ['MONTH', 'QUARTER', 'YEAR', 'CHARITY', 'STREET'])).toEqual(['BAD_USER_INPUT', 'groupBy']);
    // an unknown dimension is refused by GraphQL itself (an enum)
    expect(codeOf(await disclose({ year: 2026 }, ['COLOUR']))).toBe('BAD_USER_INPUT');

    const csv = async (query: string) => {
      const response = await app.http().get(`/disclosures.csv?${query}`);
      return [response.status, response.body.error?.code, response.body.error?.field];
    };
    expect(await csv('year=2026&groupBy=COLOUR')).toEqual([400, 'BAD_USER_INPUT', 'groupBy[0]']);
    expect(await csv('from=2026-03-01&to=2026-02-01')).toEqual([400, 'BAD_USER_INPUT', 'to']);
    expect(await csv('year=20x6')).toEqual([400, 'BAD_USER_INPUT', 'year']);
    expect(await csv('year=2026&colour=red')).toEqual([400, 'BAD_USER_INPUT', 'colour']);
    expect(await csv('year=2026&charityIds=00000000-0000-4000-8000-000000000000')).toEqual([404, 'NOT_FOUND', 'charityIds[0]']);
    const badKey = await app.http().get('/disclosures.csv?year=2026').set('authorization', 'Bearer clk_nope');
    expect(badKey.status).toBe(401);
  });

  it('keeps the rollups equal to the facts they sum', async () => {
    const money = `sum(amount) FILTER (WHERE measure = 'RECEIVED_CASH')::text AS cash, sum(amount) FILTER (WHERE measure = 'SPENT')::text AS spent`;
    const [facts] = await app.db.query(`SELECT ${money}, count(DISTINCT pseudonym)::int AS people FROM ledger_fact`);
    const [rollup] = await app.db.query(
      `SELECT sum(received_cash)::text AS cash, (sum(spent_charitable_activity) + sum(spent_management) + sum(spent_fundraising))::text AS spent,
              (SELECT count(DISTINCT pseudonym)::int FROM ledger_reach_day WHERE reached > 0) AS people
         FROM ledger_fact_day`,
    );
    expect(rollup).toEqual(facts);
    await expect(app.db.queryAsApp('UPDATE ledger_fact_day SET received_cash = 0')).rejects.toThrow(/permission denied/);
    await expect(app.db.queryAsApp('DELETE FROM ledger_reach_day')).rejects.toThrow(/permission denied/);
  });
});
