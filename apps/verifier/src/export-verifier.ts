import { hash } from 'node:crypto';
import { GENESIS_PREV_HASH, openCheckpoint, type NoteVerifier } from '@charity-ledger/ledger-core';
import { readCanonicalEntry } from './canonical-entry.js';
import { coveringSubtrees, MerkleRootBuilder } from './merkle-root-builder.js';
import { FailureCode, type Failure } from './verification.js';

/** The export layout this verifier reads (docs/ledger-format.md, "Exports"). */
export const EXPORT_FORMAT = 1;

const HEX64 = /^[0-9a-f]{64}$/;

/** A checkpoint the user already trusts (from the state file or --checkpoint): the export must agree with it. */
export interface TrustedCheckpoint {
  treeSize: number;
  rootHash: Buffer;
  /** Where it came from, for messages. */
  source: string;
}

export interface ExportVerifierOptions {
  /** Keys whose signature makes a checkpoint trusted. */
  verifiers: readonly NoteVerifier[];
  /** The log's origin, when the user pins it; otherwise the export's header names it. */
  origin?: string;
  trustedCheckpoints?: readonly TrustedCheckpoint[];
}

export interface ExportSummary {
  origin: string;
  charityId: string | null;
  fromPosition: number;
  treeSize: number;
  /** Entry lines verified. */
  entries: number;
  /** Positions of other charities, summarized by subtree hashes (a charity's export). */
  summarizedPositions: number;
  charities: number;
  rootHash: string;
  signedBy: string[];
  /** Sizes of the trusted checkpoints the export was compared with. */
  matchedCheckpoints: number[];
  warnings: string[];
}

interface Header {
  origin: string;
  charityId: string | null;
  fromPosition: number;
  treeSize: number;
}

/**
 * Checks an export line by line, in one pass and O(log n + charities) memory:
 * every entry's hash from its bytes, its canonical form, its chain link, its leaf
 * against the one the log committed to; then the Merkle root rebuilt from the
 * leaves (and, in a charity's export, the subtree hashes of the other positions)
 * against the signed checkpoint at the end, and against any checkpoint the user
 * already trusts. Stops at the first failure, which names the position.
 */
export class ExportVerifier {
  private header: Header | null = null;
  private tree = new MerkleRootBuilder();
  private next = 1;
  private readonly chains = new Map<string, { sequence: number; hash: string }>();
  private readonly pending: TrustedCheckpoint[];
  private failure: Failure | null = null;
  private summary: ExportSummary | null = null;
  private entries = 0;
  private summarized = 0;
  private readonly matched: number[] = [];
  private readonly warnings: string[] = [];

  constructor(private readonly options: ExportVerifierOptions) {
    this.pending = [...(options.trustedCheckpoints ?? [])].sort((a, b) => a.treeSize - b.treeSize);
  }

  /** The header, once read: what the export claims to cover. */
  get claimed(): Header | null {
    return this.header;
  }

  /** Positions verified so far. */
  get verifiedPositions(): number {
    return this.header ? this.next - this.header.fromPosition : 0;
  }

  /** Feeds one line (without its newline); returns the failure when there is one (then stop). */
  push(line: string): Failure | null {
    if (this.failure) return this.failure;
    if (this.summary) return this.fail(FailureCode.BAD_FORMAT, null, 'the export goes on after its checkpoint line');
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch {
      return this.fail(FailureCode.BAD_FORMAT, this.header ? this.next : null, 'a line of the export is not JSON');
    }
    const record = value as Record<string, unknown>;
    if (typeof value !== 'object' || value === null) return this.fail(FailureCode.BAD_FORMAT, null, 'a line of the export is not a JSON object');
    if (!this.header) return record.kind === 'header' ? this.readHeader(record) : this.fail(FailureCode.BAD_FORMAT, null, 'the export does not start with its header line');
    switch (record.kind) {
      case 'entry':
        return this.readEntry(record);
      case 'subtrees':
        return this.readSubtrees(record);
      case 'checkpoint':
        return this.readCheckpoint(record);
      default:
        return this.fail(FailureCode.BAD_FORMAT, this.next, `unknown line kind ${JSON.stringify(record.kind)}`);
    }
  }

