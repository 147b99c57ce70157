import { createHash, randomBytes } from 'node:crypto';

// Crockford base32: no I, L, O, U, so a code read aloud or retyped is unambiguous
const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

/** A new receipt code: 100 random bits as `RC-XXXX-XXXX-XXXX-XXXX-XXXX`. */
export function newReceiptCode(): string {
  const bytes = randomBytes(13);
  let bits = 0n;
  for (const byte of bytes) bits = (bits << 8n) | BigInt(byte);
  let characters = '';
  for (let index = 0; index < 20; index++) {
    characters += ALPHABET[Number(bits & 31n)];
    bits >>= 5n;
  }
  return `RC-${characters.match(/.{4}/g)!.join('-')}`;
}

/** The code as typed by a person: case, spaces and dashes do not matter; O reads as 0, I and L as 1. */
export function normalizeReceiptCode(text: string): string | null {
  const compact = text.toUpperCase().replace(/[\s-]/g, '').replace(/^RC/, '').replace(/O/g, '0').replace(/[IL]/g, '1');
  return /^[0-9A-HJKMNP-TV-Z]{20}$/.test(compact) ? compact : null;
}

/** What is stored: SHA-256 of the normalized code (the code is 100 random bits, so a fast hash suffices). */
export function receiptCodeHash(normalized: string): string {
  return createHash('sha256').update(normalized, 'utf8').digest('hex');
}
