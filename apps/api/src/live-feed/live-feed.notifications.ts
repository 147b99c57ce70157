/** The PostgreSQL channel on which every append transaction announces its entries. */
export const ENTRIES_CHANNEL = 'charity_ledger_entries';

/**
 * A NOTIFY payload is limited to 8000 bytes: past this many charities in one batch
 * the list is left out, and listeners read the range for every charity they serve.
 */
export const MAX_NOTIFIED_CHARITIES = 100;

/** What one append transaction announces: the positions it wrote, and whose chains they are. */
export interface EntriesNotice {
  /** First and last global position of the batch (positions of a batch are consecutive). */
  first: number;
  last: number;
  /** Charities with entries in the batch; null when not listed (too many, or unknown). */
  charityIds: string[] | null;
}

export function encodeEntriesNotice(positions: readonly number[], charityIds: Iterable<string>): string {
  const distinct = [...new Set(charityIds)];
  let first = Number.POSITIVE_INFINITY;
  let last = 0;
  for (const position of positions) {
    first = Math.min(first, position);
    last = Math.max(last, position);
  }
  return JSON.stringify({
    first,
    last,
    ...(distinct.length <= MAX_NOTIFIED_CHARITIES ? { charityIds: distinct } : {}),
  });
}

/** Reads a notice; null for a payload this version does not understand (nothing to do with it). */
export function decodeEntriesNotice(payload: string): EntriesNotice | null {
  let parsed: unknown;
  try {
    parsed = JSON.parse(payload);
  } catch {
    return null;
  }
  if (typeof parsed !== 'object' || parsed === null) return null;
  const { first, last, charityIds } = parsed as Record<string, unknown>;
  if (!isPosition(first) || !isPosition(last) || first > last) return null;
  const ids = Array.isArray(charityIds) && charityIds.every((id) => typeof id === 'string') ? (charityIds as string[]) : null;
  return { first, last, charityIds: ids };
}

/** Reads the tree size a checkpoint notice carries; null when it carries none. */
export function decodeCheckpointNotice(payload: string): number | null {
  try {
    const { treeSize } = JSON.parse(payload) as { treeSize?: unknown };
    return isPosition(treeSize) ? treeSize : null;
  } catch {
    return null;
  }
}

function isPosition(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 1;
}
