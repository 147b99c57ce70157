import type { JsonObject } from '@charity-ledger/ledger-core';
import type { LedgerEntryRecord, EntryType } from './ledger.types.js';

/** Columns every read selects, in the shape `recordFromRow` expects (`e` is ledger_entry). */
export const ENTRY_COLUMNS =
  'e.position, e.charity_id, e.sequence, e.type, e.occurred_at, e.recorded_at, e.actor_key_id, e.canonical_json, e.payload, e.prev_hash, e.hash, r.reversal_sequence AS reversed_by';

/** ledger_entry `e` with the reversal, if any, of each entry. */
export const ENTRY_FROM = 'ledger_entry e LEFT JOIN book_reversal r ON r.charity_id = e.charity_id AND r.reversed_sequence = e.sequence';

export interface EntryRow {
  position: string;
  charity_id: string;
  sequence: string;
  type: string;
  occurred_at: Date;
  recorded_at: Date;
  actor_key_id: string;
  canonical_json: Buffer;
  payload: JsonObject;
  prev_hash: string;
  hash: string;
  reversed_by: string | null;
}

export function recordFromRow(row: EntryRow): LedgerEntryRecord {
  return {
    position: Number(row.position),
    charityId: row.charity_id,
    sequence: Number(row.sequence),
    type: row.type as EntryType,
    occurredAt: row.occurred_at,
    recordedAt: row.recorded_at,
    actorKeyId: row.actor_key_id,
    canonicalJson: row.canonical_json,
    payload: row.payload,
    prevHash: row.prev_hash,
    hash: row.hash,
    reversedBy: row.reversed_by === null ? null : Number(row.reversed_by),
  };
}
