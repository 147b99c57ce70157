import fc from 'fast-check';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CompactRange } from './merkle-compact-range.js';
import {
  assembleProof,
  consistencyProof,
  consistencyProofPlan,
  inclusionProof,
  inclusionProofPlan,
  planNodeIds,
  treeRoot,
  treeRootPlan,
} from './merkle-proof.js';
import { verifyConsistency, verifyInclusion } from './merkle-verify.js';
import { MerkleErrorCode, MerkleProofError } from './merkle.errors.js';
import { leafHash, nodeHash, rootFromLeafHashes, type MerkleNodeReader } from './merkle.js';
import { bitLength } from './merkle-tree-math.js';

interface TreeVectors {
  leafInputs: string[];
  rootHashes: string[];
  referenceInclusionProofs: Array<{ index: number; size: number; proof: string[] }>;
  referenceConsistencyProofs: Array<{ size1: number; size2: number; proof: string[] }>;
}

const vectors = JSON.parse(
  readFileSync(join(process.cwd(), 'libs/ledger-core/src/testdata/merkle-tree-vectors.json'), 'utf8'),
) as TreeVectors;
const hex = (bytes: Uint8Array): string => Buffer.from(bytes).toString('hex');

/** What the service will do: append leaf hashes and keep every completed perfect subtree. */
function buildLog(leafHashes: readonly Uint8Array[]): Map<string, Uint8Array> {
  const range = CompactRange.empty();
  const store = new Map<string, Uint8Array>();
  for (const hash of leafHashes) {
    for (const node of range.append(hash)) store.set(`${node.level}:${node.index}`, node.hash);
  }
  return store;
}

/** A reader that, like a database at tree size `size`, holds only the subtrees complete by then. */
function readerAt(store: Map<string, Uint8Array>, size: number, reads: string[] = []): MerkleNodeReader {
  return (level, index) => {
    if ((index + 1) * 2 ** level > size) throw new Error(`node (${level}, ${index}) is not complete at size ${size}`);
    const hash = store.get(`${level}:${index}`);
    if (!hash) throw new Error(`node (${level}, ${index}) not stored`);
    reads.push(`${level}:${index}`);
    return Promise.resolve(hash);
  };
}

function rejects(check: () => void): boolean {
  try {
    check();
    return false;
  } catch (error) {
    if (error instanceof MerkleProofError) return true;
    throw error;
  }
}

function flipBit(proof: readonly Uint8Array[], element: number, bit: number): Uint8Array[] {
  return proof.map((hash, i) => {
    if (i !== element) return hash;
    const copy = Buffer.from(hash);
    copy[bit >> 3] ^= 1 << (bit & 7);
    return copy;
  });
}

const sameProof = (a: readonly Uint8Array[], b: readonly Uint8Array[]): boolean =>
  a.length === b.length && a.every((hash, i) => hex(hash) === hex(b[i]));

describe('proofs from stored perfect subtrees, against transparency-dev/merkle reference proofs', () => {
  const store = buildLog(vectors.leafInputs.map((input) => leafHash(Buffer.from(input, 'hex'))));

  it.each(vectors.referenceInclusionProofs.map((p) => [p.index, p.size, p.proof]))(
    'given the 8-leaf test log, when proving leaf %i in size %i, then the reference proof comes out',
    async (index, size, proof) => {
      const built = await inclusionProof(index as number, size as number, readerAt(store, size as number));
      expect(built.map(hex)).toEqual(proof);
    },
  );

  it.each(vectors.referenceConsistencyProofs.map((p) => [p.size1, p.size2, p.proof]))(
    'given the 8-leaf test log, when proving size %i consistent with size %i, then the reference proof comes out',
    async (size1, size2, proof) => {
      const built = await consistencyProof(size1 as number, size2 as number, readerAt(store, size2 as number));
      expect(built.map(hex)).toEqual(proof);
    },
  );

  it.each(vectors.rootHashes.map((root, size) => [size, root]))(
    'given the 8-leaf test log, when computing the root of size %i from stored subtrees, then it is the published root',
    async (size, root) => {
      expect(hex(await treeRoot(size as number, readerAt(store, size as number)))).toBe(root);
    },
  );
});

