import { batchFacts, openingsReversedBy, type BatchItem, type Books } from '@charity-ledger/ledger-core';
import type { AppendedEntry, AppendTransaction, LedgerProjector } from '../ledger/ledger.types.js';
import { FactColumns, INSERT_FACTS } from './ledger-fact.rows.js';

/**
 * Writes each new entry's facts (docs/figures.md) to ledger_fact in the append
 * transaction, from the books' own effects, so the figures agree with the books.
 */
export class LedgerFactProjector implements LedgerProjector {
  async project(transaction: AppendTransaction, appended: AppendedEntry[]): Promise<void> {
    const byCharity = new Map<string, { books: Books; entries: AppendedEntry[] }>();
    for (const item of appended) {
      const group = byCharity.get(item.entry.charityId) ?? { books: item.books, entries: [] };
      group.entries.push(item);
      byCharity.set(item.entry.charityId, group);
    }
    const rows = new FactColumns();
    for (const [charityId, { books, entries }] of byCharity) {
      const items: BatchItem[] = entries.map(({ effects, entry }) => ({ effects, payload: entry.payload }));
      const openings = await reversedOpenings(transaction, charityId, openingsReversedBy(books, items, entries[0].entry.sequence));
      batchFacts(books, items, openings).forEach((facts, index) => rows.add(charityId, entries[index].entry.position, facts));
    }
    if (rows.size > 0) transaction.queue(INSERT_FACTS, rows.columns);
  }
}

/** Payloads of earlier PROJECT_OPENED entries that this batch reverses (rare: read only then). */
async function reversedOpenings(transaction: AppendTransaction, charityId: string, sequences: number[]): Promise<Map<number, Record<string, unknown>>> {
  if (sequences.length === 0) return new Map();
  const rows = await transaction.query<{ sequence: string; payload: Record<string, unknown> }>(
    'SELECT sequence, payload FROM ledger_entry WHERE charity_id = $1 AND sequence = ANY($2::bigint[])',
    [charityId, sequences],
  );
  return new Map(rows.map((row) => [Number(row.sequence), row.payload]));
}
