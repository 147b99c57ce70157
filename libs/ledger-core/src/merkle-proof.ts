import { MerkleErrorCode, MerkleProofError } from './merkle.errors.js';
import { MERKLE_HASH_SIZE, emptyTreeRoot, type MerkleNodeId, type MerkleNodeReader } from './merkle.js';
import {
  assertTreeNumber,
  foldRightEdge,
  isOdd,
  rangeDecomposition,
  shiftRight,
  trailingZeros,
} from './merkle-tree-math.js';

/**
 * What a proof is made of, before any hash is read: one entry per proof element,
 * each listing the stored perfect subtrees it comes from. A single id is a stored
 * node used as is; several ids are the pieces of an imperfect right edge of the
 * tree (left to right), folded into one hash. At most 2·53 ids in all.
 */
export type MerkleProofPlan = MerkleNodeId[][];

/**
 * Plan of the RFC 9162 §2.1.3.1 inclusion proof of leaf `index` in the tree of
 * `size` leaves. Requires 0 ≤ index < size.
 */
export function inclusionProofPlan(index: number, size: number): MerkleProofPlan {
  assertTreeNumber(index, 'leaf index');
  assertTreeNumber(size, 'tree size');
  if (index >= size) {
    throw new MerkleProofError(MerkleErrorCode.INVALID_ARGUMENT, `leaf index ${index} is not below tree size ${size}`);
  }
  return pathToRoot(0, index, size);
}

/**
 * Plan of the RFC 9162 §2.1.4.1 consistency proof from the tree of `oldSize`
 * leaves to the tree of `newSize` leaves. Requires 0 < oldSize ≤ newSize; equal
 * sizes give the empty proof. Consistency with the empty tree needs no proof and
 * has none (as in RFC 9162 and transparency-dev/merkle): callers treat it as given.
 */
export function consistencyProofPlan(oldSize: number, newSize: number): MerkleProofPlan {
  assertTreeNumber(oldSize, 'old tree size');
  assertTreeNumber(newSize, 'new tree size');
  if (oldSize === 0) {
    throw new MerkleProofError(MerkleErrorCode.INVALID_ARGUMENT, 'there is no consistency proof from the empty tree');
  }
  if (oldSize > newSize) {
    throw new MerkleProofError(
      MerkleErrorCode.INVALID_ARGUMENT,
      `old tree size ${oldSize} is above new tree size ${newSize}`,
    );
  }
  if (oldSize === newSize) return [];
  // The old tree ends with the perfect subtree (level, index); the proof is that
  // node (left out when it is the whole old tree, which the verifier already holds)
  // followed by its inclusion path in the new tree — RFC 9162's SUBPROOF unrolled.
  const level = trailingZeros(oldSize);
  const index = shiftRight(oldSize - 1, level);
  const first: MerkleProofPlan = index === 0 ? [] : [[{ level, index }]];
  return [...first, ...pathToRoot(level, index, newSize)];
}

/** The perfect subtrees whose fold is the root of the tree of `size` leaves (empty for size 0). */
export function treeRootPlan(size: number): MerkleNodeId[] {
  assertTreeNumber(size, 'tree size');
  return rangeDecomposition(0, size);
}

/** Every node a plan reads, each once: what the service fetches in one query. */
export function planNodeIds(plan: MerkleProofPlan): MerkleNodeId[] {
  const seen = new Map<string, MerkleNodeId>();
  for (const step of plan) for (const id of step) seen.set(nodeKey(id.level, id.index), id);
  return [...seen.values()];
}

/**
 * Turns a plan into the proof, given the stored hashes of its nodes (synchronous:
 * fetch them first, e.g. with one query over `planNodeIds(plan)`).
 */
export function assembleProof(
  plan: MerkleProofPlan,
  lookup: (level: number, index: number) => Uint8Array,
): Uint8Array[] {
  return plan.map((step) => foldRightEdge(step.map((id) => storedHash(lookup, id))));
}

/**
 * Inclusion proof of leaf `index` in the tree of `size` leaves, built from stored
 * perfect subtrees with O(log n) reads, all issued at once.
 */
export async function inclusionProof(index: number, size: number, getNode: MerkleNodeReader): Promise<Uint8Array[]> {
  const plan = inclusionProofPlan(index, size);
  return assembleProof(plan, await readNodes(planNodeIds(plan), getNode));
}

/** Consistency proof from `oldSize` to `newSize` (0 < oldSize ≤ newSize), from stored perfect subtrees. */
export async function consistencyProof(
  oldSize: number,
  newSize: number,
  getNode: MerkleNodeReader,
): Promise<Uint8Array[]> {
  const plan = consistencyProofPlan(oldSize, newSize);
  return assembleProof(plan, await readNodes(planNodeIds(plan), getNode));
}

/** Root hash of the tree of any past or present `size`, from stored perfect subtrees. */
export async function treeRoot(size: number, getNode: MerkleNodeReader): Promise<Uint8Array> {
  const ids = treeRootPlan(size);
  if (ids.length === 0) return emptyTreeRoot();
  const lookup = await readNodes(ids, getNode);
  return foldRightEdge(ids.map((id) => storedHash(lookup, id)));
}

// Siblings on the way from the perfect subtree (level, index) up to the root of the
// tree of `size` leaves, lowest first. `last` tracks the ancestor of the last leaf:
// while ours differs from it we are inside the tree, once equal we are on its
// right edge, where a right sibling does not exist and a left one is always perfect.
function pathToRoot(level: number, index: number, size: number): MerkleProofPlan {
  const plan: MerkleProofPlan = [];
  let last = shiftRight(size - 1, level);
  while (last > 0) {
    if (isOdd(index)) {
      plan.push([{ level, index: index - 1 }]);
    } else if (index + 1 < last) {
      plan.push([{ level, index: index + 1 }]);
    } else if (index + 1 === last) {
      // The right sibling holds the last leaf: perfect only if the tree fills it.
      plan.push(rangeDecomposition((index + 1) * 2 ** level, size));
    }
    index = shiftRight(index, 1);
    last = shiftRight(last, 1);
    level += 1;
  }
  return plan;
}

async function readNodes(
  ids: readonly MerkleNodeId[],
  getNode: MerkleNodeReader,
): Promise<(level: number, index: number) => Uint8Array> {
  const hashes = await Promise.all(ids.map((id) => getNode(id.level, id.index)));
  const byKey = new Map(ids.map((id, i) => [nodeKey(id.level, id.index), hashes[i]]));
  return (level, index) => {
    const hash = byKey.get(nodeKey(level, index));
    if (hash === undefined) {
      throw new MerkleProofError(MerkleErrorCode.INVALID_ARGUMENT, `node (${level}, ${index}) was not read`);
    }
    return hash;
  };
}

function storedHash(lookup: (level: number, index: number) => Uint8Array, id: MerkleNodeId): Uint8Array {
  const hash = lookup(id.level, id.index);
  // A wrong-sized stored hash means a damaged store; never let it into a proof.
  if (!(hash instanceof Uint8Array) || hash.length !== MERKLE_HASH_SIZE) {
    throw new MerkleProofError(
      MerkleErrorCode.MALFORMED_HASH,
      `stored node (${id.level}, ${id.index}) is not a ${MERKLE_HASH_SIZE}-byte hash`,
    );
  }
  return hash;
}

function nodeKey(level: number, index: number): string {
  return `${level}:${index}`;
}
