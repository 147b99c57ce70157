import type { JsonObject, JsonValue } from '@charity-ledger/ledger-core';

const SHA256 = /^[0-9a-f]{64}$/;

/**
 * The media each entry type names, read from its payload (docs/ledger-format.md).
 * Types are strings so that a type added later only needs its line here. An entry
 * that names media makes them public; a reversal names none of its own (the
 * reversed entry stays on the ledger, and so do its media).
 */
const EXTRACTORS: Readonly<Record<string, (payload: JsonObject) => unknown[]>> = {
  PROCUREMENT_RECORDED: (payload) => [field(payload.invoice, 'sha256')],
  EXPENSE_RECORDED: (payload) => [payload.evidenceSha256],
  DISBURSEMENT_RECORDED: (payload) => [payload.deliveryEvidenceSha256],
  PROGRESS_REPORT_PUBLISHED: (payload) => (Array.isArray(payload.media) ? payload.media.map((item) => field(item, 'sha256')) : []),
};

/** The SHA-256s (lowercase hex) an entry references, each once, in payload order. */
export function mediaReferences(type: string, payload: JsonObject): string[] {
  const extract = Object.hasOwn(EXTRACTORS, type) ? EXTRACTORS[type] : undefined;
  if (!extract) return [];
  // anything that is not a SHA-256 is skipped: a reference never fails an append
  const hashes = extract(payload).filter((value): value is string => typeof value === 'string' && SHA256.test(value));
  return [...new Set(hashes)];
}

function field(value: JsonValue | undefined, name: string): JsonValue | undefined {
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? value[name] : undefined;
}
