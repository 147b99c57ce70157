import type { AppendedEntry, AppendTransaction, LedgerProjector } from '../ledger/ledger.types.js';

/** Stores the names of donors who stay anonymous on the ledger, in the append transaction. */
export class DonorIdentityProjector implements LedgerProjector {
  project(transaction: AppendTransaction, appended: AppendedEntry[]): void {
    const named = appended.filter((item) => typeof item.sidecar?.donorName === 'string');
    if (named.length === 0) return;
    transaction.queue(
      `INSERT INTO donor_identity (charity_id, sequence, name)
       SELECT * FROM unnest($1::uuid[], $2::bigint[], $3::text[])`,
      [
        named.map((item) => item.entry.charityId),
        named.map((item) => item.entry.sequence),
        named.map((item) => item.sidecar!.donorName as string),
      ],
    );
  }
}