  /** After the last line: the summary, or the failure (also when the export stopped early). */
  finish(): { failure: Failure } | { summary: ExportSummary } {
    if (this.failure) return { failure: this.failure };
    if (this.summary) return { summary: this.summary };
    if (!this.header) return { failure: this.fail(FailureCode.TRUNCATED, null, 'the export is empty') };
    return {
      failure: this.fail(
        FailureCode.TRUNCATED,
        this.next,
        `the export ends after position ${this.next - 1} without its checkpoint line (an interrupted download, or a cut stream)`,
      ),
    };
  }

  private readHeader(record: Record<string, unknown>): Failure | null {
    if (record.format !== EXPORT_FORMAT) {
      return this.fail(FailureCode.BAD_FORMAT, null, `export format ${JSON.stringify(record.format)} is not supported (this verifier reads format ${EXPORT_FORMAT})`);
    }
    const { origin, charityId, fromPosition, treeSize, prefix } = record;
    if (
      typeof origin !== 'string' ||
      (charityId !== null && typeof charityId !== 'string') ||
      !isPosition(fromPosition) ||
      !Number.isSafeInteger(treeSize) ||
      (treeSize as number) < (fromPosition as number) ||
      !Array.isArray(prefix) ||
      !prefix.every((item) => typeof item === 'string' && HEX64.test(item))
    ) {
      return this.fail(FailureCode.BAD_FORMAT, null, 'the header line is not in the export layout');
    }
    if (this.options.origin !== undefined && origin !== this.options.origin) {
      return this.fail(FailureCode.BAD_CHECKPOINT, null, `the export is of log "${origin}", not of the trusted "${this.options.origin}"`);
    }
    try {
      this.tree = MerkleRootBuilder.fromPerfectSubtrees(fromPosition - 1, (prefix as string[]).map((item) => Buffer.from(item, 'hex')));
    } catch (error) {
      return this.fail(FailureCode.BAD_FORMAT, null, `the header's prefix: ${(error as Error).message}`);
    }
    this.header = { origin, charityId: charityId as string | null, fromPosition, treeSize: treeSize as number };
    this.next = fromPosition;
    for (const trusted of this.pending) {
      if (trusted.treeSize < fromPosition - 1) {
        this.warnings.push(`the checkpoint of ${trusted.treeSize} entries (${trusted.source}) lies before this export's first position; not compared`);
      }
    }
    return this.checkTrusted();
  }

