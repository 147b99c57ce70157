import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { MerkleErrorCode } from './merkle.errors.js';
import { emptyTreeRoot, entryLeafHash, leafHash, nodeHash, rootFromLeafHashes } from './merkle.js';
import { rangeDecomposition } from './merkle-tree-math.js';

interface TreeVectors {
  hasher: {
    emptyRoot: string;
    emptyLeaf: { data: string; hash: string };
    leaf: { data: string; hash: string };
    node: { left: string; right: string; hash: string };
  };
  leafInputs: string[];
  nodeHashes: string[][];
  rootHashes: string[];
}

const vectors = JSON.parse(
  readFileSync(join(process.cwd(), 'libs/ledger-core/src/testdata/merkle-tree-vectors.json'), 'utf8'),
) as TreeVectors;
const hex = (bytes: Uint8Array): string => Buffer.from(bytes).toString('hex');
const bytes = (value: string): Buffer => Buffer.from(value, 'hex');

describe('RFC 6962 hashing (transparency-dev/merkle rfc6962_test.go vectors)', () => {
  it('given nothing, when hashing the empty tree, then it is SHA-256 of the empty string', () => {
    expect(hex(emptyTreeRoot())).toBe(vectors.hasher.emptyRoot);
  });

  it('given an empty leaf, when hashing it, then the 0x00 prefix makes it differ from the empty tree', () => {
    expect(hex(leafHash(bytes(vectors.hasher.emptyLeaf.data)))).toBe(vectors.hasher.emptyLeaf.hash);
    expect(vectors.hasher.emptyLeaf.hash).not.toBe(vectors.hasher.emptyRoot);
  });

  it('given leaf data "L123456", when hashing it, then the published leaf hash comes out', () => {
    expect(hex(leafHash(bytes(vectors.hasher.leaf.data)))).toBe(vectors.hasher.leaf.hash);
  });

  it('given children "N123" and "N456", when hashing the node, then the published node hash comes out', () => {
    const { left, right, hash } = vectors.hasher.node;
    expect(hex(nodeHash(bytes(left), bytes(right)))).toBe(hash);
  });

  it('given two leaves, when swapping them or hashing their concatenation as a leaf, then the hash changes', () => {
    const a = leafHash(Buffer.from('Hello'));
    const b = leafHash(Buffer.from('World'));
    expect(hex(nodeHash(a, b))).not.toBe(hex(nodeHash(b, a)));
    expect(hex(nodeHash(a, b))).not.toBe(hex(leafHash(Buffer.concat([a, b]))));
  });
});

describe('entryLeafHash', () => {
  const entryHash = '3dd3554ade11b41dbca8cfd4f1bd8dfc2a99507e8a7c250751b7150593e0f0f8';

  it('given an entry hash, when hashing its log leaf, then the leaf data is the 32 raw bytes of the hash', () => {
    expect(hex(entryLeafHash(entryHash))).toBe(hex(leafHash(bytes(entryHash))));
    expect(hex(entryLeafHash(entryHash))).not.toBe(hex(leafHash(Buffer.from(entryHash, 'utf8'))));
  });

  it('given a hash that is not 64 lowercase hex digits, when hashing its log leaf, then it is refused', () => {
    for (const bad of [entryHash.toUpperCase(), entryHash.slice(2), `${entryHash}00`, '']) {
      expect(() => entryLeafHash(bad)).toThrow(expect.objectContaining({ code: MerkleErrorCode.MALFORMED_HASH }));
    }
  });
});

describe('rootFromLeafHashes (transparency-dev/merkle testonly constants)', () => {
  const leafHashes = vectors.leafInputs.map((input) => leafHash(bytes(input)));

  it('given the eight test leaves, when hashing each, then they are the published level-0 nodes', () => {
    expect(leafHashes.map(hex)).toEqual(vectors.nodeHashes[0]);
  });

  it.each(vectors.rootHashes.map((root, size) => [size, root]))(
    'given the first %i test leaves, when computing the root, then it is the published root',
    (size, root) => {
      expect(hex(rootFromLeafHashes(leafHashes.slice(0, size as number)))).toBe(root);
    },
  );

  it('given the eight test leaves, when computing roots of aligned ranges, then they are the published perfect subtrees', () => {
    vectors.nodeHashes.forEach((level, levelNumber) => {
      level.forEach((expected, index) => {
        const width = 2 ** levelNumber;
        expect(hex(rootFromLeafHashes(leafHashes.slice(index * width, (index + 1) * width)))).toBe(expected);
      });
    });
  });
});

describe('rangeDecomposition', () => {
  it('given a tree of 13 leaves, when decomposing [0, 13), then it is 8 + 4 + 1 leaves, left to right', () => {
    expect(rangeDecomposition(0, 13)).toEqual([
      { level: 3, index: 0 },
      { level: 2, index: 2 },
      { level: 0, index: 12 },
    ]);
  });

  it('given an aligned right edge, when decomposing [8, 11), then it is 2 + 1 leaves', () => {
    expect(rangeDecomposition(8, 11)).toEqual([
      { level: 1, index: 4 },
      { level: 0, index: 10 },
    ]);
  });

  it('given the largest tree size, when decomposing it, then there is one subtree per set bit', () => {
    expect(rangeDecomposition(0, Number.MAX_SAFE_INTEGER)).toHaveLength(53);
    expect(rangeDecomposition(0, 2 ** 52)).toEqual([{ level: 52, index: 0 }]);
  });
});
