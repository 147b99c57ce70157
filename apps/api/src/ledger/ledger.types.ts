import type { Books, EntryEffects, JsonObject } from '@charity-ledger/ledger-core';

/** Entry types, each with its payload schema in docs/ledger-format.md. */
export enum EntryType {
  CASH_DONATION = 'CASH_DONATION',
  IN_KIND_DONATION = 'IN_KIND_DONATION',
  PROJECT_OPENED = 'PROJECT_OPENED',
  PROJECT_CLOSED = 'PROJECT_CLOSED',
  PROCUREMENT_RECORDED = 'PROCUREMENT_RECORDED',
  EXPENSE_RECORDED = 'EXPENSE_RECORDED',
  BENEFICIARIES_SELECTED = 'BENEFICIARIES_SELECTED',
  DISBURSEMENT_RECORDED = 'DISBURSEMENT_RECORDED',
  DONATION_REFUNDED = 'DONATION_REFUNDED',
  ENTRY_REVERSED = 'ENTRY_REVERSED',
  PROGRESS_REPORT_PUBLISHED = 'PROGRESS_REPORT_PUBLISHED',
}

/** What an entry says; the ledger adds sequence, hashes and times. */
export interface EntryDecision {
  type: EntryType;
  occurredAt: Date;
  payload: JsonObject;
}

/** A request for one entry, as a feature module hands it to the ledger. */
export interface EntryRequest {
  idempotencyKey: string;
  /** SHA-256 of the canonical request: a retry under the same key must carry the same. */
  requestHash: string;
  /** Private data that goes with the entry but never into it (e.g. a donor's name). */
  sidecar?: Record<string, unknown>;
  /** Where this request's fields are in the client's input, for error messages (default `input.`). */
  fieldPrefix?: string;
  /**
   * Decides the entry under the append lock, from the charity's books as they
   * stand (the books then check it: funds, stock, projects …). Throws DomainError to refuse.
   */
  decide(books: Books): EntryDecision;
}

/** An entry decided before the lock: its content does not depend on the books. */
export interface EntryDraft extends EntryDecision {
  idempotencyKey: string;
  requestHash: string;
  sidecar?: Record<string, unknown>;
}

export function fixedRequest(draft: EntryDraft, fieldPrefix?: string): EntryRequest {
  const { idempotencyKey, requestHash, sidecar, ...decision } = draft;
  return { idempotencyKey, requestHash, sidecar, fieldPrefix, decide: () => decision };
}

/**
 * Requests appended to one charity's chain all together or not at all. The
 * requests of one command must not depend on each other: they are all checked
 * against the books before any is applied.
 */
export interface AppendCommand {
  charityId: string;
  actorKeyId: string;
  requests: EntryRequest[];
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
  /** Sequence of the entry that reversed this one, if any. */
  reversedBy: number | null;
  /** Set when this is the answer to a retry: the entry was written by an earlier request. */
  replayed?: boolean;
}

export interface AppendedEntry {
  entry: LedgerEntryRecord;
  sidecar?: Record<string, unknown>;
  /** What the entry did to its charity's books. */
  effects: EntryEffects;
  /** The charity's books right after this batch (shared by its entries). */
  books: Books;
}

/** The append transaction, as projectors see it. */
export interface AppendTransaction {
  /**
   * Queues a statement; statements run in order, after the entries' insert and
   * before the commit. The append fails (and nothing is written) if one fails.
   */
  queue(sql: string, params?: unknown[]): void;
  /** Runs a query now (after everything queued so far) and returns its rows. */
  query<Row extends Record<string, unknown>>(sql: string, params?: unknown[]): Promise<Row[]>;
}

/**
 * Keeps a read model in step with the ledger: called inside the append
 * transaction with the entries just written, so both commit or neither does.
 */
export interface LedgerProjector {
  project(transaction: AppendTransaction, appended: AppendedEntry[]): void | Promise<void>;
}
