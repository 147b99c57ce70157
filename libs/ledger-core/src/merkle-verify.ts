import { MerkleErrorCode, MerkleProofError } from './merkle.errors.js';
import { MERKLE_HASH_SIZE, nodeHash } from './merkle.js';
import { assertTreeNumber, bytesEqual, isOdd, shiftRight } from './merkle-tree-math.js';

/**
 * Checks an inclusion proof exactly as RFC 9162 §2.1.3.2 says: the leaf with hash
 * `leafHashValue` is at `index` in the tree of `size` leaves whose root is `root`.
 * Returns normally when the proof holds; otherwise throws a MerkleProofError whose
 * code says why (index ≥ size, a hash that is not 32 bytes, a proof that is too
 * long or too short for the sizes, or a root that does not match).
 */
export function verifyInclusion(
  leafHashValue: Uint8Array,
  index: number,
  size: number,
  proof: readonly Uint8Array[],
  root: Uint8Array,
): void {
  assertTreeNumber(index, 'leaf index');
  assertTreeNumber(size, 'tree size');
  if (index >= size) {
    throw new MerkleProofError(MerkleErrorCode.INVALID_ARGUMENT, `leaf index ${index} is not below tree size ${size}`);
  }
  assertHash(leafHashValue, 'leaf hash');
  proof.forEach((element, i) => assertHash(element, `proof element ${i}`));

  let fn = index;
  let sn = size - 1;
  let r = leafHashValue;
  for (const p of proof) {
    if (sn === 0) throw tooLong(proof.length);
    if (isOdd(fn) || fn === sn) {
      r = nodeHash(p, r);
      while (!isOdd(fn) && fn !== 0) {
        fn = shiftRight(fn, 1);
        sn = shiftRight(sn, 1);
      }
    } else {
      r = nodeHash(r, p);
    }
    fn = shiftRight(fn, 1);
    sn = shiftRight(sn, 1);
  }
  if (sn !== 0) throw tooShort(proof.length);
  if (!bytesEqual(r, root)) {
    throw new MerkleProofError(MerkleErrorCode.ROOT_MISMATCH, 'the inclusion proof does not lead to the stated root');
  }
}

/**
 * Checks a consistency proof exactly as RFC 9162 §2.1.4.2 says: the tree of
 * `oldSize` leaves with root `oldRoot` is a prefix of the tree of `newSize` leaves
 * with root `newRoot`. Equal sizes need an empty proof and equal roots. An old
 * size of 0 is refused: the RFC defines no proof from the empty tree, which is
 * trivially a prefix of every tree (a verifier holding size 0 just accepts).
 * Throws a MerkleProofError on any failure, like `verifyInclusion`.
 */
export function verifyConsistency(
  oldSize: number,
  newSize: number,
  proof: readonly Uint8Array[],
  oldRoot: Uint8Array,
  newRoot: Uint8Array,
): void {
  assertTreeNumber(oldSize, 'old tree size');
  assertTreeNumber(newSize, 'new tree size');
  if (oldSize > newSize) {
    throw new MerkleProofError(
      MerkleErrorCode.INVALID_ARGUMENT,
      `old tree size ${oldSize} is above new tree size ${newSize}`,
    );
  }
  if (oldSize === 0) {
    throw new MerkleProofError(MerkleErrorCode.INVALID_ARGUMENT, 'there is no consistency proof from the empty tree');
  }
  proof.forEach((element, i) => assertHash(element, `proof element ${i}`));
  if (oldSize === newSize) {
    if (proof.length !== 0) {
      throw new MerkleProofError(
        MerkleErrorCode.WRONG_PROOF_LENGTH,
        'trees of equal size need an empty consistency proof',
      );
    }
    if (!bytesEqual(oldRoot, newRoot)) {
      throw new MerkleProofError(MerkleErrorCode.ROOT_MISMATCH, 'trees of equal size have different roots');
    }
    return;
  }
  if (proof.length === 0) {
    throw new MerkleProofError(MerkleErrorCode.WRONG_PROOF_LENGTH, 'the consistency proof is empty');
  }

  // When the old tree is a perfect subtree its root is the proof's implicit first element.
  const path = isPowerOfTwo(oldSize) ? [oldRoot, ...proof] : [...proof];
  let fn = oldSize - 1;
  let sn = newSize - 1;
  while (isOdd(fn)) {
    fn = shiftRight(fn, 1);
    sn = shiftRight(sn, 1);
  }
  let fr = path[0];
  let sr = path[0];
  for (const c of path.slice(1)) {
    if (sn === 0) throw tooLong(proof.length);
    if (isOdd(fn) || fn === sn) {
      fr = nodeHash(c, fr);
      sr = nodeHash(c, sr);
      while (!isOdd(fn) && fn !== 0) {
        fn = shiftRight(fn, 1);
        sn = shiftRight(sn, 1);
      }
    } else {
      sr = nodeHash(sr, c);
    }
    fn = shiftRight(fn, 1);
    sn = shiftRight(sn, 1);
  }
  if (sn !== 0) throw tooShort(proof.length);
  if (!bytesEqual(fr, oldRoot)) {
    throw new MerkleProofError(MerkleErrorCode.ROOT_MISMATCH, 'the consistency proof does not lead to the old root');
  }
  if (!bytesEqual(sr, newRoot)) {
    throw new MerkleProofError(MerkleErrorCode.ROOT_MISMATCH, 'the consistency proof does not lead to the new root');
  }
}

function assertHash(hash: Uint8Array, what: string): void {
  if (!(hash instanceof Uint8Array) || hash.length !== MERKLE_HASH_SIZE) {
    throw new MerkleProofError(MerkleErrorCode.MALFORMED_HASH, `${what} is not a ${MERKLE_HASH_SIZE}-byte hash`);
  }
}

function isPowerOfTwo(value: number): boolean {
  while (value > 1 && !isOdd(value)) value /= 2;
  return value === 1;
}

function tooLong(length: number): MerkleProofError {
  return new MerkleProofError(
    MerkleErrorCode.WRONG_PROOF_LENGTH,
    `the proof has ${length} elements, too many for these sizes`,
  );
}

function tooShort(length: number): MerkleProofError {
  return new MerkleProofError(
    MerkleErrorCode.WRONG_PROOF_LENGTH,
    `the proof has ${length} elements, too few for these sizes`,
  );
}
