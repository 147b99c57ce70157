import { Books } from '@charity-ledger/ledger-core';
import type pg from 'pg';

/**
 * Each charity's books, kept in memory and brought up to date from the chain
 * under the append lock: whatever other processes appended is read and applied
 * before anything new is decided. Books are a pure function of the chain, so a
 * cache miss costs a replay, never a wrong answer.
 */
export class ChainStates {
  private readonly books = new Map<string, Books>();

  /** The charity's books at exactly `headSequence`; call only under the append lock. */
  async at(client: pg.PoolClient, charityId: string, headSequence: number): Promise<Books> {
    let books = this.books.get(charityId);
    if (!books || books.headSequence > headSequence) {
      const { rows } = await client.query<{ currency: string }>('SELECT currency FROM charity WHERE id = $1', [charityId]);
      books = new Books(rows[0].currency);
    }
    if (books.headSequence < headSequence) {
      const { rows } = await client.query<{ sequence: string; type: string; occurred_at: Date; payload: Record<string, unknown> }>(
        `SELECT sequence, type, occurred_at, payload FROM ledger_entry
          WHERE charity_id = $1 AND sequence > $2 AND sequence <= $3 ORDER BY sequence`,
        [charityId, books.headSequence, headSequence],
      );
      for (const row of rows) {
        books.apply({ sequence: Number(row.sequence), type: row.type, occurredAt: row.occurred_at.toISOString(), payload: row.payload });
      }
    }
    this.books.set(charityId, books);
    return books;
  }

  /** Drops books that may hold changes of a transaction that did not commit. */
  forget(charityIds: Iterable<string>): void {
    for (const charityId of charityIds) this.books.delete(charityId);
  }
}
