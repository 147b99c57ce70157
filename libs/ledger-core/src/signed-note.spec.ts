import fc from 'fast-check';
import { generateKeyPairSync } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { SignedNoteError, SignedNoteErrorCode } from './signed-note.errors.js';
import {
  formatSignerKey,
  formatVerifierKey,
  generateNoteKeyPair,
  noteKeyId,
  noteSignerFromPrivateKey,
  openNote,
  parseNote,
  parseSignerKey,
  parseVerifierKey,
  signNote,
  type NoteVerifier,
} from './signed-note.js';

interface NoteVectors {
  golang: {
    peterSignerKey: string;
    peterVerifierKey: string;
    enochVerifierKey: string;
    text: string;
    peterSignatureLine: string;
    enochSignatureLine: string;
    badVerifierKeys: string[];
  };
  c2spExample: { verifierKey: string; note: string; text: string };
  c2spCurrent: { signedNote: string; checkpoint: string };
}

const vectors = JSON.parse(
  readFileSync(join(process.cwd(), 'libs/ledger-core/src/testdata/signed-note-vectors.json'), 'utf8'),
) as NoteVectors;
const go = vectors.golang;

function failure(action: () => unknown): SignedNoteErrorCode | 'succeeded' {
  try {
    action();
    return 'succeeded';
  } catch (error) {
    if (error instanceof SignedNoteError) return error.code;
    throw error;
  }
}

// Go slices the signature line by bytes; do the same so the corrupted lines match its test.
const insertAtByte = (line: string, at: number, inserted: string): string => {
  const bytes = Buffer.from(line, 'utf8');
  return Buffer.concat([bytes.subarray(0, at), Buffer.from(inserted), bytes.subarray(at)]).toString('utf8');
};

