import type { AppendedEntry, AppendTransaction, LedgerProjector } from '../ledger/ledger.types.js';
import { mediaReferences } from './media-references.js';

/**
 * Records, in the append transaction, each media hash a new entry references
 * (media-references.ts): from that commit on, the file is public.
 */
export class MediaReferenceProjector implements LedgerProjector {
  project(transaction: AppendTransaction, appended: AppendedEntry[]): void {
    const charityIds: string[] = [];
    const sequences: number[] = [];
    const hashes: string[] = [];
    const positions: number[] = [];
    for (const { entry } of appended) {
      for (const sha256 of mediaReferences(entry.type, entry.payload)) {
        charityIds.push(entry.charityId);
        sequences.push(entry.sequence);
        hashes.push(sha256);
        positions.push(entry.position);
      }
    }
    if (hashes.length === 0) return;
    transaction.queue(
      `INSERT INTO media_reference (charity_id, entry_sequence, sha256, entry_position)
       SELECT * FROM unnest($1::uuid[], $2::bigint[], $3::text[], $4::bigint[])`,
      [charityIds, sequences, hashes, positions],
    );
  }
}
