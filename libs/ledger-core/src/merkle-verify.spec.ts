import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { MerkleErrorCode, MerkleProofError } from './merkle.errors.js';
import { nodeHash } from './merkle.js';
import { verifyConsistency, verifyInclusion } from './merkle-verify.js';

interface VectorFile<P> {
  source: string;
  cases: Array<{ path: string; commit: string; probe: P }>;
}

interface InclusionProbe {
  leafIdx?: number;
  leafIndex?: number; // older files of the same suite spell it so
  treeSize: number;
  root: string;
  leafHash: string;
  proof: string[] | null;
  desc: string;
  wantErr: boolean;
}

interface ConsistencyProbe {
  size1: number;
  size2: number;
  root1: string;
  root2: string;
  proof: string[] | null;
  desc: string;
  wantErr: boolean;
}

function load<P>(name: string): VectorFile<P> {
  // JSON.parse turns the one index of 2^64 − 1 into an unsafe float; the verifier
  // refuses unsafe integers, which is the expected outcome for that case.
  return JSON.parse(readFileSync(join(process.cwd(), 'libs/ledger-core/src/testdata', name), 'utf8')) as VectorFile<P>;
}

const b64 = (value: string): Buffer => Buffer.from(value, 'base64');
const inclusion = load<InclusionProbe>('merkle-inclusion-vectors.json');
const consistency = load<ConsistencyProbe>('merkle-consistency-vectors.json');

function outcome(check: () => void): 'verified' | MerkleErrorCode {
  try {
    check();
    return 'verified';
  } catch (error) {
    if (error instanceof MerkleProofError) return error.code;
    throw error;
  }
}

describe('verifyInclusion against transparency-dev/merkle testdata/inclusion', () => {
  it('given the vector file, when counting, then it holds all 98 published cases of which 6 are valid', () => {
    expect(inclusion.cases).toHaveLength(98);
    expect(inclusion.cases.filter((c) => !c.probe.wantErr)).toHaveLength(6);
  });

  it.each(inclusion.cases.map((c) => [c.path, c.probe]))('%s', (_path, probe) => {
    const p = probe as InclusionProbe;
    const result = outcome(() =>
      verifyInclusion(b64(p.leafHash), (p.leafIdx ?? p.leafIndex)!, p.treeSize, (p.proof ?? []).map(b64), b64(p.root)),
    );
    if (p.wantErr) expect(result).not.toBe('verified');
    else expect(result).toBe('verified');
  });
});

describe('verifyConsistency against transparency-dev/merkle testdata/consistency', () => {
  it('given the vector file, when counting, then it holds all 98 published cases of which 6 are valid', () => {
    expect(consistency.cases).toHaveLength(98);
    expect(consistency.cases.filter((c) => !c.probe.wantErr)).toHaveLength(6);
  });

  it.each(consistency.cases.map((c) => [c.path, c.probe]))('%s', (_path, probe) => {
    const p = probe as ConsistencyProbe;
    const result = outcome(() =>
      verifyConsistency(p.size1, p.size2, (p.proof ?? []).map(b64), b64(p.root1), b64(p.root2)),
    );
    if (p.wantErr) expect(result).not.toBe('verified');
    else expect(result).toBe('verified');
  });
});