describe('proof plans', () => {
  it('given leaf 5 of 8, when planning, then each element is one stored node', () => {
    expect(inclusionProofPlan(5, 8)).toEqual([
      [{ level: 0, index: 4 }],
      [{ level: 1, index: 3 }],
      [{ level: 2, index: 0 }],
    ]);
  });

  it('given leaf 0 of 7, when planning, then the imperfect right edge is folded from its perfect parts', () => {
    expect(inclusionProofPlan(0, 7)).toEqual([
      [{ level: 0, index: 1 }],
      [{ level: 1, index: 1 }],
      [
        { level: 1, index: 2 },
        { level: 0, index: 6 },
      ],
    ]);
  });

  it('given sizes 6 → 7, when planning the consistency proof, then it starts with the old tree’s last subtree', () => {
    expect(consistencyProofPlan(6, 7)).toEqual([
      [{ level: 1, index: 2 }],
      [{ level: 0, index: 6 }],
      [{ level: 2, index: 0 }],
    ]);
    expect(consistencyProofPlan(4, 7)).toEqual([
      [
        { level: 1, index: 2 },
        { level: 0, index: 6 },
      ],
    ]);
    expect(consistencyProofPlan(7, 7)).toEqual([]);
  });

  it('given a plan, when listing its nodes, then each appears once', () => {
    const plan = [
      [{ level: 0, index: 1 }],
      [
        { level: 0, index: 1 },
        { level: 2, index: 0 },
      ],
    ];
    expect(planNodeIds(plan)).toEqual([
      { level: 0, index: 1 },
      { level: 2, index: 0 },
    ]);
  });

  it('given sizes out of range, when planning, then it is an invalid argument', () => {
    const code = (plan: () => unknown): unknown => {
      try {
        plan();
        return 'planned';
      } catch (error) {
        return (error as MerkleProofError).code;
      }
    };
    expect(code(() => inclusionProofPlan(3, 3))).toBe(MerkleErrorCode.INVALID_ARGUMENT);
    expect(code(() => inclusionProofPlan(0, 0))).toBe(MerkleErrorCode.INVALID_ARGUMENT);
    expect(code(() => consistencyProofPlan(0, 5))).toBe(MerkleErrorCode.INVALID_ARGUMENT);
    expect(code(() => consistencyProofPlan(6, 5))).toBe(MerkleErrorCode.INVALID_ARGUMENT);
    expect(code(() => treeRootPlan(-1))).toBe(MerkleErrorCode.INVALID_ARGUMENT);
  });

  it('given prefetched nodes, when assembling synchronously, then the proof equals the one read node by node', async () => {
    const leaves = Array.from({ length: 13 }, (_, i) => leafHash(Buffer.from(`leaf ${i}`)));
    const store = buildLog(leaves);
    const plan = inclusionProofPlan(2, 13);
    const fetched = new Map(
      planNodeIds(plan).map((id) => [`${id.level}:${id.index}`, store.get(`${id.level}:${id.index}`)!]),
    );
    const assembled = assembleProof(plan, (level, index) => fetched.get(`${level}:${index}`)!);
    expect(assembled.map(hex)).toEqual((await inclusionProof(2, 13, readerAt(store, 13))).map(hex));
  });

  it('given a damaged store, when a stored node is not 32 bytes, then no proof is built', async () => {
    const store = buildLog(Array.from({ length: 4 }, (_, i) => leafHash(Buffer.from([i]))));
    store.set('0:1', Buffer.alloc(31));
    await expect(inclusionProof(0, 4, readerAt(store, 4))).rejects.toMatchObject({
      code: MerkleErrorCode.MALFORMED_HASH,
    });
  });
});

describe('proofs near the largest tree size', () => {
  // A log whose leaves are all equal has one hash per level, so any size is cheap to "store".
  const levels = [leafHash(Buffer.from('same'))];
  for (let level = 1; level <= 53; level++) levels.push(nodeHash(levels[level - 1], levels[level - 1]));
  const reads: string[] = [];
  const reader: MerkleNodeReader = (level, index) => {
    reads.push(`${level}:${index}`);
    return levels[level];
  };
  const size = Number.MAX_SAFE_INTEGER;

  it('given 2^53 − 1 leaves, when proving the last leaf, then the proof verifies with O(log n) reads', async () => {
    reads.length = 0;
    const root = await treeRoot(size, reader);
    const proof = await inclusionProof(size - 1, size, reader);
    expect(() => verifyInclusion(levels[0], size - 1, size, proof, root)).not.toThrow();
    expect(reads.length).toBeLessThanOrEqual(3 * 53);
    expect(rejects(() => verifyInclusion(levels[0], size - 1, size, flipBit(proof, 0, 0), root))).toBe(true);
  });

  it('given 2^52 + 3 and 2^53 − 1 leaves, when proving consistency, then the proof verifies', async () => {
    const oldSize = 2 ** 52 + 3;
    const proof = await consistencyProof(oldSize, size, reader);
    const [oldRoot, newRoot] = await Promise.all([treeRoot(oldSize, reader), treeRoot(size, reader)]);
    expect(() => verifyConsistency(oldSize, size, proof, oldRoot, newRoot)).not.toThrow();
  });
});

