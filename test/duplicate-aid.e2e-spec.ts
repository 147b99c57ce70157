import { randomBytes } from 'node:crypto';
import { enroll, newPerson, regulatorKey, type Person } from './support/beneficiary-fixtures.js';
import { codeOf, donationInput, RECORD_DONATION, registerCharity, startTestApp, type TestApp } from './support/test-app.js';

const OPEN_PROJECT = `mutation Open($input: OpenProjectInput!) { openProject(input: $input) { sequence } }`;
const GIFT_IN_KIND = `mutation Goods($input: RecordInKindDonationInput!) { recordInKindDonation(input: $input) { sequence } }`;
const PROCURE = `mutation Procure($input: RecordProcurementInput!) { recordProcurement(input: $input) { sequence } }`;
const SELECT = `mutation Select($input: SelectBeneficiariesInput!) { selectBeneficiaries(input: $input) { sequence } }`;
const DISBURSE = `mutation Disburse($input: RecordDisbursementInput!) { recordDisbursement(input: $input) { sequence } }`;
const REVERSE = `mutation Reverse($input: ReverseEntryInput!) { reverseEntry(input: $input) { sequence } }`;
const REPORT = `
  query Report($period: AidPeriodInput!, $category: ProjectCategory!) {
    duplicateAidReport(period: $period, category: $category) {
      from to category
      people { pseudonym charities { charityId charityName disbursements projectIds cash { amount currency } goodsValue { amount currency } goodsUnits firstDisbursedAt lastDisbursedAt } }
    }
  }`;

const PERIOD = { from: '2026-04-01', to: '2026-06-30' };
const sha = (character: string) => character.repeat(64);
let keyCounter = 0;
const idempotencyKey = () => `dup-${++keyCounter}-${randomBytes(3).toString('hex')}`;

interface Charity {
  id: string;
  apiKey: string;
}

