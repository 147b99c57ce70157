import { createHash, createPrivateKey, createPublicKey, randomBytes, sign, verify, type KeyObject } from 'node:crypto';
import { SignedNoteError, SignedNoteErrorCode } from './signed-note.errors.js';

// C2SP signed notes (c2sp.org/signed-note), Ed25519 only, written to interoperate
// with Go's golang.org/x/mod/sumdb/note, the format's reference implementation.

/** Signature type identifier byte of Ed25519 in key IDs and verifier keys. */
export const ED25519_SIGNATURE_TYPE = 0x01;

/** Most signature lines `openNote` accepts by default (the spec requires at least 16; Go allows 100). */
export const MAX_NOTE_SIGNATURES = 100;

/** Largest note `openNote` accepts by default, in UTF-8 bytes. */
export const MAX_NOTE_BYTES = 1024 * 1024;

const SIGNATURE_PREFIX = '\u2014 '; // em dash, space
const ED25519_KEY_SIZE = 32;
const SIGNER_KEY_PREFIX = 'PRIVATE+KEY+';
// DER headers that turn a raw Ed25519 seed or public key into a PKCS#8 / SPKI
// structure, the only raw-key doors node:crypto has (RFC 8410).
const PKCS8_ED25519_PREFIX = Buffer.from('302e020100300506032b657004220420', 'hex');
const SPKI_ED25519_PREFIX = Buffer.from('302a300506032b6570032100', 'hex');

/** A trusted public key that can check signatures on notes. */
export interface NoteVerifier {
  readonly name: string;
  /** The 32-bit key ID, as the first 4 bytes (big-endian) of every signature. */
  readonly keyId: number;
  /** Raw 32-byte Ed25519 public key. */
  readonly publicKey: Uint8Array;
  /** The key in verifier-key form `<name>+<hex id>+<base64(0x01 ‖ key)>`. */
  readonly verifierKey: string;
  verify(message: Uint8Array, signature: Uint8Array): boolean;
}

/** A private key that signs notes. */
export interface NoteSigner {
  readonly name: string;
  readonly keyId: number;
  /** The matching verifier key, to publish. */
  readonly verifierKey: string;
  sign(message: Uint8Array): Uint8Array;
}

/** One signature line as written on a note. */
export interface NoteSignature {
  name: string;
  keyId: number;
  /** base64(4-byte key ID ‖ signature), exactly as on the line. */
  base64: string;
}

/** A note split into its text and signature lines, not yet verified. */
export interface ParsedNote {
  /** The signed text, ending in a newline. */
  text: string;
  signatures: NoteSignature[];
}

/** A note whose signatures from trusted keys all verified, at least one of them. */
export interface OpenedNote {
  text: string;
  /** The trusted keys that signed the note, each once, in order of first signature. */
  verifiedBy: NoteVerifier[];
  /** Signatures from keys not in the trusted list (ignored, as the spec requires). */
  unverified: NoteSignature[];
}

export interface OpenNoteOptions {
  /** Default `MAX_NOTE_SIGNATURES`. */
  maxSignatures?: number;
  /** Default `MAX_NOTE_BYTES`. */
  maxBytes?: number;
}

/** Whether `name` can name a key: non-empty, without Unicode spaces or '+'. */
export function isValidKeyName(name: string): boolean {
  return name.length > 0 && name.isWellFormed() && !/[\p{White_Space}+]/u.test(name);
}

/** Key ID of an Ed25519 key: SHA-256(name ‖ 0x0A ‖ 0x01 ‖ public key)[:4] as a big-endian uint32. */
export function noteKeyId(name: string, publicKey: Uint8Array): number {
  return keyIdOf(name, Buffer.concat([Uint8Array.of(ED25519_SIGNATURE_TYPE), publicKey]));
}