describe('signed notes: golang.org/x/mod/sumdb/note test vectors', () => {
  const peter = parseVerifierKey(go.peterVerifierKey);
  const enoch = parseVerifierKey(go.enochVerifierKey);
  const signed = `${go.text}\n${go.peterSignatureLine}${go.enochSignatureLine}`;

  it('given the PeterNeumann signer key, when parsing, then name, key ID and verifier key are the published ones', () => {
    const signer = parseSignerKey(go.peterSignerKey);
    expect(signer.name).toBe('PeterNeumann');
    expect(signer.keyId).toBe(0xc74f20a3);
    expect(signer.verifierKey).toBe(go.peterVerifierKey);
    expect(peter).toMatchObject({ name: 'PeterNeumann', keyId: 0xc74f20a3, verifierKey: go.peterVerifierKey });
  });

  it('given the seed inside the signer key, when formatting keys, then both key strings come back unchanged', () => {
    // base64 may itself contain '+': the key material is everything after the fourth one.
    const seed = Buffer.from(go.peterSignerKey.split('+').slice(4).join('+'), 'base64').subarray(1);
    expect(formatSignerKey('PeterNeumann', seed)).toBe(go.peterSignerKey);
    expect(formatVerifierKey('PeterNeumann', peter.publicKey)).toBe(go.peterVerifierKey);
    expect(noteKeyId('PeterNeumann', peter.publicKey)).toBe(0xc74f20a3);
  });

  it('given the published text, when signing with the PeterNeumann key, then the published note comes out byte for byte', () => {
    expect(signNote(go.text, [parseSignerKey(go.peterSignerKey)])).toBe(`${go.text}\n${go.peterSignatureLine}`);
  });

  it('given a note signed by Peter and Enoch, when only Peter is trusted, then Peter verifies and Enoch is ignored', () => {
    const opened = openNote(signed, [peter]);
    expect(opened.text).toBe(go.text);
    expect(opened.verifiedBy.map((v) => v.name)).toEqual(['PeterNeumann']);
    expect(opened.unverified).toEqual([
      { name: 'EnochRoot', keyId: 0xaf0cfe78, base64: go.enochSignatureLine.slice(12, -1) },
    ]);
  });

  it('given a note signed by Peter and Enoch, when both are trusted, then both verify', () => {
    expect(openNote(signed, [peter, enoch]).verifiedBy.map((v) => v.name)).toEqual(['PeterNeumann', 'EnochRoot']);
    expect(openNote(Buffer.from(signed, 'utf8'), [enoch, peter]).unverified).toEqual([]);
  });

  it('given a note signed by Peter and Enoch, when neither is trusted, then it is unverified', () => {
    expect(failure(() => openNote(signed, []))).toBe(SignedNoteErrorCode.UNVERIFIED_NOTE);
  });

  it('given 101 signature lines, when opening, then the note is refused as too large', () => {
    expect(failure(() => openNote(`${go.text}\n${go.peterSignatureLine.repeat(101)}`, [peter]))).toBe(
      SignedNoteErrorCode.MALFORMED_NOTE,
    );
    expect(openNote(`${go.text}\n${go.peterSignatureLine.repeat(100)}`, [peter]).verifiedBy).toHaveLength(1);
  });

  it('given a corrupted signature from a trusted key, when opening, then the whole note is rejected', () => {
    const corrupted = insertAtByte(go.peterSignatureLine, 60, 'ABCD');
    expect(failure(() => openNote(`${go.text}\n${corrupted}`, [peter]))).toBe(SignedNoteErrorCode.INVALID_SIGNATURE);
    expect(failure(() => openNote(`${go.text}\n${go.peterSignatureLine}${corrupted}`, [peter]))).toBe(
      SignedNoteErrorCode.INVALID_SIGNATURE,
    );
  });

  it('given repeated and corrupted lines from an untrusted key, when opening, then they are listed once each and ignored', () => {
    const enochCorrupted = insertAtByte(go.enochSignatureLine, 60, 'ABCD');
    const note = `${go.text}\n${go.peterSignatureLine}${go.peterSignatureLine}${go.enochSignatureLine}${go.enochSignatureLine}${enochCorrupted}`;
    const opened = openNote(note, [peter]);
    expect(opened.verifiedBy).toHaveLength(1);
    expect(opened.unverified.map((s) => s.base64)).toEqual([
      go.enochSignatureLine.slice(12, -1),
      enochCorrupted.slice(12, -1),
    ]);
  });

  it.each([
    ['the text alone', go.text],
    ['no signature line', `${go.text}\n`],
    ['a signature line without its newline', `${go.text}\n${go.peterSignatureLine.slice(0, -1)}`],
    ['a control character', `\u0001${go.text}\n${go.peterSignatureLine}`],
    [
      'a key name with a space',
      `${go.text}\n\u2014 Bad Name x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=`,
    ],
    ['a line that is not a signature', `${go.text}\n${go.peterSignatureLine}Unexpected line.\n`],
  ])('given %s, when opening, then the note is malformed', (_what, note) => {
    expect(failure(() => openNote(note, [peter]))).toBe(SignedNoteErrorCode.MALFORMED_NOTE);
  });

  it('given a note that is not valid UTF-8, when opening its bytes, then it is malformed', () => {
    const bytes = Buffer.concat([Buffer.from([0xff]), Buffer.from(`${go.text}\n${go.peterSignatureLine}`)]);
    expect(failure(() => openNote(bytes, [peter]))).toBe(SignedNoteErrorCode.MALFORMED_NOTE);
  });

  it('given any truncation or one-byte change of the verifier key, when parsing, then it is refused', () => {
    const key = go.peterVerifierKey;
    for (let i = 0; i <= key.length; i++) {
      for (let j = i + 1; j <= key.length; j++) {
        if (i !== 0 || j !== key.length) expect(failure(() => parseVerifierKey(key.slice(i, j)))).not.toBe('succeeded');
      }
    }
    for (let i = 0; i < key.length; i++) {
      const mangled = key.slice(0, i) + String.fromCharCode(key.charCodeAt(i) + 1) + key.slice(i + 1);
      expect(failure(() => parseVerifierKey(mangled))).not.toBe('succeeded');
    }
    expect(failure(() => parseVerifierKey(go.badVerifierKeys[0]))).toBe(SignedNoteErrorCode.MALFORMED_KEY);
    expect(failure(() => parseVerifierKey(go.badVerifierKeys[1]))).toBe(SignedNoteErrorCode.UNSUPPORTED_KEY_TYPE);
  });

  it('given any truncation or one-byte change of the signer key, when parsing, then it is refused', () => {
    const key = go.peterSignerKey;
    for (let i = 0; i <= key.length; i++) {
      for (let j = i + 1; j <= key.length; j++) {
        if (i !== 0 || j !== key.length) expect(failure(() => parseSignerKey(key.slice(i, j)))).not.toBe('succeeded');
      }
    }
    for (let i = 0; i < key.length; i++) {
      const mangled = key.slice(0, i) + String.fromCharCode(key.charCodeAt(i) + 1) + key.slice(i + 1);
      expect(failure(() => parseSignerKey(mangled))).not.toBe('succeeded');
    }
  });
});

