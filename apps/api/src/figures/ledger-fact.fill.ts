import { Books, entryFacts, ledgerTimestamp, projectsOf } from '@charity-ledger/ledger-core';
import { FactColumns, INSERT_FACTS } from './ledger-fact.rows.js';

const PAGE = 5_000;

type Query = (sql: string, params?: unknown[]) => Promise<Array<Record<string, any>>>;

/**
 * Fills ledger_fact from the chains, for entries written before it existed: each
 * charity's chain is replayed through the books in sequence order and measured
 * with the same pure function the projector uses. Call it inside a transaction
 * that holds the append lock (the migration does), on a table without facts for
 * those charities. Returns the number of facts written.
 */
export async function fillLedgerFacts(query: Query, charityIds?: string[]): Promise<number> {
  const charities = await query(
    `SELECT id, currency FROM charity WHERE $1::uuid[] IS NULL OR id = ANY($1::uuid[]) ORDER BY id`,
    [charityIds ?? null],
  );
  let written = 0;
  for (const { id, currency } of charities) {
    const books = new Books(currency as string);
    const project = projectsOf(books);
    let after = 0;
    for (;;) {
      const entries = await query(
        `SELECT sequence, position, type, occurred_at, payload FROM ledger_entry
          WHERE charity_id = $1 AND sequence > $2 ORDER BY sequence LIMIT $3`,
        [id, after, PAGE],
      );
      const rows = new FactColumns();
      for (const row of entries) {
        const entry = { sequence: Number(row.sequence), type: row.type as string, occurredAt: ledgerTimestamp(row.occurred_at as Date), payload: row.payload };
        rows.add(id as string, Number(row.position), entryFacts({ books, effects: books.apply(entry), payload: entry.payload, project }));
      }
      if (rows.size > 0) await query(INSERT_FACTS, rows.columns);
      written += rows.size;
      if (entries.length < PAGE) break;
      after = Number(entries[entries.length - 1].sequence);
    }
  }
  return written;
}
