import { canonicalize, sha256Hex } from '@charity-ledger/ledger-core';

/**
 * SHA-256 of the canonical form of a request, without its idempotency key: a
 * retry must carry the same, a different request under the same key will not.
 */
export function requestHash(operation: string, input: object): string {
  // canonicalize drops undefined members and serializes dates through toJSON
  return sha256Hex(canonicalize({ operation, input: { ...input, idempotencyKey: undefined } }));
}
