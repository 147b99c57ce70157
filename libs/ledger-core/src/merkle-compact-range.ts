import { MerkleErrorCode, MerkleProofError } from './merkle.errors.js';
import {
  MERKLE_HASH_SIZE,
  emptyTreeRoot,
  nodeHash,
  type MerkleNode,
  type MerkleNodeId,
  type MerkleNodeReader,
} from './merkle.js';
import { assertTreeNumber, foldRightEdge, rangeDecomposition } from './merkle-tree-math.js';

/**
 * Incremental builder of the log's Merkle tree (a "compact range" [0, size), as in
 * transparency-dev/merkle's `compact` package): it keeps only the roots of the
 * perfect subtrees that make up the tree, at most one per bit of `size`, so
 * appending is O(log n) time and memory whatever the size of the log.
 *
 * Every append reports the perfect subtrees that became complete; storing them
 * (addressed by level and index) is all the service needs to build any later
 * inclusion or consistency proof with O(log n) reads, and to resume this state
 * after a restart with `fromNodes`.
 */
export class CompactRange {
  private constructor(
    private currentSize: number,
    // Roots of the perfect subtrees covering [0, size), largest (leftmost) first.
    private readonly nodes: MerkleNode[],
  ) {}

  /** The empty tree. */
  static empty(): CompactRange {
    return new CompactRange(0, []);
  }

  /** The (level, index) of the perfect subtrees that make up a tree of `size` leaves, left to right. */
  static nodeIds(size: number): MerkleNodeId[] {
    assertTreeNumber(size, 'tree size');
    return rangeDecomposition(0, size);
  }

  /**
   * Rebuilds the state of a tree of `size` leaves from stored perfect subtrees;
   * `getNode` is called once per id of `CompactRange.nodeIds(size)` (at most 53).
   */
  static async fromNodes(size: number, getNode: MerkleNodeReader): Promise<CompactRange> {
    const ids = CompactRange.nodeIds(size);
    const hashes = await Promise.all(ids.map((id) => getNode(id.level, id.index)));
    return CompactRange.fromHashes(size, hashes);
  }

  /** Same as `fromNodes` when the hashes are already at hand, in `nodeIds(size)` order. */
  static fromHashes(size: number, hashes: readonly Uint8Array[]): CompactRange {
    const ids = CompactRange.nodeIds(size);
    if (hashes.length !== ids.length) {
      throw new MerkleProofError(
        MerkleErrorCode.INVALID_ARGUMENT,
        `a tree of size ${size} is made of ${ids.length} perfect subtrees, got ${hashes.length} hashes`,
      );
    }
    const nodes = ids.map((id, i) => ({ ...id, hash: checkedHash(hashes[i], `node (${id.level}, ${id.index})`) }));
    return new CompactRange(size, nodes);
  }

  /** Number of leaves appended so far. */
  get size(): number {
    return this.currentSize;
  }

  /** The perfect subtrees that make up the tree now, left to right (a copy). */
  perfectSubtrees(): MerkleNode[] {
    return this.nodes.map((node) => ({ ...node, hash: Buffer.from(node.hash) }));
  }

  /**
   * Appends one leaf hash (not the leaf data: pass `leafHash(data)`) and returns the
   * perfect subtrees completed by it, smallest first: the leaf itself at level 0,
   * then one parent per level that became full. The caller stores all of them.
   */
  append(leafHashValue: Uint8Array): MerkleNode[] {
    if (this.currentSize >= Number.MAX_SAFE_INTEGER) {
      throw new MerkleProofError(MerkleErrorCode.INVALID_ARGUMENT, 'tree size would exceed 2^53 − 1');
    }
    let node: MerkleNode = { level: 0, index: this.currentSize, hash: checkedHash(leafHashValue, 'leaf hash') };
    const completed: MerkleNode[] = [{ ...node, hash: Buffer.from(node.hash) }];
    // A new node merges with its left neighbour while both cover the same width:
    // exactly the carries of binary addition of 1 to the size.
    while (this.nodes.length > 0 && this.nodes[this.nodes.length - 1].level === node.level) {
      const left = this.nodes.pop()!;
      node = { level: node.level + 1, index: left.index / 2, hash: nodeHash(left.hash, node.hash) };
      completed.push({ ...node, hash: Buffer.from(node.hash) });
    }
    this.nodes.push(node);
    this.currentSize += 1;
    return completed;
  }

  /** RFC 6962 root hash of the current tree (the empty-tree hash for size 0). */
  root(): Uint8Array {
    if (this.nodes.length === 0) return emptyTreeRoot();
    return foldRightEdge(this.nodes.map((node) => node.hash));
  }
}

function checkedHash(hash: Uint8Array, what: string): Uint8Array {
  if (!(hash instanceof Uint8Array) || hash.length !== MERKLE_HASH_SIZE) {
    throw new MerkleProofError(MerkleErrorCode.MALFORMED_HASH, `${what} must be ${MERKLE_HASH_SIZE} bytes`);
  }
  return Buffer.from(hash);
}
