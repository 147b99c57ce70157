import { canonicalLedgerBytes, type JsonValue } from './canonical-json.js';
import { sha256Hex } from './hashing.js';

/** Version of the entry document layout described in docs/ledger-format.md. */
export const LEDGER_FORMAT_VERSION = 1;

/** prevHash of the first entry of every charity's chain. */
export const GENESIS_PREV_HASH = '0'.repeat(64);

export type JsonObject = { [key: string]: JsonValue };

/** The fields an entry commits to; together they are the hashed document. */
export interface EntryFields {
  charityId: string;
  sequence: number;
  type: string;
  /** ISO 8601 UTC with milliseconds, e.g. 2026-11-28T10:00:00.000Z */
  occurredAt: string;
  recordedAt: string;
  actorKeyId: string;
  prevHash: string;
  payload: JsonObject;
}

/** The JSON document that is canonicalized and hashed (docs/ledger-format.md). */
export interface EntryDocument extends EntryFields {
  format: number;
}

export interface SealedEntry extends EntryFields {
  /** RFC 8785 canonical JSON of the entry document, as UTF-8 bytes. */
  canonicalBytes: Buffer;
  /** Lowercase hex SHA-256 of canonicalBytes. */
  hash: string;
}

export function entryDocument(fields: EntryFields): EntryDocument {
  return {
    format: LEDGER_FORMAT_VERSION,
    charityId: fields.charityId,
    sequence: fields.sequence,
    type: fields.type,
    occurredAt: fields.occurredAt,
    recordedAt: fields.recordedAt,
    actorKeyId: fields.actorKeyId,
    prevHash: fields.prevHash,
    payload: fields.payload,
  };
}

/** Canonicalizes and hashes an entry. Throws CanonicalJsonError on inexact values. */
export function sealEntry(fields: EntryFields): SealedEntry {
  const canonicalBytes = canonicalLedgerBytes(entryDocument(fields));
  return { ...fields, canonicalBytes, hash: sha256Hex(canonicalBytes) };
}

/** ISO 8601 UTC timestamp with milliseconds, the only time format entries use. */
export function ledgerTimestamp(date: Date): string {
  return date.toISOString();
}