describe('signed notes: C2SP signed-note examples', () => {
  it('given the example.com/foo example, when opening it with its published key, then the text verifies', () => {
    const key = parseVerifierKey(vectors.c2spExample.verifierKey);
    expect(key.keyId).toBe(0x530d903a);
    const opened = openNote(vectors.c2spExample.note, [key]);
    expect(opened.text).toBe(vectors.c2spExample.text);
    expect(opened.verifiedBy).toEqual([key]);
  });

  it('given the example.com/foo example, when one letter of the text changes, then its signature is rejected', () => {
    const key = parseVerifierKey(vectors.c2spExample.verifierKey);
    const tampered = vectors.c2spExample.note.replace('example message', 'exemple message');
    expect(failure(() => openNote(tampered, [key]))).toBe(SignedNoteErrorCode.INVALID_SIGNATURE);
  });

  it('given the current spec example, whose text holds a blank line, when parsing, then the last blank line ends the text', () => {
    const parsed = parseNote(vectors.c2spCurrent.signedNote);
    expect(parsed.text).toBe(
      'Ognuno sta solo sul cuor della terra\ntrafitto da un raggio di sole:\n\ned \u00e8 subito sera.\n',
    );
    expect(parsed.signatures).toEqual([
      expect.objectContaining({ name: 'quasimodo.example/salvatore', keyId: 0x367ba04b }),
    ]);
  });

  it('given the current spec example, whose key is not published, when opening it, then it stays unverified', () => {
    const stranger = parseVerifierKey(generateNoteKeyPair('quasimodo.example/salvatore').verifierKey);
    expect(failure(() => openNote(vectors.c2spCurrent.signedNote, [stranger]))).toBe(
      SignedNoteErrorCode.UNVERIFIED_NOTE,
    );
  });
});

