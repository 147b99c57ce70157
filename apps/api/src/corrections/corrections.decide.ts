import { EntryType, type EntryDraft } from '../ledger/ledger.types.js';
import { requestHash } from '../ledger/request-hash.js';
import type { ReverseEntryInput } from './dto/reverse-entry.input.js';

/** ENTRY_REVERSED; whether the entry can be reversed (not a reversal, not already, nothing built on it) is for the books. */
export function decideReversal(input: ReverseEntryInput, now: Date): EntryDraft {
  return {
    type: EntryType.ENTRY_REVERSED,
    occurredAt: now,
    idempotencyKey: input.idempotencyKey,
    requestHash: requestHash('reverseEntry', input),
    payload: { reversedSequence: input.sequence, reason: input.reason.trim() },
  };
}
