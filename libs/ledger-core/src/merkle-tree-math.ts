import { MerkleErrorCode, MerkleProofError } from './merkle.errors.js';
import { nodeHash, type MerkleNodeId } from './merkle.js';

// Internal helpers of the merkle-* modules (not exported from the library).

/** Byte equality; everything compared here is public, so timing does not matter. */
export function bytesEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

// Tree sizes and indexes go up to 2^53 − 1, beyond the 32 bits of JavaScript's
// bitwise operators, so the bit arithmetic below is done with plain division.

/** `value` shifted right by `bits` (value ≥ 0). */
export function shiftRight(value: number, bits: number): number {
  return Math.floor(value / 2 ** bits);
}

/** Whether the lowest bit of `value` (≥ 0) is set. */
export function isOdd(value: number): boolean {
  return value % 2 === 1;
}

/** Number of trailing zero bits of `value` (> 0). */
export function trailingZeros(value: number): number {
  let count = 0;
  while (value % 2 === 0) {
    value /= 2;
    count++;
  }
  return count;
}

/** Number of bits needed to write `value` (0 for 0). */
export function bitLength(value: number): number {
  let bits = 0;
  while (value > 0) {
    value = Math.floor(value / 2);
    bits++;
  }
  return bits;
}

/** Throws unless `value` is an integer in [0, 2^53 − 1]. */
export function assertTreeNumber(value: number, what: string): void {
  if (!Number.isSafeInteger(value) || value < 0) {
    throw new MerkleProofError(
      MerkleErrorCode.INVALID_ARGUMENT,
      `${what} ${String(value)} is not a non-negative safe integer`,
    );
  }
}

/**
 * The perfect subtrees whose concatenation is the leaf range [begin, end), left to
 * right with decreasing sizes. `begin` must be a multiple of a power of two that is
 * at least end − begin (true for every range this module asks about).
 */
export function rangeDecomposition(begin: number, end: number): MerkleNodeId[] {
  const nodes: MerkleNodeId[] = [];
  let position = begin;
  for (let level = bitLength(end - begin); level >= 0; level--) {
    const width = 2 ** level;
    if (end - position >= width) {
      nodes.push({ level, index: position / width });
      position += width;
    }
  }
  return nodes;
}

/**
 * Hash of an RFC 6962 subtree made of the given perfect subtrees (left to right,
 * decreasing sizes): the right edge of the tree folds right to left.
 */
export function foldRightEdge(hashes: readonly Uint8Array[]): Uint8Array {
  let hash = hashes[hashes.length - 1];
  for (let i = hashes.length - 2; i >= 0; i--) hash = nodeHash(hashes[i], hash);
  return hash;
}