/** Verifier key string `<name>+<hex key id>+<base64(0x01 ‖ public key)>`. */
export function formatVerifierKey(name: string, publicKey: Uint8Array): string {
  assertKeyName(name);
  assertKeySize(publicKey, 'public key');
  const typedKey = Buffer.concat([Uint8Array.of(ED25519_SIGNATURE_TYPE), publicKey]);
  return `${name}+${hexKeyId(keyIdOf(name, typedKey))}+${typedKey.toString('base64')}`;
}

/** Signer key string `PRIVATE+KEY+<name>+<hex key id>+<base64(0x01 ‖ 32-byte seed)>`; keep it secret. */
export function formatSignerKey(name: string, seed: Uint8Array): string {
  assertKeyName(name);
  assertKeySize(seed, 'private key seed');
  const publicKey = publicKeyOfSeed(seed);
  const typedSeed = Buffer.concat([Uint8Array.of(ED25519_SIGNATURE_TYPE), seed]);
  return `${SIGNER_KEY_PREFIX}${name}+${hexKeyId(noteKeyId(name, publicKey))}+${typedSeed.toString('base64')}`;
}

/** A fresh Ed25519 key pair for `name`, as signer and verifier key strings. */
export function generateNoteKeyPair(name: string): { signerKey: string; verifierKey: string } {
  const seed = randomBytes(ED25519_KEY_SIZE);
  return { signerKey: formatSignerKey(name, seed), verifierKey: formatVerifierKey(name, publicKeyOfSeed(seed)) };
}

/** Parses a verifier key string; throws a SignedNoteError if it is malformed or inconsistent. */
export function parseVerifierKey(verifierKey: string): NoteVerifier {
  const [name, hex, encoded] = splitKey(verifierKey, 'verifier key');
  const typedKey = decodeKeyMaterial(encoded, 'verifier key');
  if (keyIdOf(name, typedKey) !== Number.parseInt(hex, 16)) {
    throw new SignedNoteError(
      SignedNoteErrorCode.KEY_ID_MISMATCH,
      `verifier key ${name}: key ID ${hex} does not match the key`,
    );
  }
  const publicKey = Uint8Array.from(typedKey.subarray(1));
  assertKeySize(publicKey, 'public key');
  return ed25519Verifier(name, publicKey);
}

/** Parses a signer key string; throws a SignedNoteError if it is malformed or inconsistent. */
export function parseSignerKey(signerKey: string): NoteSigner {
  if (!signerKey.startsWith(SIGNER_KEY_PREFIX)) {
    throw new SignedNoteError(SignedNoteErrorCode.MALFORMED_KEY, `a signer key starts with ${SIGNER_KEY_PREFIX}`);
  }
  const [name, hex, encoded] = splitKey(signerKey.slice(SIGNER_KEY_PREFIX.length), 'signer key');
  const seed = decodeKeyMaterial(encoded, 'signer key').subarray(1);
  assertKeySize(seed, 'private key seed');
  const signer = ed25519Signer(name, seed);
  if (signer.keyId !== Number.parseInt(hex, 16)) {
    throw new SignedNoteError(
      SignedNoteErrorCode.KEY_ID_MISMATCH,
      `signer key ${name}: key ID ${hex} does not match the key`,
    );
  }
  return signer;
}

/** A signer from an Ed25519 private key held by node:crypto (e.g. loaded from a PEM file). */
export function noteSignerFromPrivateKey(name: string, privateKey: KeyObject): NoteSigner {
  if (privateKey.type !== 'private' || privateKey.asymmetricKeyType !== 'ed25519') {
    throw new SignedNoteError(SignedNoteErrorCode.UNSUPPORTED_KEY_TYPE, 'only Ed25519 private keys can sign notes');
  }
  const seed = privateKey.export({ format: 'der', type: 'pkcs8' }).subarray(PKCS8_ED25519_PREFIX.length);
  return ed25519Signer(name, seed);
}