describe('properties: proofs built from stored perfect subtrees (up to 3000 leaves)', () => {
  const maxSize = 3000;
  const leaves = Array.from({ length: maxSize }, (_, i) => leafHash(Buffer.from(`entry ${i}`)));
  const store = buildLog(leaves);
  const roots = new Map<number, Uint8Array>();
  const rootOf = (size: number): Uint8Array => {
    if (!roots.has(size)) roots.set(size, rootFromLeafHashes(leaves.slice(0, size)));
    return roots.get(size)!;
  };

  it('given a random size, when proving every leaf, then every proof verifies against the recomputed root', async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 1, max: maxSize }), async (size) => {
        const root = rootOf(size);
        for (let index = 0; index < size; index++) {
          const reads: string[] = [];
          const proof = await inclusionProof(index, size, readerAt(store, size, reads));
          verifyInclusion(leaves[index], index, size, proof, root);
          expect(reads.length).toBeLessThanOrEqual(2 * bitLength(size));
        }
      }),
      { numRuns: 15 },
    );
  });

  it('given an inclusion proof, when a bit is flipped or the index changes, then it no longer verifies', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc
          .integer({ min: 1, max: maxSize })
          .chain((size) => fc.tuple(fc.constant(size), fc.nat(size - 1), fc.nat(size - 1), fc.nat(), fc.nat(255))),
        async ([size, index, otherIndex, element, bit]) => {
          const proof = await inclusionProof(index, size, readerAt(store, size));
          const root = rootOf(size);
          if (proof.length > 0) {
            expect(
              rejects(() =>
                verifyInclusion(leaves[index], index, size, flipBit(proof, element % proof.length, bit), root),
              ),
            ).toBe(true);
          }
          if (otherIndex !== index) {
            expect(rejects(() => verifyInclusion(leaves[index], otherIndex, size, proof, root))).toBe(true);
          }
          expect(rejects(() => verifyInclusion(leaves[index], index, size, proof, flipBit([root], 0, bit)[0]))).toBe(
            true,
          );
        },
      ),
      { numRuns: 300 },
    );
  });

  it('given an inclusion proof, when the size changes, then it verifies only if it is also the proof for that size', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc
          .integer({ min: 1, max: maxSize })
          .chain((size) => fc.tuple(fc.constant(size), fc.nat(size - 1), fc.integer({ min: 1, max: maxSize }))),
        async ([size, index, otherSize]) => {
          fc.pre(otherSize !== size);
          const proof = await inclusionProof(index, size, readerAt(store, size));
          const accepted = !rejects(() => verifyInclusion(leaves[index], index, otherSize, proof, rootOf(otherSize)));
          const sameAsHonest =
            index < otherSize && sameProof(proof, await inclusionProof(index, otherSize, readerAt(store, otherSize)));
          expect(accepted).toBe(sameAsHonest);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('given a random new size, when proving every older size consistent with it, then every proof verifies', async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 1, max: 400 }), async (newSize) => {
        for (let oldSize = 1; oldSize <= newSize; oldSize++) {
          const proof = await consistencyProof(oldSize, newSize, readerAt(store, newSize));
          verifyConsistency(oldSize, newSize, proof, rootOf(oldSize), rootOf(newSize));
        }
      }),
      { numRuns: 10 },
    );
  });

  it('given random sizes up to 3000, when proving consistency, then the proof verifies and a flipped bit breaks it', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc
          .integer({ min: 1, max: maxSize })
          .chain((newSize) =>
            fc.tuple(fc.integer({ min: 1, max: newSize }), fc.constant(newSize), fc.nat(), fc.nat(255)),
          ),
        async ([oldSize, newSize, element, bit]) => {
          const reads: string[] = [];
          const proof = await consistencyProof(oldSize, newSize, readerAt(store, newSize, reads));
          expect(reads.length).toBeLessThanOrEqual(2 * bitLength(newSize) + 1);
          verifyConsistency(oldSize, newSize, proof, rootOf(oldSize), rootOf(newSize));
          if (proof.length > 0) {
            const broken = flipBit(proof, element % proof.length, bit);
            expect(rejects(() => verifyConsistency(oldSize, newSize, broken, rootOf(oldSize), rootOf(newSize)))).toBe(
              true,
            );
          }
        },
      ),
      { numRuns: 300 },
    );
  });

  it('given a consistency proof, when either size changes, then it verifies only if it is also the proof for those sizes', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc
          .integer({ min: 1, max: maxSize })
          .chain((newSize) =>
            fc.tuple(
              fc.integer({ min: 1, max: newSize }),
              fc.constant(newSize),
              fc.integer({ min: 1, max: maxSize }),
              fc.boolean(),
            ),
          ),
        async ([oldSize, newSize, otherSize, changeOld]) => {
          const [m, n] = changeOld ? [otherSize, newSize] : [oldSize, otherSize];
          fc.pre(m <= n && (m !== oldSize || n !== newSize));
          const proof = await consistencyProof(oldSize, newSize, readerAt(store, newSize));
          const accepted = !rejects(() => verifyConsistency(m, n, proof, rootOf(m), rootOf(n)));
          const honest = await consistencyProof(m, n, readerAt(store, n));
          expect(accepted).toBe(sameProof(proof, honest));
        },
      ),
      { numRuns: 300 },
    );
  });
});
