import fc from 'fast-check';
import { Books, splitByUnits, goodsValue, type BookEntry } from '../books/books.js';
import { randomLedger } from '../books/books.testing.js';
import { batchFacts, chinaDateOf, entryFacts, ledgerFacts, openingsReversedBy, projectsOf, type LedgerFact } from './ledger-facts.js';

const CNY = (minorUnits: number) => ({ currency: 'CNY', minorUnits });
const YUANLING = { code: 'SZ-FUTIAN-YUANLING', district: 'SZ-FUTIAN', street: 'SZ-FUTIAN-YUANLING' };
const XIANGMIHU = { code: 'SZ-FUTIAN-XIANGMIHU', district: 'SZ-FUTIAN', street: 'SZ-FUTIAN-XIANGMIHU' };

function chain() {
  const entries: BookEntry[] = [];
  const add = (type: string, payload: Record<string, unknown>, occurredAt: string) => {
    entries.push({ sequence: entries.length + 1, type, occurredAt, payload });
    return entries.length;
  };
  return { entries, add };
}

/** Facts as a compact row: [sequence, measure, projectId, street, costClass, itemCode, amount, quantity, pseudonym, date]. */
const row = (fact: LedgerFact) => [
  fact.sequence,
  fact.measure,
  fact.projectId,
  fact.streetCode,
  fact.costClass,
  fact.itemCode,
  fact.amount,
  fact.quantity,
  fact.pseudonym,
  fact.occurredOn,
];