/**
 * Signs `text` (non-empty, ending in a newline, no control characters other than
 * newline) with every signer, in order, and returns the signed note:
 * the text, a blank line, then one line `— <name> <base64(key ID ‖ signature)>` per signer.
 */
export function signNote(text: string, signers: readonly NoteSigner[]): string {
  assertNoteText(text);
  if (signers.length === 0 || signers.length > MAX_NOTE_SIGNATURES) {
    throw new SignedNoteError(SignedNoteErrorCode.MALFORMED_NOTE, `a note needs 1 to ${MAX_NOTE_SIGNATURES} signers`);
  }
  const seen = new Set<string>();
  const message = Buffer.from(text, 'utf8');
  const lines = signers.map((signer) => {
    assertKeyName(signer.name);
    const key = lookupKey(signer.name, signer.keyId);
    if (seen.has(key)) {
      throw new SignedNoteError(
        SignedNoteErrorCode.AMBIGUOUS_KEY,
        `key ${signer.name}+${hexKeyId(signer.keyId)} is given twice`,
      );
    }
    seen.add(key);
    const keyId = Buffer.alloc(4);
    keyId.writeUInt32BE(signer.keyId);
    const signature = Buffer.concat([keyId, signer.sign(message)]).toString('base64');
    return `${SIGNATURE_PREFIX}${signer.name} ${signature}\n`;
  });
  return `${text}\n${lines.join('')}`;
}

/**
 * Splits a note into text and signature lines, checking only the syntax and limits
 * of c2sp.org/signed-note (UTF-8, no control characters but newline, text ending
 * in newline, blank line, well-formed signature lines). Signatures are NOT checked:
 * use `openNote` to trust the text.
 */
export function parseNote(note: string | Uint8Array, options: OpenNoteOptions = {}): ParsedNote {
  const maxBytes = options.maxBytes ?? MAX_NOTE_BYTES;
  const maxSignatures = options.maxSignatures ?? MAX_NOTE_SIGNATURES;
  const size = typeof note === 'string' ? Buffer.byteLength(note, 'utf8') : note.length;
  if (size > maxBytes) throw malformed(`the note is ${size} bytes, above the limit of ${maxBytes}`);
  const message = typeof note === 'string' ? note : decodeUtf8(note);
  if (!message.isWellFormed()) throw malformed('the note is not valid Unicode');
  if (/[\u0000-\u0009\u000b-\u001f]/.test(message)) {
    throw malformed('the note contains a control character other than newline');
  }

  // The text ends at the last blank line; the text itself may contain blank lines.
  const split = message.lastIndexOf('\n\n');
  if (split < 0) throw malformed('no blank line separates the text from the signatures');
  const text = message.slice(0, split + 1);
  const block = message.slice(split + 2);
  if (block.length === 0 || !block.endsWith('\n')) throw malformed('the signature lines must end with a newline');
  const lines = block.slice(0, -1).split('\n');
  if (lines.length > maxSignatures) {
    throw malformed(`the note has ${lines.length} signatures, above the limit of ${maxSignatures}`);
  }
  return { text, signatures: lines.map(parseSignatureLine) };
}

/**
 * Opens a signed note against a list of trusted verifiers, as c2sp.org/signed-note
 * requires: signatures from unknown keys (name and key ID not both matching a
 * trusted key) are ignored; every signature from a trusted key is verified and a
 * single failure rejects the note; at least one must verify. Returns the text and
 * the keys that signed it; throws a SignedNoteError otherwise.
 */