describe('cross-charity duplicate aid', () => {
  let app: TestApp;
  let a: Charity;
  let b: Charity;
  let c: Charity;
  let regulator: string;
  const pseudonyms: Record<string, string> = {};

  // planted: aid in MEDICAL_AID projects from more than one charity in the period
  const twiceCash = newPerson('刘芳');
  const cashAndGoods = newPerson('陈志强');
  // near misses
  const sameCharityTwice = newPerson('黄秀英');
  const otherCategory = newPerson('吴建华');
  const outsidePeriod = newPerson('郑桂兰');
  const reversed = newPerson('何伟');

  beforeAll(async () => {
    app = await startTestApp();
    a = await registerCharity(app, '深圳市大病救助基金会');
    b = await registerCharity(app, '深圳市慈善会');
    c = await registerCharity(app, '深圳市红十字会');
    regulator = await regulatorKey(app);

    const as = async (charity: Charity, query: string, input: Record<string, unknown>) => {
      const response = await app.gql(query, { input: { charityId: charity.id, idempotencyKey: idempotencyKey(), ...input } }, charity.apiKey);
      if (response.errors) throw new Error(JSON.stringify(response.errors));
      return response.data!;
    };
    const open = (charity: Charity, projectId: string, category: string) =>
      as(charity, OPEN_PROJECT, {
        projectId,
        title: projectId,
        purpose: 'Relief for residents in need',
        category,
        region: { code: 'SZ-LUOHU' },
        startDate: '2026-01-01',
        endDate: '2026-12-31',
        budget: '1000000.00',
        currency: 'CNY',
        publicFundraising: true,
      });
    const select = async (charity: Charity, projectId: string, people: Person[]) => {
      const beneficiaries = [];
      for (const person of people) {
        const enrollment = await enroll(app, charity, person);
        pseudonyms[person.name] = enrollment.pseudonym;
        beneficiaries.push({ pseudonym: enrollment.pseudonym, commitment: enrollment.commitment, region: { code: 'SZ-LUOHU' } });
      }
      await as(charity, SELECT, { projectId, criteria: { text: 'Major illness', version: '2026-1' }, decisionBody: 'Committee', decidedOn: '2026-03-01', beneficiaries });
    };
    const disburse = async (charity: Charity, projectId: string, person: Person, disbursedAt: string, gift: { cash?: string; goods?: unknown[] }) => {
      const data = await as(charity, DISBURSE, {
        projectId,
        beneficiary: pseudonyms[person.name],
        ...(gift.cash ? { cash: gift.cash, currency: 'CNY' } : {}),
        ...(gift.goods ? { goods: gift.goods } : {}),
        method: gift.cash ? 'BANK_TRANSFER' : 'DELIVERY',
        disbursedAt,
        deliveryEvidenceSha256: sha('f'),
      });
      return data.recordDisbursement.sequence as number;
    };

    for (const charity of [a, b, c]) {
      const gift = await app.gql(RECORD_DONATION, { input: donationInput(charity.id, { amount: '100000.00' }) }, charity.apiKey);
      if (gift.errors) throw new Error(JSON.stringify(gift.errors));
    }
    await open(a, 'A-MED', 'MEDICAL_AID');
    await open(a, 'A-MED-2', 'MEDICAL_AID');
    await open(b, 'B-MED', 'MEDICAL_AID');
    await open(b, 'B-EDU', 'EDUCATION');
    await open(c, 'C-MED', 'MEDICAL_AID');

    await select(a, 'A-MED', [twiceCash, cashAndGoods, sameCharityTwice, otherCategory, outsidePeriod, reversed]);
    await select(a, 'A-MED-2', [twiceCash, sameCharityTwice]);
    await select(b, 'B-MED', [twiceCash, cashAndGoods, outsidePeriod, reversed]);
    await select(b, 'B-EDU', [otherCategory]);
    await select(c, 'C-MED', [twiceCash, cashAndGoods]);

    // goods: wheelchairs bought by B at 1,200.00; blankets and rice given to C in kind, 2,000.00 for 20 units
    await as(b, PROCURE, {
      projectId: 'B-MED',
      supplier: { name: '深圳康复器材有限公司', creditCode: '91350100M000100Y43' },
      lines: [{ description: 'Manual wheelchair', itemCode: 'WHEELCHAIR-STD', quantity: 5, unit: 'piece', unitPrice: '1200.00' }],
      total: '6000.00',
      currency: 'CNY',
      invoice: { sha256: sha('a') },
      purchasedAt: '2026-03-15T02:00:00.000Z',
    });
    await as(c, GIFT_IN_KIND, {
      donor: { name: '深圳某企业', publishName: true },
      items: [
        { itemCode: 'BLANKET', description: 'Blanket', quantity: 10, unit: 'piece' },
        { itemCode: 'RICE-10KG', description: 'Rice, 10 kg bag', quantity: 10, unit: 'bag' },
      ],
      valuationBasis: 'INVOICE',
      fairValue: '2000.00',
      currency: 'CNY',
      condition: 'NEW',
      receivedAt: '2026-03-20T02:00:00.000Z',
      handler: '李会计',
    });

    // planted duplicates; the first on the first instant of the period (00:00 China Standard Time)
    await disburse(a, 'A-MED', twiceCash, '2026-03-31T16:00:00.000Z', { cash: '600.00' });
    await disburse(a, 'A-MED-2', twiceCash, '2026-05-02T02:00:00.000Z', { cash: '400.00' });
    await disburse(b, 'B-MED', twiceCash, '2026-05-10T02:00:00.000Z', { cash: '300.00' });
    const mistaken = await disburse(b, 'B-MED', twiceCash, '2026-05-11T02:00:00.000Z', { cash: '999.00' });
    await as(b, REVERSE, { sequence: mistaken, reason: '更正：重复录入' });
    await disburse(c, 'C-MED', twiceCash, '2026-06-30T15:59:59.999Z', { cash: '200.00' });

    await disburse(a, 'A-MED', cashAndGoods, '2026-04-15T02:00:00.000Z', { cash: '500.00' });
    await disburse(b, 'B-MED', cashAndGoods, '2026-04-20T02:00:00.000Z', { goods: [{ itemCode: 'WHEELCHAIR-STD', quantity: 1 }] });
    await disburse(c, 'C-MED', cashAndGoods, '2026-04-25T02:00:00.000Z', { goods: [{ itemCode: 'BLANKET', quantity: 3 }] });

    // near misses
    await disburse(a, 'A-MED', sameCharityTwice, '2026-04-10T02:00:00.000Z', { cash: '100.00' });
    await disburse(a, 'A-MED-2', sameCharityTwice, '2026-04-11T02:00:00.000Z', { cash: '100.00' });
    await disburse(a, 'A-MED', otherCategory, '2026-04-10T02:00:00.000Z', { cash: '100.00' });
    await disburse(b, 'B-EDU', otherCategory, '2026-04-10T02:00:00.000Z', { cash: '100.00' });
    await disburse(a, 'A-MED', outsidePeriod, '2026-04-10T02:00:00.000Z', { cash: '100.00' });
    // the first instant after the period (1 July, 00:00 China Standard Time)
    await disburse(b, 'B-MED', outsidePeriod, '2026-06-30T16:00:00.000Z', { cash: '100.00' });
    await disburse(a, 'A-MED', reversed, '2026-04-10T02:00:00.000Z', { cash: '100.00' });
    const undone = await disburse(b, 'B-MED', reversed, '2026-04-12T02:00:00.000Z', { cash: '100.00' });
    await as(b, REVERSE, { sequence: undone, reason: '更正：未实际发放' });
  });

  afterAll(async () => {
    await app.close();
  });

  const report = (period: { from: string; to: string }, category: string, key?: string) => app.gql(REPORT, { period, category }, key);
  const asRegulator = (period: { from: string; to: string }, category: string) => report(period, category, regulator);

  it('finds exactly the planted duplicates, with what each charity gave (cash, goods at cost or fair value), reversals netted out', async () => {
    const response = await asRegulator(PERIOD, 'MEDICAL_AID');
    expect(response.errors).toBeUndefined();
    const result = response.data!.duplicateAidReport;
    expect(result).toMatchObject({ from: '2026-04-01', to: '2026-06-30', category: 'MEDICAL_AID' });
    const byPseudonym = new Map(result.people.map((person: { pseudonym: string; charities: unknown[] }) => [person.pseudonym, person.charities]));
    expect([...byPseudonym.keys()].sort()).toEqual([pseudonyms[twiceCash.name], pseudonyms[cashAndGoods.name]].sort());

    const money = (amount: string) => ({ amount, currency: 'CNY' });
    const byCharity = (charities: Array<{ charityId: string }>) => {
      // one row per charity, in charity id order
      expect(charities.map((charity) => charity.charityId)).toEqual(charities.map((charity) => charity.charityId).sort());
      return Object.fromEntries(charities.map((charity) => [charity.charityId, charity]));
    };
    expect(byCharity(byPseudonym.get(pseudonyms[twiceCash.name]) as Array<{ charityId: string }>)).toEqual({
      [a.id]: {
        charityId: a.id,
        charityName: '深圳市大病救助基金会',
        disbursements: 2,
        projectIds: ['A-MED', 'A-MED-2'],
        cash: money('1000.00'),
        goodsValue: money('0.00'),
        goodsUnits: 0,
        firstDisbursedAt: '2026-03-31T16:00:00.000Z',
        lastDisbursedAt: '2026-05-02T02:00:00.000Z',
      },
      // 300.00, not 1,299.00: the mistaken 999.00 was reversed
      [b.id]: expect.objectContaining({ charityName: '深圳市慈善会', disbursements: 1, projectIds: ['B-MED'], cash: money('300.00'), goodsUnits: 0 }),
      [c.id]: expect.objectContaining({ disbursements: 1, cash: money('200.00'), lastDisbursedAt: '2026-06-30T15:59:59.999Z' }),
    });
    expect(byCharity(byPseudonym.get(pseudonyms[cashAndGoods.name]) as Array<{ charityId: string }>)).toEqual({
      [a.id]: expect.objectContaining({ cash: money('500.00'), goodsValue: money('0.00'), goodsUnits: 0 }),
      [b.id]: expect.objectContaining({ cash: money('0.00'), goodsValue: money('1200.00'), goodsUnits: 1 }),
      // 3 of the 20 units of a 2,000.00 gift in kind
      [c.id]: expect.objectContaining({ cash: money('0.00'), goodsValue: money('300.00'), goodsUnits: 3 }),
    });
    // nothing about the people but their pseudonyms
    expect(JSON.stringify(result)).not.toContain(twiceCash.name);
  });

  it('leaves out near misses for the reason they miss: a longer period brings in the one outside it, another category only its own', async () => {
    const longer = (await asRegulator({ from: PERIOD.from, to: '2026-07-01' }, 'MEDICAL_AID')).data!.duplicateAidReport;
    expect(longer.people.map((person: { pseudonym: string }) => person.pseudonym).sort()).toEqual(
      [pseudonyms[twiceCash.name], pseudonyms[cashAndGoods.name], pseudonyms[outsidePeriod.name]].sort(),
    );
    const education = (await asRegulator(PERIOD, 'EDUCATION')).data!.duplicateAidReport;
    expect(education.people).toEqual([]);
    // a period that ends before any second charity gave finds nobody
    const early = (await asRegulator({ from: PERIOD.from, to: '2026-04-19' }, 'MEDICAL_AID')).data!.duplicateAidReport;
    expect(early.people).toEqual([]);
  });

  it('is for regulators only', async () => {
    expect(codeOf(await report(PERIOD, 'MEDICAL_AID'))).toBe('UNAUTHENTICATED');
    expect(codeOf(await report(PERIOD, 'MEDICAL_AID', a.apiKey))).toBe('FORBIDDEN');
    expect(codeOf(await report(PERIOD, 'MEDICAL_AID', app.adminKey))).toBe('FORBIDDEN');
  });

  it('refuses a period that ends before it starts, or a date that does not exist, naming the field', async () => {
    const backwards = await asRegulator({ from: '2026-06-30', to: '2026-04-01' }, 'MEDICAL_AID');
    expect(codeOf(backwards)).toBe('BAD_USER_INPUT');
    expect(backwards.errors![0].extensions!.field).toBe('period.to');
    const invalid = await asRegulator({ from: '2026-02-30', to: '2026-04-01' }, 'MEDICAL_AID');
    expect(invalid.errors![0].extensions!.field).toBe('period.from');
  });
});
