import { createHash } from 'node:crypto';
import { isSha256Hex } from './hashing.js';
import { MerkleErrorCode, MerkleProofError } from './merkle.errors.js';

// RFC 6962 / RFC 9162 §2.1.1 Merkle Tree Hash with SHA-256. The one-byte prefixes
// keep a leaf hash from ever being confused with an interior node hash.

/** Size in bytes of every hash in the tree. */
export const MERKLE_HASH_SIZE = 32;

const LEAF_PREFIX = Uint8Array.of(0x00);
const NODE_PREFIX = Uint8Array.of(0x01);

/** Hash of a leaf: SHA-256(0x00 ‖ data). */
export function leafHash(data: Uint8Array): Uint8Array {
  return createHash('sha256').update(LEAF_PREFIX).update(data).digest();
}

/** Hash of an interior node: SHA-256(0x01 ‖ left ‖ right). */
export function nodeHash(left: Uint8Array, right: Uint8Array): Uint8Array {
  return createHash('sha256').update(NODE_PREFIX).update(left).update(right).digest();
}

/**
 * Leaf hash of a Charity Ledger log position: its leaf data is the 32 raw bytes of
 * the entry's `hash` (64 lowercase hex digits, docs/ledger-format.md).
 */
export function entryLeafHash(entryHash: string): Uint8Array {
  if (!isSha256Hex(entryHash)) {
    throw new MerkleProofError(MerkleErrorCode.MALFORMED_HASH, 'an entry hash is 64 lowercase hexadecimal digits');
  }
  return leafHash(Buffer.from(entryHash, 'hex'));
}

/** Root hash of the empty tree: SHA-256 of the empty string. */
export function emptyTreeRoot(): Uint8Array {
  return createHash('sha256').digest();
}

/**
 * Root of the tree over the given leaf hashes, straight from the RFC 6962
 * definition (split at the largest power of two smaller than n). O(n) hashing
 * and O(n) memory: meant for tests and small inputs, not for the service.
 */
export function rootFromLeafHashes(leafHashes: readonly Uint8Array[]): Uint8Array {
  if (leafHashes.length === 0) return emptyTreeRoot();
  return subtreeRoot(leafHashes, 0, leafHashes.length);
}

// MTH(D[begin:end]) exactly as RFC 9162 §2.1.1 writes it; kept literal on purpose,
// as the reference the storage-based code is tested against.
function subtreeRoot(leafHashes: readonly Uint8Array[], begin: number, end: number): Uint8Array {
  const count = end - begin;
  if (count === 1) return leafHashes[begin];
  let split = 1;
  while (split * 2 < count) split *= 2; // the largest power of two smaller than count
  return nodeHash(subtreeRoot(leafHashes, begin, begin + split), subtreeRoot(leafHashes, begin + split, end));
}

/**
 * Address of a perfect subtree: node (level, index) covers leaves
 * [index·2^level, (index+1)·2^level). Level 0 nodes are the leaf hashes.
 */
export interface MerkleNodeId {
  level: number;
  index: number;
}

/** A perfect subtree and its hash, as the service stores it. */
export interface MerkleNode extends MerkleNodeId {
  hash: Uint8Array;
}

/** Reads the stored hash of a perfect subtree; may be asynchronous. */
export type MerkleNodeReader = (level: number, index: number) => Uint8Array | Promise<Uint8Array>;
