import fc from 'fast-check';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CheckpointError, CheckpointErrorCode } from './checkpoint.errors.js';
import { formatCheckpoint, openCheckpoint, parseCheckpoint, signCheckpoint, type Checkpoint } from './checkpoint.js';
import { CompactRange } from './merkle-compact-range.js';
import { leafHash } from './merkle.js';
import { SignedNoteError, SignedNoteErrorCode } from './signed-note.errors.js';
import { generateNoteKeyPair, parseNote, parseSignerKey, parseVerifierKey, signNote } from './signed-note.js';

const vectors = JSON.parse(
  readFileSync(join(process.cwd(), 'libs/ledger-core/src/testdata/signed-note-vectors.json'), 'utf8'),
) as { c2spCurrent: { checkpoint: string } };

function failure(action: () => unknown): string {
  try {
    action();
    return 'succeeded';
  } catch (error) {
    if (error instanceof CheckpointError || error instanceof SignedNoteError) return error.code;
    throw error;
  }
}

const root = Buffer.alloc(32, 7);
const rootLine = root.toString('base64');

describe('parseCheckpoint', () => {
  it('given the c2sp.org/tlog-checkpoint example, when parsing its text, then origin, size and root come out', () => {
    const { text } = parseNote(vectors.c2spCurrent.checkpoint);
    const checkpoint = parseCheckpoint(text);
    expect(checkpoint).toEqual({
      origin: 'example.com/behind-the-sofa',
      size: 20852163,
      rootHash: Buffer.from('CsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=', 'base64'),
    });
    expect(formatCheckpoint(checkpoint)).toBe(text);
  });

  it('given extension lines, when parsing, then they are kept in order', () => {
    expect(parseCheckpoint(`log.example\n0\n${rootLine}\nfirst\nsecond\n`).extensions).toEqual(['first', 'second']);
  });

  it('given an empty tree, when parsing size 0, then it is accepted', () => {
    expect(parseCheckpoint(`log.example\n0\n${rootLine}\n`).size).toBe(0);
  });

  it.each([
    ['a missing final newline', `log.example\n1\n${rootLine}`],
    ['only two lines', `log.example\n1\n`],
    ['an empty origin', `\n1\n${rootLine}\n`],
    ['an empty extension line', `log.example\n1\n${rootLine}\n\n`],
    ['a leading zero', `log.example\n01\n${rootLine}\n`],
    ['a sign', `log.example\n+1\n${rootLine}\n`],
    ['a negative size', `log.example\n-1\n${rootLine}\n`],
    ['a size with spaces', `log.example\n 1\n${rootLine}\n`],
    ['a size beyond 2^53 − 1', `log.example\n9007199254740992\n${rootLine}\n`],
    ['a root hash of 31 bytes', `log.example\n1\n${Buffer.alloc(31).toString('base64')}\n`],
    ['a root hash in base64url', `log.example\n1\n${Buffer.alloc(32, 0xfb).toString('base64url')}\n`],
    ['a root hash without padding', `log.example\n1\n${rootLine.replace(/=+$/, '')}\n`],
    ['a root hash in hex', `log.example\n1\n${root.toString('hex')}\n`],
    ['a carriage return', `log.example\r\n1\n${rootLine}\n`],
  ])('given %s, when parsing, then the checkpoint is malformed', (_what, text) => {
    expect(failure(() => parseCheckpoint(text))).toBe(CheckpointErrorCode.MALFORMED_CHECKPOINT);
  });
});

describe('formatCheckpoint', () => {
  it('given a tree head, when formatting, then it is origin, size and base64 root, one per line', () => {
    expect(formatCheckpoint({ origin: 'ledger.example/log', size: 20852163, rootHash: root })).toBe(
      `ledger.example/log\n20852163\n${rootLine}\n`,
    );
  });

  it.each([
    ['an origin with a space', { origin: 'a b', size: 1, rootHash: root }],
    ['an origin with a plus', { origin: 'a+b', size: 1, rootHash: root }],
    ['an empty origin', { origin: '', size: 1, rootHash: root }],
    ['a negative size', { origin: 'log', size: -1, rootHash: root }],
    ['a fractional size', { origin: 'log', size: 1.5, rootHash: root }],
    ['a short root hash', { origin: 'log', size: 1, rootHash: root.subarray(1) }],
    ['an empty extension line', { origin: 'log', size: 1, rootHash: root, extensions: [''] }],
    ['an extension with a newline', { origin: 'log', size: 1, rootHash: root, extensions: ['a\nb'] }],
  ])('given %s, when formatting, then it is refused', (_what, checkpoint) => {
    expect(failure(() => formatCheckpoint(checkpoint as Checkpoint))).toBe(CheckpointErrorCode.MALFORMED_CHECKPOINT);
  });

  it('given random tree heads, when formatting then parsing, then the same tree head comes back', () => {
    fc.assert(
      fc.property(
        fc.stringMatching(/^[a-z0-9.\/-]{1,30}$/),
        fc.nat({ max: Number.MAX_SAFE_INTEGER }),
        fc.uint8Array({ minLength: 32, maxLength: 32 }),
        fc.array(fc.stringMatching(/^[ -~]{1,20}$/), { maxLength: 3 }),
        (origin, size, rootHash, extensions) => {
          const checkpoint: Checkpoint = {
            origin,
            size,
            rootHash: Buffer.from(rootHash),
            ...(extensions.length > 0 ? { extensions } : {}),
          };
          expect(parseCheckpoint(formatCheckpoint(checkpoint))).toEqual(checkpoint);
        },
      ),
    );
  });
});

describe('signed checkpoints', () => {
  const keys = generateNoteKeyPair('ledger.example/log');
  const signer = parseSignerKey(keys.signerKey);
  const verifier = parseVerifierKey(keys.verifierKey);

  it('given the root of a real log, when signing and opening the checkpoint, then the tree head comes back from the trusted key', () => {
    const range = CompactRange.empty();
    for (let i = 0; i < 5; i++) range.append(leafHash(Buffer.from(`entry ${i}`)));
    const checkpoint = { origin: 'ledger.example/log', size: range.size, rootHash: range.root() };
    const note = signCheckpoint(checkpoint, [signer]);
    const opened = openCheckpoint(note, [verifier], { origin: 'ledger.example/log' });
    expect(opened.checkpoint).toEqual({ ...checkpoint, rootHash: Buffer.from(checkpoint.rootHash) });
    expect(opened.verifiedBy).toEqual([verifier]);
  });

  it('given a signed checkpoint, when the size is changed, then the signature no longer verifies', () => {
    const note = signCheckpoint({ origin: 'ledger.example/log', size: 41, rootHash: root }, [signer]);
    expect(failure(() => openCheckpoint(note.replace('\n41\n', '\n42\n'), [verifier]))).toBe(
      SignedNoteErrorCode.INVALID_SIGNATURE,
    );
  });

  it('given a checkpoint of another log, when opening it for ours, then the origin is refused', () => {
    const note = signCheckpoint({ origin: 'other.example/log', size: 1, rootHash: root }, [signer]);
    expect(failure(() => openCheckpoint(note, [verifier], { origin: 'ledger.example/log' }))).toBe(
      CheckpointErrorCode.ORIGIN_MISMATCH,
    );
  });

  it('given a validly signed note that is not a checkpoint, when opening it as one, then it is malformed', () => {
    const note = signNote('hello\nworld\n', [signer]);
    expect(failure(() => openCheckpoint(note, [verifier]))).toBe(CheckpointErrorCode.MALFORMED_CHECKPOINT);
  });
});
