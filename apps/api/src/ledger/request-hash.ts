import { canonicalize, sha256Hex } from '@charity-ledger/ledger-core';

/**
 * SHA-256 of the canonical form of a request, without its idempotency key: a
 * retry must carry the same, a different request under the same key will not.
 */
export function requestHash(operation: string, input: object): string {
  const { idempotencyKey: _ignored, ...rest } = JSON.parse(JSON.stringify(input)) as Record<string, unknown>;
  return sha256Hex(canonicalize({ operation, input: rest }));
}
