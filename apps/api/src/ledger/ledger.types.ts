import type { JsonObject } from '@charity-ledger/ledger-core';

/** Entry types, each with its payload schema in docs/ledger-format.md. */
export enum EntryType {
  CASH_DONATION = 'CASH_DONATION',
  IN_KIND_DONATION = 'IN_KIND_DONATION',
}

/** An entry a feature module wants appended; the ledger adds sequence, hashes and times. */
export interface EntryDraft {
  type: EntryType;
  occurredAt: Date;
  payload: JsonObject;
  idempotencyKey: string;
  /** SHA-256 of the canonical request: a retry under the same key must carry the same. */
  requestHash: string;
  /** Private data that goes with the entry but never into it (e.g. a donor's name). */
  sidecar?: Record<string, unknown>;
}

/** Drafts appended to one charity's chain all together or not at all. */
export interface AppendCommand {
  charityId: string;
  actorKeyId: string;
  drafts: EntryDraft[];
}

/** A stored entry as the service reads it. */
export interface LedgerEntryRecord {
  position: number;
  charityId: string;
  sequence: number;
  type: EntryType;
  occurredAt: Date;
  recordedAt: Date;
  actorKeyId: string;
  canonicalJson: Buffer;
  payload: JsonObject;
  prevHash: string;
  hash: string;
}

export interface AppendedEntry {
  entry: LedgerEntryRecord;
  sidecar?: Record<string, unknown>;
}

/** The append transaction, as projectors see it. */
export interface AppendTransaction {
  /**
   * Queues a statement; statements run in order, after the entries' insert and
   * before the commit. The append fails (and nothing is written) if one fails.
   */
  queue(sql: string, params?: unknown[]): void;
}

/**
 * Keeps a read model in step with the ledger: called inside the append
 * transaction with the entries just written, so both commit or neither does.
 */
export interface LedgerProjector {
  project(transaction: AppendTransaction, appended: AppendedEntry[]): void;
}