export function openNote(
  note: string | Uint8Array,
  trusted: readonly NoteVerifier[],
  options: OpenNoteOptions = {},
): OpenedNote {
  const byKey = new Map<string, NoteVerifier>();
  for (const verifier of trusted) {
    const key = lookupKey(verifier.name, verifier.keyId);
    const known = byKey.get(key);
    if (known && Buffer.compare(known.publicKey, verifier.publicKey) !== 0) {
      throw new SignedNoteError(
        SignedNoteErrorCode.AMBIGUOUS_KEY,
        `two trusted keys are named ${verifier.name}+${hexKeyId(verifier.keyId)}`,
      );
    }
    byKey.set(key, known ?? verifier);
  }

  const parsed = parseNote(note, options);
  const message = Buffer.from(parsed.text, 'utf8');
  const verifiedBy: NoteVerifier[] = [];
  const unverified: NoteSignature[] = [];
  for (const signature of parsed.signatures) {
    const verifier = byKey.get(lookupKey(signature.name, signature.keyId));
    if (!verifier) {
      // An unknown key's repeated identical line is listed once.
      if (!unverified.some((other) => other.name === signature.name && other.base64 === signature.base64)) {
        unverified.push(signature);
      }
      continue;
    }
    if (!verifier.verify(message, Buffer.from(signature.base64, 'base64').subarray(4))) {
      throw new SignedNoteError(
        SignedNoteErrorCode.INVALID_SIGNATURE,
        `invalid signature for key ${signature.name}+${hexKeyId(signature.keyId)}`,
      );
    }
    if (!verifiedBy.includes(verifier)) verifiedBy.push(verifier);
  }
  if (verifiedBy.length === 0) {
    throw new SignedNoteError(SignedNoteErrorCode.UNVERIFIED_NOTE, 'the note has no signature from a trusted key');
  }
  return { text: parsed.text, verifiedBy, unverified };
}

function parseSignatureLine(line: string): NoteSignature {
  if (!line.startsWith(SIGNATURE_PREFIX)) throw malformed('a signature line must start with an em dash and a space');
  const rest = line.slice(SIGNATURE_PREFIX.length);
  const space = rest.indexOf(' ');
  const name = space < 0 ? rest : rest.slice(0, space);
  const encoded = space < 0 ? '' : rest.slice(space + 1);
  if (!isValidKeyName(name)) throw malformed(`invalid key name in signature line: ${JSON.stringify(name)}`);
  const raw = decodeBase64(encoded);
  // 4 bytes of key ID and at least one byte of signature.
  if (raw === null || raw.length < 5) throw malformed(`malformed signature for key ${name}`);
  return { name, keyId: raw.readUInt32BE(0), base64: encoded };
}

function ed25519Verifier(name: string, publicKey: Uint8Array): NoteVerifier {
  let key: KeyObject | null;
  try {
    key = createPublicKey({ key: Buffer.concat([SPKI_ED25519_PREFIX, publicKey]), format: 'der', type: 'spki' });
  } catch {
    key = null; // not a point on the curve: the key can never verify anything
  }
  return {
    name,
    keyId: noteKeyId(name, publicKey),
    publicKey: Uint8Array.from(publicKey),
    verifierKey: formatVerifierKey(name, publicKey),
    verify(message, signature) {
      if (key === null) return false;
      try {
        return verify(null, message, key, signature);
      } catch {
        return false;
      }
    },
  };
}

function ed25519Signer(name: string, seed: Uint8Array): NoteSigner {
  assertKeyName(name);
  const privateKey = createPrivateKey({
    key: Buffer.concat([PKCS8_ED25519_PREFIX, seed]),
    format: 'der',
    type: 'pkcs8',
  });
  const publicKey = publicKeyOfSeed(seed);
  return {
    name,
    keyId: noteKeyId(name, publicKey),
    verifierKey: formatVerifierKey(name, publicKey),
    sign: (message) => sign(null, message, privateKey),
  };
}

function publicKeyOfSeed(seed: Uint8Array): Uint8Array {
  const privateKey = createPrivateKey({
    key: Buffer.concat([PKCS8_ED25519_PREFIX, seed]),
    format: 'der',
    type: 'pkcs8',
  });
  return createPublicKey(privateKey).export({ format: 'der', type: 'spki' }).subarray(SPKI_ED25519_PREFIX.length);
}