  private readEntry(record: Record<string, unknown>): Failure | null {
    const header = this.header!;
    const { position, charityId, sequence, hash: statedHash, prevHash, leafHash, canonicalJson } = record;
    if (
      !isPosition(position) ||
      typeof charityId !== 'string' ||
      !isPosition(sequence) ||
      typeof statedHash !== 'string' ||
      typeof prevHash !== 'string' ||
      (leafHash !== null && typeof leafHash !== 'string') ||
      typeof canonicalJson !== 'string'
    ) {
      return this.fail(FailureCode.BAD_FORMAT, this.next, 'an entry line is not in the export layout');
    }
    const positionFailure = this.expectPosition(position);
    if (positionFailure) return positionFailure;
    if (header.charityId !== null && charityId !== header.charityId) {
      return this.fail(FailureCode.BAD_FORMAT, position, `an entry of charity ${charityId} in the export of charity ${header.charityId}`);
    }
    if (!canonicalJson.isWellFormed()) return this.fail(FailureCode.BAD_ENTRY, position, 'the entry is not well-formed Unicode text');

    // a well-formed string is hashed as its UTF-8 bytes: exactly the entry's canonical bytes
    const computed = hash('sha256', canonicalJson, 'hex');
    if (computed !== statedHash) {
      return this.fail(FailureCode.HASH_MISMATCH, position, `the stated hash ${statedHash} is not the SHA-256 of the entry's bytes (${computed})`);
    }
    const leaf = this.tree.appendEntryHash(computed);
    if (leafHash !== null && Buffer.from(leaf, 'binary').toString('hex') !== leafHash) {
      return this.fail(
        FailureCode.LEAF_MISMATCH,
        position,
        `the entry's bytes give leaf ${Buffer.from(leaf, 'binary').toString('hex')}, but the log's Merkle tree holds leaf ${leafHash} at this position: the entry was changed after it was logged`,
      );
    }
    if (leafHash === null && this.warnings.length < 100) this.warnings.push(`position ${position}: the service sent no leaf hash (the root check still covers it)`);

    const read = readCanonicalEntry(canonicalJson);
    if (!read.ok) return this.fail(FailureCode.BAD_ENTRY, position, read.problem);
    const { head } = read;
    if (head.format !== 1) return this.fail(FailureCode.BAD_ENTRY, position, `entry format ${JSON.stringify(head.format)} is not 1`);
    if (head.charityId !== charityId || head.sequence !== sequence || head.prevHash !== prevHash) {
      return this.fail(FailureCode.BAD_ENTRY, position, "the line's charityId, sequence or prevHash differs from the hashed entry's");
    }

    const previous = this.chains.get(charityId);
    if (previous) {
      if (sequence !== previous.sequence + 1) {
        return this.fail(
          FailureCode.CHAIN_BROKEN,
          position,
          sequence > previous.sequence + 1
            ? `charity ${charityId}: sequence ${sequence} follows ${previous.sequence}; entries ${previous.sequence + 1}–${sequence - 1} are missing`
            : `charity ${charityId}: sequence ${sequence} appears again after ${previous.sequence}`,
        );
      }
      if (prevHash !== previous.hash) {
        return this.fail(
          FailureCode.CHAIN_BROKEN,
          position,
          `charity ${charityId}, sequence ${sequence}: prevHash ${prevHash} does not link to the hash of sequence ${previous.sequence} (${previous.hash})`,
        );
      }
    } else if (header.fromPosition === 1 && (sequence !== 1 || prevHash !== GENESIS_PREV_HASH)) {
      return this.fail(
        FailureCode.CHAIN_BROKEN,
        position,
        sequence !== 1
          ? `charity ${charityId} starts at sequence ${sequence}: its entries 1–${sequence - 1} are missing from the log`
          : `charity ${charityId}: the first entry's prevHash is not the genesis value (64 zeros)`,
      );
    }
    this.chains.set(charityId, { sequence, hash: computed });
    this.entries += 1;
    this.next += 1;
    return this.pending.length > 0 ? this.checkTrusted() : null;
  }

  private readSubtrees(record: Record<string, unknown>): Failure | null {
    const header = this.header!;
    const { fromPosition, toPosition, hashes } = record;
    if (!isPosition(fromPosition) || !isPosition(toPosition) || toPosition < fromPosition || !Array.isArray(hashes)) {
      return this.fail(FailureCode.BAD_FORMAT, this.next, 'a subtrees line is not in the export layout');
    }
    if (header.charityId === null) {
      return this.fail(
        FailureCode.MISSING_POSITIONS,
        fromPosition,
        `positions ${fromPosition}–${toPosition}: a whole-log export must hold every entry, but the service sent only Merkle hashes for them (their entries are missing)`,
      );
    }
    const positionFailure = this.expectPosition(fromPosition);
    if (positionFailure) return positionFailure;
    const ids = coveringSubtrees(fromPosition - 1, toPosition);
    if (hashes.length !== ids.length || !hashes.every((item) => typeof item === 'string' && HEX64.test(item))) {
      return this.fail(FailureCode.BAD_FORMAT, fromPosition, `positions ${fromPosition}–${toPosition} need ${ids.length} subtree hashes`);
    }
    for (const trusted of this.pending) {
      if (trusted.treeSize >= fromPosition && trusted.treeSize < toPosition) {
        this.warnings.push(`the checkpoint of ${trusted.treeSize} entries (${trusted.source}) ends inside positions summarized by hashes; not compared`);
      }
    }
    ids.forEach((id, index) => this.tree.appendSubtree(id.level, Buffer.from(hashes[index] as string, 'hex')));
    this.summarized += toPosition - fromPosition + 1;
    this.next = toPosition + 1;
    return this.checkTrusted();
  }

