import canonicalizeRfc8785 from 'canonicalize';

/** Raised when a value has no exact RFC 8785 representation in a ledger entry. */
export class CanonicalJsonError extends Error {
  constructor(
    readonly path: string,
    message: string,
  ) {
    super(`${path}: ${message}`);
    this.name = 'CanonicalJsonError';
  }
}

/** A JSON value as the ledger stores it: no floats, no undefined, no exotic objects. */
export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };

/**
 * RFC 8785 (JCS) serialization of any JSON value, floats included.
 * This is the general form the published test vectors exercise.
 */
export function canonicalize(value: unknown): string {
  const text = canonicalizeRfc8785(value);
  if (text === undefined) {
    throw new CanonicalJsonError('$', 'value has no JSON representation');
  }
  return text;
}

/**
 * Canonical JSON of a ledger value, after a strict check that every number is a
 * safe integer (money is integer minor units, never a float), that no member is
 * undefined and that every string is well-formed Unicode.
 */
export function canonicalizeLedgerValue(value: unknown): string {
  assertLedgerValue(value, '$');
  return canonicalize(value);
}

/** UTF-8 bytes of the canonical JSON of a ledger value: exactly what is hashed. */
export function canonicalLedgerBytes(value: unknown): Buffer {
  return Buffer.from(canonicalizeLedgerValue(value), 'utf8');
}

export function assertLedgerValue(value: unknown, path: string): asserts value is JsonValue {
  if (value === null) return;
  switch (typeof value) {
    case 'boolean':
      return;
    case 'string':
      if (!value.isWellFormed()) {
        throw new CanonicalJsonError(path, 'string contains a lone surrogate');
      }
      return;
    case 'number':
      if (!Number.isInteger(value)) {
        throw new CanonicalJsonError(path, `${value} is not an integer; amounts are integer minor units`);
      }
      if (!Number.isSafeInteger(value)) {
        throw new CanonicalJsonError(path, `${value} is beyond ±(2^53 − 1) and cannot be represented exactly`);
      }
      return;
    case 'object':
      if (Array.isArray(value)) {
        value.forEach((item, index) => assertLedgerValue(item, `${path}[${index}]`));
        return;
      }
      if (Object.getPrototypeOf(value) !== Object.prototype && Object.getPrototypeOf(value) !== null) {
        throw new CanonicalJsonError(path, 'only plain objects are allowed (convert dates and buffers to strings first)');
      }
      for (const [key, member] of Object.entries(value)) {
        if (!key.isWellFormed()) {
          throw new CanonicalJsonError(path, 'member name contains a lone surrogate');
        }
        assertLedgerValue(member, `${path}.${key}`);
      }
      return;
    default:
      // undefined, bigint, function, symbol
      throw new CanonicalJsonError(path, `${typeof value} has no exact JSON representation`);
  }
}