describe('verifyInclusion edge cases', () => {
  // Tree of 3 leaves a, b, c: root = H(H(a, b), c).
  const [a, b, c] = ['a', 'b', 'c'].map((s) => Buffer.alloc(32, s));
  const hash = (l: Buffer, r: Buffer): Buffer => Buffer.from(nodeHash(l, r));
  const ab = hash(a, b);
  const root = hash(ab, c);

  it('given a valid proof, when verifying, then it returns normally', () => {
    expect(outcome(() => verifyInclusion(c, 2, 3, [ab], root))).toBe('verified');
    expect(outcome(() => verifyInclusion(a, 0, 3, [b, c], root))).toBe('verified');
  });

  it('given an index at or beyond the size, when verifying, then it is an invalid argument', () => {
    expect(outcome(() => verifyInclusion(c, 3, 3, [ab], root))).toBe(MerkleErrorCode.INVALID_ARGUMENT);
    expect(outcome(() => verifyInclusion(c, 0, 0, [], root))).toBe(MerkleErrorCode.INVALID_ARGUMENT);
    expect(outcome(() => verifyInclusion(c, -1, 3, [ab], root))).toBe(MerkleErrorCode.INVALID_ARGUMENT);
    expect(outcome(() => verifyInclusion(c, 1.5, 3, [ab], root))).toBe(MerkleErrorCode.INVALID_ARGUMENT);
    expect(outcome(() => verifyInclusion(c, 2, 2 ** 64, [ab], root))).toBe(MerkleErrorCode.INVALID_ARGUMENT);
  });

  it('given a proof one element too long or too short, when verifying, then the length is the reason', () => {
    expect(outcome(() => verifyInclusion(c, 2, 3, [ab, ab], root))).toBe(MerkleErrorCode.WRONG_PROOF_LENGTH);
    expect(outcome(() => verifyInclusion(a, 0, 3, [b], root))).toBe(MerkleErrorCode.WRONG_PROOF_LENGTH);
  });

  it('given a leaf hash or proof element that is not 32 bytes, when verifying, then it is malformed', () => {
    expect(outcome(() => verifyInclusion(c.subarray(1), 2, 3, [ab], root))).toBe(MerkleErrorCode.MALFORMED_HASH);
    expect(outcome(() => verifyInclusion(c, 2, 3, [Buffer.concat([ab, a])], root))).toBe(
      MerkleErrorCode.MALFORMED_HASH,
    );
  });

  it('given the right shape but another root, when verifying, then the root is the reason', () => {
    expect(outcome(() => verifyInclusion(c, 2, 3, [ab], ab))).toBe(MerkleErrorCode.ROOT_MISMATCH);
  });
});

describe('verifyConsistency edge cases', () => {
  const [a, b, c] = ['a', 'b', 'c'].map((s) => Buffer.alloc(32, s));
  const ab = Buffer.from(nodeHash(a, b));
  const root3 = Buffer.from(nodeHash(ab, c));

  it('given a valid 2 → 3 proof, when verifying, then it returns normally', () => {
    expect(outcome(() => verifyConsistency(2, 3, [c], ab, root3))).toBe('verified');
  });

  it('given equal sizes, when the proof is empty and the roots equal, then it verifies, and otherwise not', () => {
    expect(outcome(() => verifyConsistency(3, 3, [], root3, root3))).toBe('verified');
    expect(outcome(() => verifyConsistency(3, 3, [c], root3, root3))).toBe(MerkleErrorCode.WRONG_PROOF_LENGTH);
    expect(outcome(() => verifyConsistency(3, 3, [], root3, ab))).toBe(MerkleErrorCode.ROOT_MISMATCH);
  });

  it('given an old size above the new one or of zero, when verifying, then it is an invalid argument', () => {
    expect(outcome(() => verifyConsistency(3, 2, [c], root3, ab))).toBe(MerkleErrorCode.INVALID_ARGUMENT);
    expect(outcome(() => verifyConsistency(0, 3, [], root3, root3))).toBe(MerkleErrorCode.INVALID_ARGUMENT);
    expect(outcome(() => verifyConsistency(0, 0, [], root3, root3))).toBe(MerkleErrorCode.INVALID_ARGUMENT);
  });

  it('given a proof that is empty, too long or too short, when verifying, then the length is the reason', () => {
    expect(outcome(() => verifyConsistency(2, 3, [], ab, root3))).toBe(MerkleErrorCode.WRONG_PROOF_LENGTH);
    expect(outcome(() => verifyConsistency(2, 3, [c, c], ab, root3))).toBe(MerkleErrorCode.WRONG_PROOF_LENGTH);
    expect(outcome(() => verifyConsistency(1, 3, [b], a, root3))).toBe(MerkleErrorCode.WRONG_PROOF_LENGTH);
  });

  it('given a proof towards another new root, when verifying, then the root is the reason', () => {
    expect(outcome(() => verifyConsistency(2, 3, [c], ab, ab))).toBe(MerkleErrorCode.ROOT_MISMATCH);
  });
});
