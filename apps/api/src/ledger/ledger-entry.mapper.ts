import type { JsonObject } from '@charity-ledger/ledger-core';
import type { LedgerEntryRecord, EntryType } from './ledger.types.js';

/** Columns every read selects, in the shape `toRecord` expects from raw queries. */
export const ENTRY_COLUMNS =
  'position, charity_id, sequence, type, occurred_at, recorded_at, actor_key_id, canonical_json, payload, prev_hash, hash';

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
  };
}