function keyIdOf(name: string, typedKey: Uint8Array): number {
  return createHash('sha256')
    .update(name, 'utf8')
    .update(Uint8Array.of(0x0a))
    .update(typedKey)
    .digest()
    .readUInt32BE(0);
}

// <name>+<8 hex digits>+<base64>, split at the first two '+' (base64 may contain '+').
function splitKey(value: string, what: string): [string, string, string] {
  const first = value.indexOf('+');
  const second = first < 0 ? -1 : value.indexOf('+', first + 1);
  if (second < 0) throw new SignedNoteError(SignedNoteErrorCode.MALFORMED_KEY, `a ${what} has the form name+id+key`);
  const name = value.slice(0, first);
  const hex = value.slice(first + 1, second);
  if (!isValidKeyName(name)) {
    throw new SignedNoteError(SignedNoteErrorCode.MALFORMED_KEY, `invalid key name in ${what}`);
  }
  if (!/^[0-9a-fA-F]{8}$/.test(hex)) {
    throw new SignedNoteError(SignedNoteErrorCode.MALFORMED_KEY, `the key ID of a ${what} is 8 hex digits`);
  }
  return [name, hex, value.slice(second + 1)];
}

// base64(type ‖ key): the type byte must be Ed25519's.
function decodeKeyMaterial(encoded: string, what: string): Buffer {
  const raw = decodeBase64(encoded);
  if (raw === null || raw.length === 0) {
    throw new SignedNoteError(SignedNoteErrorCode.MALFORMED_KEY, `the key of a ${what} is not base64`);
  }
  if (raw[0] !== ED25519_SIGNATURE_TYPE) {
    throw new SignedNoteError(
      SignedNoteErrorCode.UNSUPPORTED_KEY_TYPE,
      `signature type 0x${raw[0].toString(16).padStart(2, '0')} is not supported`,
    );
  }
  return raw;
}

// Standard padded base64 in its one canonical spelling; Buffer alone would skip junk.
function decodeBase64(encoded: string): Buffer | null {
  if (encoded.length === 0 || encoded.length % 4 !== 0 || !/^[A-Za-z0-9+/]+={0,2}$/.test(encoded)) return null;
  const raw = Buffer.from(encoded, 'base64');
  return raw.toString('base64') === encoded ? raw : null;
}

function decodeUtf8(bytes: Uint8Array): string {
  try {
    // ignoreBOM keeps a leading U+FEFF as text instead of silently dropping it.
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes);
  } catch {
    throw malformed('the note is not valid UTF-8');
  }
}

function assertNoteText(text: string): void {
  if (text.length === 0 || !text.endsWith('\n')) throw malformed('the text of a note must end with a newline');
  if (!text.isWellFormed()) throw malformed('the text of a note must be valid Unicode');
  if (/[\u0000-\u0009\u000b-\u001f]/.test(text)) {
    throw malformed('the text of a note must not contain control characters other than newline');
  }
}

function assertKeyName(name: string): void {
  if (!isValidKeyName(name)) {
    throw new SignedNoteError(
      SignedNoteErrorCode.MALFORMED_KEY,
      `invalid key name ${JSON.stringify(name)}: it must be non-empty, without spaces or '+'`,
    );
  }
}

function assertKeySize(key: Uint8Array, what: string): void {
  if (key.length !== ED25519_KEY_SIZE) {
    throw new SignedNoteError(
      SignedNoteErrorCode.MALFORMED_KEY,
      `an Ed25519 ${what} is ${ED25519_KEY_SIZE} bytes, not ${key.length}`,
    );
  }
}

function lookupKey(name: string, keyId: number): string {
  return `${name}+${keyId}`;
}

function hexKeyId(keyId: number): string {
  return keyId.toString(16).padStart(8, '0');
}

function malformed(message: string): SignedNoteError {
  return new SignedNoteError(SignedNoteErrorCode.MALFORMED_NOTE, message);
}
