import { hash } from 'node:crypto';
import { treeRootPlan } from '@charity-ledger/ledger-core';

// Node hashes are kept as "binary" strings (one char per byte): node:crypto returns
// them several times faster than Buffers, and they copy into the hash input buffer
// without an allocation. A verifier hashes ~3 times per entry, so this is its hot loop.

/**
 * The root of the RFC 6962 tree over a stream of leaves, in O(log n) memory: the
 * same compact range as ledger-core's `CompactRange` (which it is tested against),
 * trimmed to what a verifier needs — no record of completed nodes — and able to take
 * a whole perfect subtree at once, which is how an export summarizes the positions
 * of other charities.
 */
export class MerkleRootBuilder {
  private readonly levels: number[] = [];
  private readonly hashes: string[] = [];
  private count = 0;
  private readonly leafInput = Buffer.alloc(33);
  private readonly nodeInput = Buffer.alloc(65);

  constructor() {
    this.leafInput[0] = 0x00;
    this.nodeInput[0] = 0x01;
  }

  /**
   * The state of a tree of `size` leaves from its perfect subtrees (in
   * ledger-core's `treeRootPlan(size)` order: largest first), e.g. an export's prefix.
   */
  static fromPerfectSubtrees(size: number, subtreeHashes: readonly Uint8Array[]): MerkleRootBuilder {
    const ids = treeRootPlan(size);
    if (ids.length !== subtreeHashes.length) {
      throw new Error(`a tree of ${size} leaves is made of ${ids.length} perfect subtrees, not ${subtreeHashes.length}`);
    }
    const builder = new MerkleRootBuilder();
    ids.forEach((id, index) => builder.appendSubtree(id.level, subtreeHashes[index]));
    return builder;
  }

  get size(): number {
    return this.count;
  }

  /** Appends the leaf for an entry hash given as 64 lowercase hex digits: SHA-256(0x00 ‖ its 32 bytes). Returns the leaf hash (binary string). */
  appendEntryHash(entryHashHex: string): string {
    this.leafInput.write(entryHashHex, 1, 32, 'hex');
    const leaf = hash('sha256', this.leafInput, 'binary');
    this.push(0, leaf);
    return leaf;
  }

  /** Appends a perfect subtree of 2^level leaves; the tree's size must be a multiple of 2^level. */
  appendSubtree(level: number, subtreeHash: Uint8Array): void {
    if (subtreeHash.length !== 32) throw new Error('a subtree hash is 32 bytes');
    if (this.count % 2 ** level !== 0) throw new Error(`a subtree of level ${level} cannot follow ${this.count} leaves`);
    this.push(level, Buffer.from(subtreeHash).toString('binary'));
  }

  /** RFC 6962 root of the leaves so far (SHA-256 of nothing for none). */
  root(): Buffer {
    if (this.hashes.length === 0) return hash('sha256', Buffer.alloc(0), 'buffer');
    let node = this.hashes[this.hashes.length - 1];
    for (let index = this.hashes.length - 2; index >= 0; index--) node = this.nodeHash(this.hashes[index], node);
    return Buffer.from(node, 'binary');
  }

  // Binary addition of 2^level to the size: equal-level neighbours merge, as carries.
  private push(level: number, node: string): void {
    let current = node;
    let currentLevel = level;
    while (this.levels.length > 0 && this.levels[this.levels.length - 1] === currentLevel) {
      this.levels.pop();
      current = this.nodeHash(this.hashes.pop()!, current);
      currentLevel += 1;
    }
    this.levels.push(currentLevel);
    this.hashes.push(current);
    this.count += 2 ** level;
  }

  private nodeHash(left: string, right: string): string {
    this.nodeInput.write(left, 1, 32, 'binary');
    this.nodeInput.write(right, 33, 32, 'binary');
    return hash('sha256', this.nodeInput, 'binary');
  }
}

/**
 * The perfect subtrees that exactly cover leaves [begin, end), left to right (the
 * order an export lists a gap's hashes in): at each step the largest subtree that
 * starts at `begin`, is aligned to its own size and fits.
 */
export function coveringSubtrees(begin: number, end: number): Array<{ level: number; index: number }> {
  const ids: Array<{ level: number; index: number }> = [];
  while (begin < end) {
    let level = 0;
    while (begin % 2 ** (level + 1) === 0 && begin + 2 ** (level + 1) <= end) level += 1;
    ids.push({ level, index: begin / 2 ** level });
    begin += 2 ** level;
  }
  return ids;
}
