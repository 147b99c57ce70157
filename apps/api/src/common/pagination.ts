import { DomainError } from './domain-error.js';

/** Opaque Relay cursors over an integer ordering key. */
export function encodeCursor(kind: string, value: number): string {
  return Buffer.from(`${kind}:${value}`, 'utf8').toString('base64url');
}

export function decodeCursor(kind: string, cursor: string | undefined | null, field = 'after'): number {
  if (cursor === undefined || cursor === null) return 0;
  const match = new RegExp(`^${kind}:(\\d{1,15})$`).exec(Buffer.from(cursor, 'base64url').toString('utf8'));
  if (!match) throw DomainError.badInput(field, 'is not a cursor returned by this list');
  return Number(match[1]);
}

export function pageSize(first: number | undefined | null, defaultSize = 50, maximum = 500): number {
  if (first === undefined || first === null) return defaultSize;
  if (!Number.isInteger(first) || first < 1 || first > maximum) {
    throw DomainError.badInput('first', `must be between 1 and ${maximum}`);
  }
  return first;
}
