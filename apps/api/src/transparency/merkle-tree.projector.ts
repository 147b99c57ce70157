import { entryLeafHash, type CompactRange, type MerkleNode } from '@charity-ledger/ledger-core';
import type { AppendedEntry, AppendTransaction, LedgerProjector } from '../ledger/ledger.types.js';
import { catchUpTree, INSERT_NODES_SQL, insertNodesParams, type QueryRunnerFunction } from './merkle-tree.store.js';

/**
 * Extends the log's Merkle tree inside every append transaction, so the tree and
 * the ledger commit together: each new entry's leaf (SHA-256(0x00 ‖ its hash's 32
 * bytes)) and every perfect subtree it completes are inserted in one statement.
 *
 * The compact range of the tree is kept in memory between transactions, keyed by
 * its size: positions of a batch follow the last committed one, so when the cached
 * size is not the position before the batch, a transaction failed after this ran
 * (or another process appended) and the range is read again from the database.
 * A cache of the right size but stale content (another process committed the same
 * number of entries after our transaction failed) yields parents that disagree with
 * the stored children; the database refuses those as a serialization failure, the
 * sequencer retries, and the retry finds the size off and reloads.
 */
export class MerkleTreeProjector implements LedgerProjector {
  private range: CompactRange | null = null;

  constructor(private readonly onAppended: (treeSize: number) => void = () => undefined) {}

  async project(transaction: AppendTransaction, appended: AppendedEntry[]): Promise<void> {
    if (appended.length === 0) return;
    const before = appended[0].entry.position - 1;
    let range = this.range;
    // taken out until this batch is planned, so an exception cannot leave it half-advanced
    this.range = null;
    const nodes: MerkleNode[] = [];
    if (range === null || range.size !== before) {
      const query: QueryRunnerFunction = (sql, params) => transaction.query(sql, params);
      const caughtUp = await catchUpTree(query, before);
      range = caughtUp.range;
      nodes.push(...caughtUp.nodes);
    }
    for (const { entry } of appended) {
      if (entry.position !== range.size + 1) {
        throw new Error(`merkle projector: position ${entry.position} does not follow tree size ${range.size}`);
      }
      nodes.push(...range.append(entryLeafHash(entry.hash)));
    }
    transaction.queue(INSERT_NODES_SQL, insertNodesParams(nodes));
    this.range = range;
    this.onAppended(range.size);
  }
}
