import fc from 'fast-check';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CompactRange } from './merkle-compact-range.js';
import { MerkleErrorCode } from './merkle.errors.js';
import { leafHash, rootFromLeafHashes, type MerkleNode } from './merkle.js';

interface TreeVectors {
  leafInputs: string[];
  nodeHashes: string[][];
  rootHashes: string[];
  compactTrees: Array<Array<[number, number]>>;
}

const vectors = JSON.parse(
  readFileSync(join(process.cwd(), 'libs/ledger-core/src/testdata/merkle-tree-vectors.json'), 'utf8'),
) as TreeVectors;
const hex = (bytes: Uint8Array): string => Buffer.from(bytes).toString('hex');
const described = (nodes: MerkleNode[]): string[] => nodes.map((n) => `${n.level}:${n.index}:${hex(n.hash)}`);

describe('CompactRange against transparency-dev/merkle testonly constants', () => {
  const leafHashes = vectors.leafInputs.map((input) => leafHash(Buffer.from(input, 'hex')));

  it('given an empty range, when asking for the root, then it is the empty-tree hash', () => {
    expect(CompactRange.empty().size).toBe(0);
    expect(hex(CompactRange.empty().root())).toBe(vectors.rootHashes[0]);
  });

  it('given the eight test leaves appended one by one, then after each the root and subtrees are the published ones', () => {
    const range = CompactRange.empty();
    leafHashes.forEach((hash, i) => {
      range.append(hash);
      const size = i + 1;
      expect(range.size).toBe(size);
      expect(hex(range.root())).toBe(vectors.rootHashes[size]);
      expect(described(range.perfectSubtrees())).toEqual(
        vectors.compactTrees[size].map(([level, index]) => `${level}:${index}:${vectors.nodeHashes[level][index]}`),
      );
    });
  });

  it('given the eight test leaves, when appending, then each append reports exactly the subtrees it completed', () => {
    const range = CompactRange.empty();
    const reported = leafHashes.map((hash) => range.append(hash).map((n) => `${n.level}:${n.index}`));
    expect(reported).toEqual([
      ['0:0'],
      ['0:1', '1:0'],
      ['0:2'],
      ['0:3', '1:1', '2:0'],
      ['0:4'],
      ['0:5', '1:2'],
      ['0:6'],
      ['0:7', '1:3', '2:1', '3:0'],
    ]);
  });

  it('given all appends of the eight leaves, when collecting the reported nodes, then they are every published perfect subtree', () => {
    const range = CompactRange.empty();
    const stored = leafHashes.flatMap((hash) => described(range.append(hash))).sort();
    const published = vectors.nodeHashes
      .flatMap((level, l) => level.map((hash, index) => `${l}:${index}:${hash}`))
      .sort();
    expect(stored).toEqual(published);
  });
});

describe('CompactRange properties', () => {
  const leavesFor = (count: number, seed: number): Uint8Array[] =>
    Array.from({ length: count }, (_, i) => leafHash(Buffer.from(`${seed}/${i}`)));

  it('given random leaves, when appending, then the root equals the RFC 6962 root at every size', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 400 }), fc.nat(), (count, seed) => {
        const leaves = leavesFor(count, seed);
        const range = CompactRange.empty();
        leaves.forEach((hash, i) => {
          range.append(hash);
          expect(hex(range.root())).toBe(hex(rootFromLeafHashes(leaves.slice(0, i + 1))));
        });
      }),
      { numRuns: 20 },
    );
  });

  it('given a log of a few thousand leaves, when appending, then the final root equals the RFC 6962 root', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1000, max: 5000 }), fc.nat(), (count, seed) => {
        const leaves = leavesFor(count, seed);
        const range = CompactRange.empty();
        leaves.forEach((hash) => range.append(hash));
        expect(hex(range.root())).toBe(hex(rootFromLeafHashes(leaves)));
      }),
      { numRuns: 10 },
    );
  });

  it('given stored nodes, when resuming at any size, then the state, root and later appends are the same', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 0, max: 600 }),
        fc.integer({ min: 0, max: 100 }),
        fc.nat(),
        async (size, more, seed) => {
          const leaves = leavesFor(size + more, seed);
          const original = CompactRange.empty();
          const store = new Map<string, Uint8Array>();
          leaves.slice(0, size).forEach((hash) => {
            for (const node of original.append(hash)) store.set(`${node.level}:${node.index}`, node.hash);
          });
          const reads: string[] = [];
          const resumed = await CompactRange.fromNodes(size, async (level, index) => {
            reads.push(`${level}:${index}`);
            return store.get(`${level}:${index}`)!;
          });
          expect(reads).toEqual(CompactRange.nodeIds(size).map((id) => `${id.level}:${id.index}`));
          expect(resumed.size).toBe(size);
          expect(described(resumed.perfectSubtrees())).toEqual(described(original.perfectSubtrees()));
          expect(hex(resumed.root())).toBe(hex(original.root()));
          for (const hash of leaves.slice(size)) {
            expect(described(resumed.append(hash))).toEqual(described(original.append(hash)));
          }
          expect(hex(resumed.root())).toBe(hex(original.root()));
        },
      ),
      { numRuns: 50 },
    );
  });

  it('given the wrong number of hashes or a short hash, when resuming, then it refuses', () => {
    const hash = leafHash(Buffer.from('x'));
    expect(() => CompactRange.fromHashes(3, [hash])).toThrow(
      expect.objectContaining({ code: MerkleErrorCode.INVALID_ARGUMENT }),
    );
    expect(() => CompactRange.fromHashes(1, [hash.subarray(1)])).toThrow(
      expect.objectContaining({ code: MerkleErrorCode.MALFORMED_HASH }),
    );
    expect(() => CompactRange.empty().append(Buffer.alloc(33))).toThrow(
      expect.objectContaining({ code: MerkleErrorCode.MALFORMED_HASH }),
    );
  });

  it('given a reported node, when the caller mutates it, then the range is unaffected', () => {
    const range = CompactRange.empty();
    const [leaf] = range.append(leafHash(Buffer.from('a')));
    const before = hex(range.root());
    leaf.hash.fill(0);
    expect(hex(range.root())).toBe(before);
  });
});
