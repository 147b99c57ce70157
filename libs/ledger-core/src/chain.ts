import { canonicalize } from './canonical-json.js';
import { GENESIS_PREV_HASH, LEDGER_FORMAT_VERSION, type EntryDocument } from './entry.js';
import { sha256Hex } from './hashing.js';

/** One stored entry as read back: the exact bytes plus the columns kept beside them. */
export interface StoredEntry {
  sequence: number;
  canonicalBytes: Uint8Array;
  hash: string;
  prevHash: string;
  /** Optional queryable copies; when given they must agree with the bytes. */
  type?: string;
  occurredAt?: string;
  recordedAt?: string;
  actorKeyId?: string;
  payload?: unknown;
}

export interface ChainVerification {
  valid: boolean;
  length: number;
  /** Hash of the last entry that verified (the genesis value for an empty chain). */
  headHash: string;
  firstInvalidSequence: number | null;
  reason: string | null;
}

export interface ChainBreak {
  sequence: number;
  reason: string;
}

/**
 * Streaming verifier of one charity's chain: feed entries in sequence order with
 * `push`; it recomputes every hash from the stored bytes and checks every link.
 * Pure: no I/O, so the service and the standalone verifier share it.
 */
export class ChainVerifier {
  private expectedSequence = 1;
  private headHash = GENESIS_PREV_HASH;
  private broken: ChainBreak | null = null;

  constructor(private readonly charityId: string) {}

  /** Returns the first break found so far (entries after a break are ignored). */
  push(entry: StoredEntry): ChainBreak | null {
    if (this.broken) return this.broken;
    const reason = this.check(entry);
    if (reason) {
      this.broken = { sequence: this.expectedSequence, reason };
      return this.broken;
    }
    this.headHash = entry.hash;
    this.expectedSequence += 1;
    return null;
  }

  result(): ChainVerification {
    return {
      valid: this.broken === null,
      length: this.expectedSequence - 1,
      headHash: this.headHash,
      firstInvalidSequence: this.broken?.sequence ?? null,
      reason: this.broken?.reason ?? null,
    };
  }

  private check(entry: StoredEntry): string | null {
    const expected = this.expectedSequence;
    if (entry.sequence !== expected) {
      return entry.sequence > expected
        ? `sequence ${expected} is missing (next stored entry is ${entry.sequence})`
        : `sequence ${entry.sequence} appears again where ${expected} was expected`;
    }
    const bytes = Buffer.from(entry.canonicalBytes);
    const recomputed = sha256Hex(bytes);
    if (recomputed !== entry.hash) {
      return `stored hash ${entry.hash} does not match SHA-256 of the stored bytes (${recomputed})`;
    }
    let document: EntryDocument;
    try {
      document = JSON.parse(bytes.toString('utf8')) as EntryDocument;
    } catch {
      return 'stored bytes are not valid JSON';
    }
    if (canonicalize(document) !== bytes.toString('utf8')) {
      return 'stored bytes are not RFC 8785 canonical JSON';
    }
    if (document.format !== LEDGER_FORMAT_VERSION) {
      return `unknown entry format ${String(document.format)}`;
    }
    if (document.charityId !== this.charityId) {
      return `entry belongs to charity ${String(document.charityId)}`;
    }
    if (document.sequence !== expected) {
      return `hashed sequence ${String(document.sequence)} differs from the stored sequence ${expected}`;
    }
    if (document.prevHash !== this.headHash) {
      return `prevHash ${String(document.prevHash)} does not link to the previous entry's hash ${this.headHash}`;
    }
    if (entry.prevHash !== document.prevHash) {
      return 'stored prevHash column differs from the hashed prevHash';
    }
    const columns: Array<[keyof StoredEntry & keyof EntryDocument, unknown]> = [
      ['type', entry.type],
      ['occurredAt', entry.occurredAt],
      ['recordedAt', entry.recordedAt],
      ['actorKeyId', entry.actorKeyId],
    ];
    for (const [name, stored] of columns) {
      if (stored !== undefined && stored !== document[name]) {
        return `stored ${name} column differs from the hashed ${name}`;
      }
    }
    if (entry.payload !== undefined && canonicalize(entry.payload) !== canonicalize(document.payload)) {
      return 'stored payload column differs from the hashed payload';
    }
    return null;
  }
}

/** Verifies a whole chain held in memory (tests, small exports). */
export function verifyChain(charityId: string, entries: Iterable<StoredEntry>): ChainVerification {
  const verifier = new ChainVerifier(charityId);
  for (const entry of entries) {
    if (verifier.push(entry)) break;
  }
  return verifier.result();
}