  private readCheckpoint(record: Record<string, unknown>): Failure | null {
    const header = this.header!;
    const { treeSize, note } = record;
    if (!Number.isSafeInteger(treeSize) || typeof note !== 'string') {
      return this.fail(FailureCode.BAD_FORMAT, null, 'the checkpoint line is not in the export layout');
    }
    if (this.next - 1 !== header.treeSize) {
      return this.fail(
        FailureCode.MISSING_POSITIONS,
        this.next,
        `the export stops at position ${this.next - 1}, but its checkpoint covers ${header.treeSize} entries: positions ${this.next}–${header.treeSize} are missing`,
      );
    }
    let opened;
    try {
      opened = openCheckpoint(note, this.options.verifiers, { origin: header.origin });
    } catch (error) {
      return this.fail(FailureCode.BAD_CHECKPOINT, null, `the export's checkpoint does not verify: ${(error as Error).message}`);
    }
    const { checkpoint, verifiedBy } = opened;
    if (checkpoint.size !== header.treeSize || treeSize !== header.treeSize) {
      return this.fail(FailureCode.BAD_CHECKPOINT, null, `the signed checkpoint is of ${checkpoint.size} entries, but the export covers ${header.treeSize}`);
    }
    const root = this.tree.root();
    if (!root.equals(Buffer.from(checkpoint.rootHash))) {
      return this.fail(
        FailureCode.ROOT_MISMATCH,
        null,
        `the Merkle root rebuilt from positions 1–${header.treeSize} is ${root.toString('hex')}, but the signed checkpoint says ${Buffer.from(checkpoint.rootHash).toString('hex')}`,
      );
    }
    const later = this.pending.find((trusted) => trusted.treeSize > header.treeSize);
    if (later) {
      return this.fail(
        FailureCode.ROLLBACK,
        null,
        `the export covers ${header.treeSize} entries, but you already trust a checkpoint of ${later.treeSize} entries (${later.source}): the log was cut back, or this export is older than that checkpoint`,
      );
    }
    this.summary = {
      origin: header.origin,
      charityId: header.charityId,
      fromPosition: header.fromPosition,
      treeSize: header.treeSize,
      entries: this.entries,
      summarizedPositions: this.summarized,
      charities: this.chains.size,
      rootHash: root.toString('hex'),
      signedBy: verifiedBy.map((verifier) => verifier.verifierKey),
      matchedCheckpoints: this.matched,
      warnings: this.warnings,
    };
    return null;
  }

  private expectPosition(position: number): Failure | null {
    if (position === this.next) return null;
    if (position > this.next) {
      return this.fail(FailureCode.MISSING_POSITIONS, this.next, `positions ${this.next}–${position - 1} are missing from the export`);
    }
    return this.fail(FailureCode.MISSING_POSITIONS, position, `position ${position} appears again, or out of order (expected ${this.next})`);
  }

  // Trusted checkpoints are compared when the rebuilt tree reaches their size.
  private checkTrusted(): Failure | null {
    while (this.pending.length > 0 && this.pending[0].treeSize <= this.tree.size) {
      const trusted = this.pending.shift()!;
      if (trusted.treeSize !== this.tree.size) continue; // inside a summarized run or the prefix: warned about
      const root = this.tree.root();
      if (!root.equals(trusted.rootHash)) {
        return this.fail(
          FailureCode.INCONSISTENT,
          null,
          `the first ${trusted.treeSize} entries of the export give root ${root.toString('hex')}, but the checkpoint you trusted (${trusted.source}) signed ${trusted.rootHash.toString('hex')}: history was rewritten`,
        );
      }
      this.matched.push(trusted.treeSize);
    }
    return null;
  }

  private fail(code: FailureCode, position: number | null, reason: string): Failure {
    this.failure = { code, position, reason };
    return this.failure;
  }
}

function isPosition(value: unknown): value is number {
  return Number.isSafeInteger(value) && (value as number) >= 1;
}
