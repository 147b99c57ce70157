import { randomBytes } from 'node:crypto';
import { CompactRange, entryLeafHash, rootFromLeafHashes, treeRootPlan } from '@charity-ledger/ledger-core';
import { coveringSubtrees, MerkleRootBuilder } from './merkle-root-builder.js';

const entryHashes = (count: number): string[] => Array.from({ length: count }, () => randomBytes(32).toString('hex'));
const hex = (bytes: Uint8Array): string => Buffer.from(bytes).toString('hex');

describe('MerkleRootBuilder (the verifier’s streaming root), against ledger-core', () => {
  it('given 0 to 300 leaves, when built leaf by leaf, then every root equals the RFC 6962 definition', () => {
    const hashes = entryHashes(300);
    const builder = new MerkleRootBuilder();
    const leaves: Uint8Array[] = [];
    expect(hex(builder.root())).toBe(hex(rootFromLeafHashes([])));
    for (const entryHash of hashes) {
      const leaf = builder.appendEntryHash(entryHash);
      leaves.push(entryLeafHash(entryHash));
      expect(Buffer.from(leaf, 'binary').toString('hex')).toBe(hex(leaves.at(-1)!));
      expect(hex(builder.root())).toBe(hex(rootFromLeafHashes(leaves)));
    }
    expect(builder.size).toBe(300);
  });

  it('given runs of leaves summarized by their covering subtrees, when appended, then the root is the same as leaf by leaf', () => {
    const hashes = entryHashes(1000);
    const range = CompactRange.empty();
    const stored = new Map<string, Uint8Array>();
    for (const entryHash of hashes) for (const node of range.append(entryLeafHash(entryHash))) stored.set(`${node.level}:${node.index}`, node.hash);
    for (let trial = 0; trial < 50; trial++) {
      // keep a few random positions as leaves, summarize every run between them
      const kept = [...new Set(Array.from({ length: 1 + (trial % 7) }, () => Math.floor(Math.random() * 1000)))].sort((a, b) => a - b);
      const builder = new MerkleRootBuilder();
      let next = 0;
      const gap = (end: number) => {
        for (const id of coveringSubtrees(next, end)) builder.appendSubtree(id.level, stored.get(`${id.level}:${id.index}`)!);
      };
      for (const index of kept) {
        gap(index);
        builder.appendEntryHash(hashes[index]);
        next = index + 1;
      }
      gap(1000);
      expect(hex(builder.root())).toBe(hex(range.root()));
    }
  });

  it('given the perfect subtrees of a prefix, when the rest is appended, then the root is the whole tree’s', () => {
    const hashes = entryHashes(777);
    const full = CompactRange.empty();
    const nodes = new Map<string, Uint8Array>();
    for (const entryHash of hashes) for (const node of full.append(entryLeafHash(entryHash))) nodes.set(`${node.level}:${node.index}`, node.hash);
    for (const prefix of [0, 1, 2, 3, 64, 100, 511, 776]) {
      const builder = MerkleRootBuilder.fromPerfectSubtrees(prefix, treeRootPlan(prefix).map((id) => nodes.get(`${id.level}:${id.index}`)!));
      for (const entryHash of hashes.slice(prefix)) builder.appendEntryHash(entryHash);
      expect(hex(builder.root())).toBe(hex(full.root()));
    }
  });

  it('given a subtree that does not start at its alignment, when appended, then it is refused', () => {
    const builder = new MerkleRootBuilder();
    builder.appendEntryHash(randomBytes(32).toString('hex'));
    expect(() => builder.appendSubtree(1, randomBytes(32))).toThrow(/cannot follow 1 leaves/);
  });
});

describe('coveringSubtrees', () => {
  it('given any range, when covered, then the subtrees are aligned, contiguous and exactly fill it', () => {
    for (let begin = 0; begin < 70; begin++) {
      for (let end = begin; end < 140; end++) {
        let position = begin;
        for (const { level, index } of coveringSubtrees(begin, end)) {
          expect(index * 2 ** level).toBe(position);
          position += 2 ** level;
        }
        expect(position).toBe(end);
      }
    }
  });
});
