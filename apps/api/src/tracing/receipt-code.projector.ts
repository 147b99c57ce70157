import type { AppendedEntry, AppendTransaction, LedgerProjector } from '../ledger/ledger.types.js';

/** Stores the hash of each new gift's receipt code in the append transaction. */
export class ReceiptCodeProjector implements LedgerProjector {
  project(transaction: AppendTransaction, appended: AppendedEntry[]): void {
    const coded = appended.filter((item) => typeof item.sidecar?.receiptCodeHash === 'string');
    if (coded.length === 0) return;
    transaction.queue(
      `INSERT INTO receipt_code (code_hash, charity_id, donation_sequence) SELECT * FROM unnest($1::text[], $2::uuid[], $3::bigint[])`,
      [coded.map((item) => item.sidecar!.receiptCodeHash), coded.map((item) => item.entry.charityId), coded.map((item) => item.entry.sequence)],
    );
  }
}
