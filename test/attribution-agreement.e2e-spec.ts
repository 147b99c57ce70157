import { attributeGifts, attributeLedger, randomLedger, sha256Hex, type Books } from '@charity-ledger/ledger-core';
import fc from 'fast-check';
import { LedgerService } from '../apps/api/src/ledger/ledger.service.js';
import { fixedRequest, type EntryType } from '../apps/api/src/ledger/ledger.types.js';
import { registerCharity, startTestApp, type TestApp } from './support/test-app.js';

/**
 * The attribution is implemented once (libs/ledger-core Books); the service keeps
 * book_* tables from it inside each append. For random valid ledgers appended
 * through the real append path, the tables must equal the pure function of the
 * chain as read back from the database.
 */
describe('attribution: the pure function and the database projection agree', () => {
  let app: TestApp;
  let ledger: LedgerService;

  beforeAll(async () => {
    app = await startTestApp();
    ledger = app.service.app.get(LedgerService);
  });

  afterAll(async () => {
    await app.close();
  });

  async function appendRandomLedger(seed: number, length: number): Promise<{ charityId: string; books: Books }> {
    const charity = await registerCharity(app, `随机账本 ${seed}`);
    const [{ id: actorKeyId }] = await app.db.query<{ id: string }>('SELECT id FROM api_key WHERE charity_id = $1', [charity.id]);
    const entries = randomLedger(seed, length);
    for (const [index, entry] of entries.entries()) {
      const [stored] = await ledger.append({
        charityId: charity.id,
        actorKeyId,
        requests: [
          fixedRequest({
            type: entry.type as EntryType,
            occurredAt: new Date(entry.occurredAt),
            payload: entry.payload as never,
            idempotencyKey: `random-${seed}-${index}`,
            requestHash: sha256Hex(`${seed}/${index}`),
          }),
        ],
      });
      expect(stored.sequence).toBe(entry.sequence);
    }
    return { charityId: charity.id, books: attributeLedger('CNY', entries).books };
  }

  async function chainFromDatabase(charityId: string) {
    const rows = await app.db.query<{ sequence: string; type: string; occurred_at: Date; payload: Record<string, unknown> }>(
      'SELECT sequence, type, occurred_at, payload FROM ledger_entry WHERE charity_id = $1 ORDER BY sequence',
      [charityId],
    );
    return rows.map((row) => ({ sequence: Number(row.sequence), type: row.type, occurredAt: row.occurred_at.toISOString(), payload: row.payload }));
  }

  it('for random ledgers: lots, slices, draws and selections', async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 1, max: 2 ** 31 }), async (seed) => {
        const { charityId, books: generated } = await appendRandomLedger(seed, 60);
        const { books, gifts } = attributeLedger('CNY', await chainFromDatabase(charityId));
        expect(attributeGifts(generated)).toEqual(gifts);

        const moneyLots = await app.db.query<{ sequence: string; remaining_minor: string; reversed: boolean; project_id: string | null }>(
          'SELECT sequence, remaining_minor, reversed, project_id FROM book_money_lot WHERE charity_id = $1 ORDER BY sequence',
          [charityId],
        );
        expect(moneyLots.map((row) => [Number(row.sequence), Number(row.remaining_minor), row.reversed, row.project_id])).toEqual(
          [...books.moneyLots.values()].map((lot) => [lot.sequence, lot.remaining, lot.reversed, lot.restriction.kind === 'PROJECT' ? lot.restriction.projectId : null]),
        );

        const goodsLots = await app.db.query<{ lot_id: string; remaining: string; reversed: boolean; project_id: string | null }>(
          'SELECT lot_id, remaining, reversed, project_id FROM book_goods_lot WHERE charity_id = $1',
          [charityId],
        );
        const goodsById = new Map(goodsLots.map((row) => [row.lot_id, [Number(row.remaining), row.reversed, row.project_id]]));
        expect(goodsById.size).toBe(books.goodsLots.size);
        for (const lot of books.goodsLots.values()) expect(goodsById.get(lot.lotId)).toEqual([lot.remaining, lot.reversed, lot.projectId]);

        const slices = await app.db.query<{ lot_id: string; slice_index: number; funding_sequence: string; remaining: string }>(
          'SELECT lot_id, slice_index, funding_sequence, remaining FROM book_goods_slice WHERE charity_id = $1',
          [charityId],
        );
        const expectedSlices = [...books.goodsLots.values()].flatMap((lot) => lot.slices.map((slice, index) => `${lot.lotId}#${index}:${slice.fundingSequence}:${slice.remaining}`));
        expect(slices.map((row) => `${row.lot_id}#${row.slice_index}:${row.funding_sequence}:${row.remaining}`).sort()).toEqual(expectedSlices.sort());

        // every live use of every gift, as the trace reads it
        const draws = await app.db.query<{ funding_sequence: string; kind: string; total: string }>(
          `SELECT funding_sequence, kind, sum(value) AS total FROM book_draw WHERE charity_id = $1 AND reversed_by IS NULL GROUP BY funding_sequence, kind`,
          [charityId],
        );
        const fromTables = new Map(draws.map((row) => [`${row.kind}:${row.funding_sequence}`, Number(row.total)]));
        const fromBooks = new Map<string, number>();
        for (const gift of gifts.values()) {
          const money = gift.uses.filter((use) => !use.reversed).reduce((sum, use) => sum + use.amount, 0);
          const goods = gift.deliveries.filter((delivery) => !delivery.reversed).reduce((sum, delivery) => sum + delivery.value, 0);
          if (money > 0) fromBooks.set(`MONEY:${gift.sequence}`, money);
          if (goods > 0) fromBooks.set(`GOODS:${gift.sequence}`, goods);
        }
        expect(new Map([...fromTables].filter(([, total]) => total > 0))).toEqual(fromBooks);

        const selections = await app.db.query<{ count: string }>(
          'SELECT count(*) AS count FROM book_selection WHERE charity_id = $1 AND reversed_by IS NULL',
          [charityId],
        );
        const selected = [...books.selections.values()].reduce((sum, people) => sum + people.size, 0);
        expect(Number(selections[0].count)).toBe(selected);
      }),
      { numRuns: 12 },
    );
  });
});
