import { rm } from 'node:fs/promises';
import { charityActions } from './support/charity-actions.js';
import { registerCharity } from './support/test-app.js';
import { startTransparencyApp, type TransparencyApp } from './support/transparency-app.js';

const PEOPLE = `query People($filter: DisclosureFilter!) { disclosures(filter: $filter, groupBy: [MONTH]) { cells { month figures { beneficiariesReached } } total { figures { beneficiariesReached } } } }`;

interface Answer {
  disclosures: { cells: Array<{ month: string; figures: { beneficiariesReached: number } }>; total: { figures: { beneficiariesReached: number } } };
}

/**
 * Each instance counts people in its own memory (docs/figures.md, "Counting
 * people"): an answer must include every entry committed before it was asked,
 * whichever instance appended it, with no delay and no restart.
 */
describe('people counted in memory, two instances on one database', () => {
  let first: TransparencyApp;
  let second: TransparencyApp;
  let regulatorKey: string;

  const people = async (app: TransparencyApp) => {
    const response = await app.gql<Answer>(PEOPLE, { filter: { from: '2026-01-01', to: '2027-01-01' } }, regulatorKey);
    expect(response.errors).toBeUndefined();
    const answer = response.data!.disclosures;
    return { total: answer.total.figures!.beneficiariesReached, months: Object.fromEntries(answer.cells.map((cell) => [cell.month, cell.figures.beneficiariesReached])) };
  };

  beforeAll(async () => {
    first = await startTransparencyApp();
    second = await startTransparencyApp({ db: first.db, adminKey: first.adminKey });
    const issued = await first.gql<{ issueApiKey: { apiKey: string } }>(
      `mutation { issueApiKey(input: { role: REGULATOR, label: "Civil affairs bureau" }) { apiKey } }`,
      {},
      first.adminKey,
    );
    regulatorKey = issued.data!.issueApiKey.apiKey;
  });

  afterAll(async () => {
    await second?.stop();
    await first?.close();
    if (second) await rm(second.dataDir, { recursive: true, force: true });
  });

  it('answers on one instance what was appended through the other, at once, and nets a reversal made there', async () => {
    const registered = await registerCharity(first, '深圳市福田助残基金会');
    // the first instance's index is loaded, and empty
    expect(await people(first)).toEqual({ total: 0, months: {} });

    // written through the second instance
    const charity = charityActions(second, registered);
    await charity.openProject('P-REACH');
    await charity.donate('1000.00', '2026-02-01T02:00:00.000Z');
    await charity.select('P-REACH', [{ pseudonym: 'ps-reach-0001', region: 'SZ-FUTIAN-XIANGMIHU' }, { pseudonym: 'ps-reach-0002', region: 'SZ-FUTIAN-YUANLING' }], '2026-02-02');
    await charity.disburse('P-REACH', 'ps-reach-0001', '2026-02-03T02:00:00.000Z', { cash: '100.00' });
    const secondGrant = await charity.disburse('P-REACH', 'ps-reach-0002', '2026-03-03T02:00:00.000Z', { cash: '100.00' });
    await charity.disburse('P-REACH', 'ps-reach-0001', '2026-03-04T02:00:00.000Z', { cash: '100.00' });
    expect(await people(first)).toEqual({ total: 2, months: { '2026-02': 1, '2026-03': 2 } });

    // the reversal is dated today: March keeps its count, the year loses the person
    await charity.reverse(secondGrant, '更正：重复发放');
    const answer = await people(first);
    expect(answer.total).toBe(1);
    expect(answer.months['2026-03']).toBe(2);
    // the second instance, which appended all of it, agrees
    expect(await people(second)).toEqual(answer);
  });
});