describe('ledger facts', () => {
  describe('given a project with gifts of money and goods, a purchase, deliveries, an expense, a refund and a reversal', () => {
    function given() {
      const { entries, add } = chain();
      add(
        'PROJECT_OPENED',
        {
          projectId: 'P',
          title: 't',
          purpose: 'p',
          category: 'DISABILITY_SUPPORT',
          region: YUANLING,
          startDate: '2026-01-01',
          endDate: '2026-12-31',
          budget: CNY(50_000_00),
          publicFundraising: true,
        },
        '2026-01-01T00:00:00.000Z',
      );
      // 2026-01-31T16:30Z is 2026-02-01 00:30 in Shenzhen
      add('CASH_DONATION', { amount: CNY(600_00), restriction: { kind: 'PROJECT', projectId: 'P' } }, '2026-01-31T16:30:00.000Z');
      add('CASH_DONATION', { amount: CNY(1_000_00), restriction: { kind: 'UNRESTRICTED' } }, '2026-02-02T02:00:00.000Z');
      add(
        'IN_KIND_DONATION',
        {
          items: [
            { itemCode: 'WHEELCHAIR-USED', quantity: 3, unit: 'piece' },
            { itemCode: 'RICE-5KG', quantity: 7, unit: 'bag' },
          ],
          valuation: { basis: 'APPRAISAL', fairValue: CNY(1_000_00) },
          restriction: { kind: 'UNRESTRICTED' },
        },
        '2026-02-03T02:00:00.000Z',
      );
      add(
        'PROCUREMENT_RECORDED',
        { projectId: 'P', lines: [{ itemCode: 'WHEELCHAIR', unit: 'piece', quantity: 4, unitPrice: CNY(200_00), amount: CNY(800_00) }], total: CNY(800_00), funding: [{ donationSequence: 3, amount: CNY(800_00) }] },
        '2026-02-04T02:00:00.000Z',
      );
      add('EXPENSE_RECORDED', { projectId: null, costClass: 'MANAGEMENT', amount: CNY(120_00) }, '2026-02-05T02:00:00.000Z');
      add(
        'BENEFICIARIES_SELECTED',
        {
          projectId: 'P',
          beneficiaries: [
            { pseudonym: 'ps-aaaaaaaa', commitment: 'c'.repeat(64), region: XIANGMIHU },
            { pseudonym: 'ps-bbbbbbbb', commitment: 'c'.repeat(64), region: YUANLING },
          ],
        },
        '2026-02-06T02:00:00.000Z',
      );
      const toA = add(
        'DISBURSEMENT_RECORDED',
        { projectId: 'P', beneficiary: 'ps-aaaaaaaa', cash: CNY(50_00), goods: [{ itemCode: 'WHEELCHAIR', quantity: 1 }] },
        '2026-02-07T02:00:00.000Z',
      );
      const toB = add(
        'DISBURSEMENT_RECORDED',
        { projectId: 'P', beneficiary: 'ps-bbbbbbbb', goods: [{ itemCode: 'WHEELCHAIR-USED', quantity: 2 }, { itemCode: 'RICE-5KG', quantity: 1 }] },
        '2026-02-08T02:00:00.000Z',
      );
      add('DONATION_REFUNDED', { donationSequence: 2, amount: CNY(100_00), reason: 'r' }, '2026-02-09T02:00:00.000Z');
      add('ENTRY_REVERSED', { reversedSequence: toB, reason: 'wrong person' }, '2026-03-01T02:00:00.000Z');
      return { entries, toA, toB };
    }

    it('measures each entry as docs/figures.md says, at lot cost, on Shenzhen dates, with the reversal negated on its own date', () => {
      const { entries } = given();
      const facts = ledgerFacts(new Books('CNY'), entries);
      // the gift in kind is worth 1,000.00 for 10 units: 3 wheelchairs 300.00, 7 bags 700.00;
      // two used wheelchairs are 200.00, a bag 100.00; a bought wheelchair costs 200.00
      expect(facts.map(row)).toEqual([
        [2, 'RECEIVED_CASH', 'P', 'SZ-FUTIAN-YUANLING', null, null, 600_00, 0, null, '2026-02-01'],
        [3, 'RECEIVED_CASH', null, null, null, null, 1_000_00, 0, null, '2026-02-02'],
        [4, 'RECEIVED_IN_KIND', null, null, null, null, 1_000_00, 0, null, '2026-02-03'],
        [6, 'SPENT', null, null, 'MANAGEMENT', null, 120_00, 0, null, '2026-02-05'],
        [8, 'SPENT', 'P', 'SZ-FUTIAN-XIANGMIHU', 'CHARITABLE_ACTIVITY', null, 50_00, 0, null, '2026-02-07'],
        [8, 'SPENT', 'P', 'SZ-FUTIAN-XIANGMIHU', 'CHARITABLE_ACTIVITY', 'WHEELCHAIR', 200_00, 0, null, '2026-02-07'],
        [8, 'GOODS_DISBURSED', 'P', 'SZ-FUTIAN-XIANGMIHU', null, 'WHEELCHAIR', 200_00, 1, null, '2026-02-07'],
        [8, 'BENEFICIARY_REACHED', 'P', 'SZ-FUTIAN-XIANGMIHU', null, null, 0, 1, 'ps-aaaaaaaa', '2026-02-07'],
        [9, 'SPENT', 'P', 'SZ-FUTIAN-YUANLING', 'CHARITABLE_ACTIVITY', 'WHEELCHAIR-USED', 200_00, 0, null, '2026-02-08'],
        [9, 'GOODS_DISBURSED', 'P', 'SZ-FUTIAN-YUANLING', null, 'WHEELCHAIR-USED', 200_00, 2, null, '2026-02-08'],
        [9, 'SPENT', 'P', 'SZ-FUTIAN-YUANLING', 'CHARITABLE_ACTIVITY', 'RICE-5KG', 100_00, 0, null, '2026-02-08'],
        [9, 'GOODS_DISBURSED', 'P', 'SZ-FUTIAN-YUANLING', null, 'RICE-5KG', 100_00, 1, null, '2026-02-08'],
        [9, 'BENEFICIARY_REACHED', 'P', 'SZ-FUTIAN-YUANLING', null, null, 0, 1, 'ps-bbbbbbbb', '2026-02-08'],
        [10, 'REFUNDED', 'P', 'SZ-FUTIAN-YUANLING', null, null, 100_00, 0, null, '2026-02-09'],
        [11, 'SPENT', 'P', 'SZ-FUTIAN-YUANLING', 'CHARITABLE_ACTIVITY', 'WHEELCHAIR-USED', -200_00, 0, null, '2026-03-01'],
        [11, 'GOODS_DISBURSED', 'P', 'SZ-FUTIAN-YUANLING', null, 'WHEELCHAIR-USED', -200_00, -2, null, '2026-03-01'],
        [11, 'SPENT', 'P', 'SZ-FUTIAN-YUANLING', 'CHARITABLE_ACTIVITY', 'RICE-5KG', -100_00, 0, null, '2026-03-01'],
        [11, 'GOODS_DISBURSED', 'P', 'SZ-FUTIAN-YUANLING', null, 'RICE-5KG', -100_00, -1, null, '2026-03-01'],
        [11, 'BENEFICIARY_REACHED', 'P', 'SZ-FUTIAN-YUANLING', null, null, 0, -1, 'ps-bbbbbbbb', '2026-03-01'],
      ]);
      expect(facts.filter((fact) => fact.sequence === 11).every((fact) => fact.reversedSequence === 9 && fact.entryType === 'ENTRY_REVERSED')).toBe(true);
      expect(facts.every((fact) => fact.projectId === null || fact.projectCategory === 'DISABILITY_SUPPORT')).toBe(true);
    });

    it('gives the same facts when the whole chain is one batch', () => {
      const { entries } = given();
      const stepwise = ledgerFacts(new Books('CNY'), entries);
      const books = new Books('CNY');
      const items = entries.map((entry) => ({ effects: books.apply(entry), payload: entry.payload }));
      expect(batchFacts(books, items, new Map()).flat()).toEqual(stepwise);
    });
  });

  it('a gift counts for the project it was restricted to, even when a close in the same batch moved its leftovers', () => {
    const { entries, add } = chain();
    const open = (projectId: string, category: string) =>
      add(
        'PROJECT_OPENED',
        { projectId, title: 't', purpose: 'p', category, region: YUANLING, startDate: '2026-01-01', endDate: '2026-12-31', budget: CNY(1_00), publicFundraising: false },
        '2026-01-01T00:00:00.000Z',
      );
    open('P', 'EDUCATION');
    open('Q', 'ELDERLY_CARE');
    const books = new Books('CNY');
    for (const entry of entries) books.apply(entry);
    const batch: BookEntry[] = [];
    const gift = { sequence: 3, type: 'CASH_DONATION', occurredAt: '2026-02-01T00:00:00.000Z', payload: { amount: CNY(5_00), restriction: { kind: 'PROJECT', projectId: 'P' } } };
    const close = {
      sequence: 4,
      type: 'PROJECT_CLOSED',
      occurredAt: '2026-02-02T00:00:00.000Z',
      payload: { projectId: 'P', closedOn: '2026-02-02', leftover: { handling: 'TRANSFER_TO_PROJECT', targetProjectId: 'Q', explanation: 'e' } },
    };
    batch.push(gift, close);
    const items = batch.map((entry) => ({ effects: books.apply(entry), payload: entry.payload }));
    expect(books.moneyLots.get(3)!.restriction).toEqual({ kind: 'PROJECT', projectId: 'Q' });
    const [giftFacts] = batchFacts(books, items, new Map());
    expect(giftFacts).toEqual([expect.objectContaining({ measure: 'RECEIVED_CASH', projectId: 'P', projectCategory: 'EDUCATION', amount: 5_00 })]);
  });

  it('follows a project whose opening a batch reverses and makes again', () => {
    const { entries, add } = chain();
    const opening = (category: string) => ({
      projectId: 'P',
      title: 't',
      purpose: 'p',
      category,
      region: YUANLING,
      startDate: '2026-01-01',
      endDate: '2026-12-31',
      budget: CNY(1_00),
      publicFundraising: false,
    });
    add('PROJECT_OPENED', opening('EDUCATION'), '2026-01-01T00:00:00.000Z');
    add('CASH_DONATION', { amount: CNY(5_00), restriction: { kind: 'PROJECT', projectId: 'P' } }, '2026-01-02T00:00:00.000Z');
    const before = new Books('CNY');
    for (const entry of entries) before.apply(entry);
    add('ENTRY_REVERSED', { reversedSequence: 2, reason: 'r' }, '2026-01-03T00:00:00.000Z');
    add('ENTRY_REVERSED', { reversedSequence: 1, reason: 'r' }, '2026-01-03T00:00:00.000Z');
    add('PROJECT_OPENED', opening('ELDERLY_CARE'), '2026-01-04T00:00:00.000Z');
    add('CASH_DONATION', { amount: CNY(7_00), restriction: { kind: 'PROJECT', projectId: 'P' } }, '2026-01-05T00:00:00.000Z');
    const batch = entries.slice(2);
    const items = batch.map((entry) => ({ effects: before.apply(entry), payload: entry.payload }));
    expect(openingsReversedBy(before, items, 3)).toEqual([1]);
    const facts = batchFacts(before, items, new Map([[1, entries[0].payload]])).flat();
    expect(facts.map((fact) => [fact.sequence, fact.projectCategory, fact.amount])).toEqual([
      [3, 'EDUCATION', -5_00],
      [6, 'ELDERLY_CARE', 7_00],
    ]);
    expect(facts).toEqual(ledgerFacts(new Books('CNY'), entries).filter((fact) => fact.sequence >= 3));
  });

  it('batches give the same facts as entry by entry, on random ledgers', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 1_000_000 }), fc.integer({ min: 1, max: 9 }), (seed, batchSize) => {
        const entries = randomLedger(seed, 120);
        const stepwise = ledgerFacts(new Books('CNY'), entries);
        const books = new Books('CNY');
        const facts: LedgerFact[] = [];
        for (let start = 0; start < entries.length; start += batchSize) {
          const batch = entries.slice(start, start + batchSize);
          const items = batch.map((entry) => ({ effects: books.apply(entry), payload: entry.payload }));
          const reversed = openingsReversedBy(books, items, batch[0].sequence);
          facts.push(...batchFacts(books, items, new Map(reversed.map((sequence) => [sequence, entries[sequence - 1].payload]))).flat());
        }
        expect(facts).toEqual(stepwise);
      }),
      { numRuns: 60 },
    );
  });

  it('on random ledgers, received cash less refunds and reversals equals what the books received, and goods disbursed match the lots', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 1_000_000 }), (seed) => {
        const entries = randomLedger(seed, 150);
        const books = new Books('CNY');
        const facts = ledgerFacts(books, entries);
        const sum = (measure: string, field: 'amount' | 'quantity' = 'amount') =>
          facts.filter((fact) => fact.measure === measure).reduce((total, fact) => total + fact[field], 0);
        const liveLots = [...books.moneyLots.values()].filter((lot) => !lot.reversed);
        expect(sum('RECEIVED_CASH')).toBe(liveLots.reduce((total, lot) => total + lot.amount, 0));
        const goods = [...books.goodsLots.values()];
        expect(sum('GOODS_DISBURSED', 'quantity')).toBe(
          goods.filter((lot) => !lot.reversed).reduce((total, lot) => total + lot.quantity - lot.remaining, 0),
        );
        const live = [...books.effects.values()].filter((effects) => effects.reverses === null && !books.reversedBy.has(effects.sequence));
        const refunds = live.filter((effects) => effects.type === 'DONATION_REFUNDED').flatMap((effects) => effects.moneyDraws);
        expect(sum('REFUNDED')).toBe(refunds.reduce((total, draw) => total + draw.amount, 0));
        const reached = live.filter((effects) => effects.type === 'DISBURSEMENT_RECORDED').length;
        expect(sum('BENEFICIARY_REACHED', 'quantity')).toBe(reached);
      }),
      { numRuns: 60 },
    );
  });

  it('values goods at lot cost: procurements exactly, gifts in kind by their share of the fair value', () => {
    expect(splitByUnits(1_000_00, [3, 7])).toEqual([300_00, 700_00]);
    expect(splitByUnits(100, [1, 1, 1])).toEqual([33, 33, 34]);
    expect(goodsValue({ source: 'PROCUREMENT', unitValue: 250_00, cost: 1_000_00, quantity: 4 }, 3)).toBe(750_00);
    expect(goodsValue({ source: 'IN_KIND', unitValue: 1, cost: 100, quantity: 3 }, 1)).toBe(33);
    expect(goodsValue({ source: 'IN_KIND', unitValue: 1, cost: 100, quantity: 3 }, 2)).toBe(67);
  });

  it('dates instants in China Standard Time', () => {
    expect(chinaDateOf('2026-03-31T15:59:59.999Z')).toBe('2026-03-31');
    expect(chinaDateOf('2026-03-31T16:00:00.000Z')).toBe('2026-04-01');
  });

  it('facts of a single entry agree with the lookup given', () => {
    const books = new Books('CNY');
    const effects = books.apply({ sequence: 1, type: 'CASH_DONATION', occurredAt: '2026-01-01T00:00:00.000Z', payload: { amount: CNY(1_00), restriction: { kind: 'UNRESTRICTED' } } });
    expect(entryFacts({ books, effects, payload: { restriction: { kind: 'UNRESTRICTED' } }, project: projectsOf(books) })).toEqual([
      expect.objectContaining({ measure: 'RECEIVED_CASH', projectId: null, amount: 1_00, occurredOn: '2026-01-01' }),
    ]);
  });
});
