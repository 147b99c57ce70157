import { CheckpointError, CheckpointErrorCode } from './checkpoint.errors.js';
import { MERKLE_HASH_SIZE } from './merkle.js';
import {
  isValidKeyName,
  openNote,
  signNote,
  type NoteSigner,
  type NoteVerifier,
  type OpenNoteOptions,
} from './signed-note.js';

// c2sp.org/tlog-checkpoint: the text of the signed note that publishes a tree head.

/** A log's tree head: who (origin), how many leaves, and the RFC 6962 root hash. */
export interface Checkpoint {
  origin: string;
  size: number;
  rootHash: Uint8Array;
  /** Optional extension lines, each non-empty (NOT RECOMMENDED by the spec: monitors cannot audit them). */
  extensions?: string[];
}

/**
 * Checkpoint note text: origin, decimal tree size and base64 root hash, then any
 * extension lines, each ending in a newline. Our own origin must also be a valid
 * key name (no spaces, no '+'), so the log's key can carry the same name.
 */
export function formatCheckpoint(checkpoint: Checkpoint): string {
  const { origin, size, rootHash, extensions = [] } = checkpoint;
  if (!isValidKeyName(origin) || hasControlCharacter(origin)) {
    throw malformed(`origin ${JSON.stringify(origin)} must be non-empty, without spaces, '+' or control characters`);
  }
  if (!Number.isSafeInteger(size) || size < 0) {
    throw malformed(`tree size ${String(size)} is not a non-negative safe integer`);
  }
  if (!(rootHash instanceof Uint8Array) || rootHash.length !== MERKLE_HASH_SIZE) {
    throw malformed(`the root hash must be ${MERKLE_HASH_SIZE} bytes`);
  }
  for (const line of extensions) {
    if (line.length === 0 || line.includes('\n') || !line.isWellFormed() || hasControlCharacter(line)) {
      throw malformed('extension lines must be non-empty text without control characters');
    }
  }
  const lines = [origin, String(size), Buffer.from(rootHash).toString('base64'), ...extensions];
  return lines.map((line) => `${line}\n`).join('');
}

/**
 * Parses checkpoint text strictly: at least three non-empty lines each ending in a
 * newline; a decimal size without leading zeros (and within 2^53 − 1); a canonical
 * base64 root hash of exactly 32 bytes; non-empty extension lines. The origin is
 * taken as is (the spec forbids assuming more than non-empty).
 */
export function parseCheckpoint(text: string): Checkpoint {
  if (!text.isWellFormed() || hasControlCharacter(text)) {
    throw malformed('a checkpoint is text without control characters other than newline');
  }
  if (!text.endsWith('\n')) throw malformed('a checkpoint ends with a newline');
  const lines = text.slice(0, -1).split('\n');
  if (lines.length < 3) throw malformed('a checkpoint has at least three lines: origin, tree size and root hash');
  if (lines.some((line) => line.length === 0)) throw malformed('checkpoint lines must not be empty');
  const [origin, sizeLine, rootLine, ...extensions] = lines;
  if (!/^(0|[1-9][0-9]*)$/.test(sizeLine)) {
    throw malformed(`tree size ${JSON.stringify(sizeLine)} is not a decimal number without leading zeros`);
  }
  const size = Number(sizeLine);
  if (!Number.isSafeInteger(size)) throw malformed(`tree size ${sizeLine} is beyond 2^53 − 1`);
  const rootHash = decodeRootHash(rootLine);
  return extensions.length > 0 ? { origin, size, rootHash, extensions } : { origin, size, rootHash };
}

/** Signs a checkpoint: `signNote(formatCheckpoint(checkpoint), signers)`. */
export function signCheckpoint(checkpoint: Checkpoint, signers: readonly NoteSigner[]): string {
  return signNote(formatCheckpoint(checkpoint), signers);
}

/**
 * Opens a signed checkpoint: verifies the note against the trusted keys (see
 * `openNote`), parses its text, and, when `origin` is given, checks it is that log's.
 */
export function openCheckpoint(
  note: string | Uint8Array,
  trusted: readonly NoteVerifier[],
  options: OpenNoteOptions & { origin?: string } = {},
): { checkpoint: Checkpoint; verifiedBy: NoteVerifier[] } {
  const opened = openNote(note, trusted, options);
  const checkpoint = parseCheckpoint(opened.text);
  if (options.origin !== undefined && checkpoint.origin !== options.origin) {
    throw new CheckpointError(
      CheckpointErrorCode.ORIGIN_MISMATCH,
      `checkpoint of ${JSON.stringify(checkpoint.origin)}, expected ${JSON.stringify(options.origin)}`,
    );
  }
  return { checkpoint, verifiedBy: opened.verifiedBy };
}

function decodeRootHash(line: string): Uint8Array {
  const raw = /^[A-Za-z0-9+/]+={0,2}$/.test(line) && line.length % 4 === 0 ? Buffer.from(line, 'base64') : null;
  // Only the one canonical spelling, so that a checkpoint has a single text form.
  if (raw === null || raw.toString('base64') !== line || raw.length !== MERKLE_HASH_SIZE) {
    throw malformed(`root hash ${JSON.stringify(line)} is not the base64 of ${MERKLE_HASH_SIZE} bytes`);
  }
  return raw;
}

function hasControlCharacter(text: string): boolean {
  return /[\u0000-\u0009\u000b-\u001f]/.test(text);
}

function malformed(message: string): CheckpointError {
  return new CheckpointError(CheckpointErrorCode.MALFORMED_CHECKPOINT, message);
}
