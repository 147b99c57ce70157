import { Books } from '@charity-ledger/ledger-core';
import type pg from 'pg';

const REPLAY_PAGE = 5_000;

type Queryable = Pick<pg.PoolClient, 'query'>;

/**
 * Each charity's books, kept in memory and brought up to date from the chain
 * under the append lock: whatever other processes appended is read and applied
 * before anything new is decided. Books are a pure function of the chain, so a
 * cache miss costs a replay, never a wrong answer.
 */
export class ChainStates {
  private readonly books = new Map<string, Books>();
  private readonly warming = new Map<string, Promise<void>>();

  /**
   * Builds the books of charities not in memory yet from their committed entries,
   * before the append lock is taken: after a restart, a long chain is replayed
   * without holding up the other charities' appends; under the lock only what
   * was appended meanwhile remains to apply.
   */
  async warm(pool: pg.Pool, charityIds: Iterable<string>): Promise<void> {
    const pending: Array<Promise<void>> = [];
    for (const charityId of charityIds) {
      if (this.books.has(charityId)) continue;
      let warming = this.warming.get(charityId);
      if (!warming) {
        warming = (async () => {
          const books = await newBooks(pool, charityId);
          await replay(pool, books, charityId, Number.MAX_SAFE_INTEGER);
          // a transaction may have installed (and advanced) books while this ran
          if (!this.books.has(charityId)) this.books.set(charityId, books);
        })().finally(() => this.warming.delete(charityId));
        this.warming.set(charityId, warming);
      }
      pending.push(warming);
    }
    await Promise.all(pending);
  }

  /** The charity's books at exactly `headSequence`; call only under the append lock. */
  async at(client: pg.PoolClient, charityId: string, headSequence: number): Promise<Books> {
    let books = this.books.get(charityId);
    if (!books || books.headSequence > headSequence) books = await newBooks(client, charityId);
    if (books.headSequence < headSequence) await replay(client, books, charityId, headSequence);
    this.books.set(charityId, books);
    return books;
  }

  /** Drops books that may hold changes of a transaction that did not commit. */
  forget(charityIds: Iterable<string>): void {
    for (const charityId of charityIds) this.books.delete(charityId);
  }
}

async function newBooks(database: Queryable, charityId: string): Promise<Books> {
  const { rows } = await database.query<{ currency: string }>('SELECT currency FROM charity WHERE id = $1', [charityId]);
  return new Books(rows[0].currency);
}

/** Applies the chain's entries after the books' head, up to `upTo`, a page at a time. */
async function replay(database: Queryable, books: Books, charityId: string, upTo: number): Promise<void> {
  for (;;) {
    const { rows } = await database.query<{ sequence: string; type: string; occurred_at: Date; payload: Record<string, unknown> }>(
      `SELECT sequence, type, occurred_at, payload FROM ledger_entry
        WHERE charity_id = $1 AND sequence > $2 AND sequence <= $3 ORDER BY sequence LIMIT $4`,
      [charityId, books.headSequence, upTo, REPLAY_PAGE],
    );
    for (const row of rows) {
      books.apply({ sequence: Number(row.sequence), type: row.type, occurredAt: row.occurred_at.toISOString(), payload: row.payload });
    }
    if (rows.length < REPLAY_PAGE) return;
  }
}