describe('signed notes: signing and opening', () => {
  const log = generateNoteKeyPair('ledger.example/log');
  const witness = generateNoteKeyPair('witness.example/w1');
  const logSigner = parseSignerKey(log.signerKey);
  const logVerifier = parseVerifierKey(log.verifierKey);
  const witnessVerifier = parseVerifierKey(witness.verifierKey);

  it('given a generated key pair, when parsing both halves, then they agree on name and key ID', () => {
    expect(logSigner.verifierKey).toBe(log.verifierKey);
    expect(logVerifier.keyId).toBe(logSigner.keyId);
    expect(log.signerKey).toMatch(/^PRIVATE\+KEY\+ledger\.example\/log\+[0-9a-f]{8}\+A[A-Za-z0-9+/]{43}$/);
  });

  it('given a note signed by two keys, when opening with both, one or none trusted, then the outcome follows the trust', () => {
    const note = signNote('hello\n\nworld\n', [logSigner, parseSignerKey(witness.signerKey)]);
    expect(openNote(note, [logVerifier, witnessVerifier]).verifiedBy).toEqual([logVerifier, witnessVerifier]);
    expect(openNote(note, [witnessVerifier]).text).toBe('hello\n\nworld\n');
    expect(failure(() => openNote(note, []))).toBe(SignedNoteErrorCode.UNVERIFIED_NOTE);
  });

  it('given a signed note, when opened with another key of the same name, then that key’s ID differs and the note is unverified', () => {
    const impostor = parseVerifierKey(generateNoteKeyPair('ledger.example/log').verifierKey);
    expect(failure(() => openNote(signNote('x\n', [logSigner]), [impostor]))).toBe(SignedNoteErrorCode.UNVERIFIED_NOTE);
  });

  it('given a trusted key whose name and ID match but whose public key differs, when opening, then the signature is rejected', () => {
    const colliding: NoteVerifier = {
      ...witnessVerifier,
      name: logVerifier.name,
      keyId: logVerifier.keyId,
      verify: witnessVerifier.verify,
    };
    expect(failure(() => openNote(signNote('x\n', [logSigner]), [colliding]))).toBe(
      SignedNoteErrorCode.INVALID_SIGNATURE,
    );
    expect(failure(() => openNote(signNote('x\n', [logSigner]), [logVerifier, colliding]))).toBe(
      SignedNoteErrorCode.AMBIGUOUS_KEY,
    );
  });

  it('given a note whose text starts with a byte order mark, when opening its bytes, then the mark is kept and verifies', () => {
    const note = signNote('\ufeffbom\n', [logSigner]);
    expect(openNote(Buffer.from(note, 'utf8'), [logVerifier]).text).toBe('\ufeffbom\n');
  });

  it('given a note above the size limit, when opening, then it is refused before any verification', () => {
    const note = signNote(`${'a'.repeat(200)}\n`, [logSigner]);
    expect(failure(() => openNote(note, [logVerifier], { maxBytes: 100 }))).toBe(SignedNoteErrorCode.MALFORMED_NOTE);
  });

  it.each([
    ['no final newline', 'abc'],
    ['the empty text', ''],
    ['a carriage return', 'a\r\n'],
    ['a tab', 'a\tb\n'],
    ['a lone surrogate', 'a\ud800\n'],
  ])('given a text with %s, when signing, then it is refused', (_what, text) => {
    expect(failure(() => signNote(text, [logSigner]))).toBe(SignedNoteErrorCode.MALFORMED_NOTE);
  });

  it('given no signer or the same signer twice, when signing, then it is refused', () => {
    expect(failure(() => signNote('a\n', []))).toBe(SignedNoteErrorCode.MALFORMED_NOTE);
    expect(failure(() => signNote('a\n', [logSigner, logSigner]))).toBe(SignedNoteErrorCode.AMBIGUOUS_KEY);
  });

  it('given invalid key names, when generating keys, then they are refused', () => {
    for (const name of ['', 'a b', 'a+b', 'a\u00a0b', 'a\nb']) {
      expect(failure(() => generateNoteKeyPair(name))).toBe(SignedNoteErrorCode.MALFORMED_KEY);
    }
  });

  it('given an Ed25519 KeyObject, when signing with it, then its verifier key opens the note; other key types are refused', () => {
    const { privateKey } = generateKeyPairSync('ed25519');
    const signer = noteSignerFromPrivateKey('kms.example/key', privateKey);
    expect(openNote(signNote('k\n', [signer]), [parseVerifierKey(signer.verifierKey)]).text).toBe('k\n');
    const { privateKey: ecKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    expect(failure(() => noteSignerFromPrivateKey('kms.example/key', ecKey))).toBe(
      SignedNoteErrorCode.UNSUPPORTED_KEY_TYPE,
    );
  });

  it('given random texts, when signed and opened, then the text comes back and any one-character change is rejected', () => {
    const line = fc.string({ unit: 'grapheme', minLength: 1, maxLength: 40 }).filter((s) => !/[\u0000-\u001f]/.test(s));
    fc.assert(
      fc.property(fc.array(line, { minLength: 1, maxLength: 5 }), fc.nat(), (lines, at) => {
        const text = `${lines.join('\n')}\n`;
        const note = signNote(text, [logSigner]);
        expect(openNote(note, [logVerifier]).text).toBe(text);
        const position = at % (text.length - 1);
        const changed = text.slice(0, position) + (text[position] === 'x' ? 'y' : 'x') + text.slice(position + 1);
        fc.pre(changed.isWellFormed());
        expect(failure(() => openNote(changed + note.slice(text.length), [logVerifier]))).not.toBe('succeeded');
      }),
      { numRuns: 100 },
    );
  });
});
