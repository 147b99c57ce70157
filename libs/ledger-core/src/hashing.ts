import { createHash } from 'node:crypto';

/** Lowercase hex SHA-256 of the given bytes. */
export function sha256Hex(data: Uint8Array | string): string {
  return createHash('sha256').update(data).digest('hex');
}

const HEX_SHA256 = /^[0-9a-f]{64}$/;

export function isSha256Hex(value: string): boolean {
  return HEX_SHA256.test(value);
}
