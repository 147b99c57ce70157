import { createCipheriv, createDecipheriv, createHash, createHmac, randomBytes } from 'node:crypto';

/**
 * The cryptography of beneficiaries' personal data (docs/privacy.md), pure and
 * with no state: AES-256-GCM sealing, the keyed pseudonym, the salted commitment.
 */

export const KEY_BYTES = 32;
const VERSION = 0x01;
const IV_BYTES = 12;
const TAG_BYTES = 16;
const HEADER_BYTES = 1 + IV_BYTES + TAG_BYTES;

/** Sealed data that does not open: wrong key, wrong context, or changed bytes. */
export class SealedDataError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SealedDataError';
  }
}

/** A fresh random 256-bit key (a person's data key) or salt. */
export function randomSecret(): Buffer {
  return randomBytes(KEY_BYTES);
}

/**
 * AES-256-GCM with a random 96-bit IV. Layout: version byte 0x01 ‖ IV (12) ‖
 * tag (16) ‖ ciphertext. `context` is authenticated but not stored (the AAD): it
 * binds the bytes to the row they belong to, so bytes moved to another row do not open.
 */
export function seal(key: Buffer, plaintext: Buffer, context: string): Buffer {
  assertKey(key);
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv('aes-256-gcm', key, iv, { authTagLength: TAG_BYTES });
  cipher.setAAD(Buffer.from(context, 'utf8'));
  const ciphertext = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  return Buffer.concat([Buffer.from([VERSION]), iv, cipher.getAuthTag(), ciphertext]);
}

/** Opens what `seal` made with the same key and context, or throws SealedDataError. */
export function open(key: Buffer, sealed: Buffer, context: string): Buffer {
  assertKey(key);
  if (sealed.length < HEADER_BYTES || sealed[0] !== VERSION) throw new SealedDataError('not sealed data of version 1');
  const iv = sealed.subarray(1, 1 + IV_BYTES);
  const tag = sealed.subarray(1 + IV_BYTES, HEADER_BYTES);
  const decipher = createDecipheriv('aes-256-gcm', key, iv, { authTagLength: TAG_BYTES });
  decipher.setAAD(Buffer.from(context, 'utf8'));
  decipher.setAuthTag(tag);
  try {
    return Buffer.concat([decipher.update(sealed.subarray(HEADER_BYTES)), decipher.final()]);
  } catch {
    throw new SealedDataError('authentication failed: wrong key or context, or the bytes were changed');
  }
}

function assertKey(key: Buffer): void {
  if (key.length !== KEY_BYTES) throw new Error(`an AES-256 key has ${KEY_BYTES} bytes, not ${key.length}`);
}

/** AAD of a person's sealed record. */
export function recordContext(enrollmentId: string, charityId: string, pseudonym: string): string {
  return `charity-ledger/beneficiary-record/v1\n${enrollmentId}\n${charityId}\n${pseudonym}`;
}

/** AAD of a person's data key or salt, wrapped under the key-encryption key. */
export function wrapContext(enrollmentId: string, what: 'data-key' | 'salt'): string {
  return `charity-ledger/beneficiary-${what}/v1\n${enrollmentId}`;
}

/** `bnf_` and 64 hex digits in four groups of 16: a run of 17 digits would read as an ID number to the ledger. */
export const BENEFICIARY_PSEUDONYM = /^bnf(?:_[0-9a-f]{16}){4}$/;

/**
 * The person's pseudonym: HMAC-SHA-256 under the platform pseudonym key of the
 * number's namespace and the normalized number. The same document gives the same
 * pseudonym at every charity; without the key, nobody can test a guessed number.
 */
export function pseudonymFor(pseudonymKey: Buffer, namespace: string, normalizedNumber: string): string {
  assertKey(pseudonymKey);
  const digest = createHmac('sha256', pseudonymKey)
    .update(`charity-ledger/beneficiary-pseudonym/v1\n${namespace}\n${normalizedNumber}`, 'utf8')
    .digest('hex');
  return `bnf_${digest.match(/.{16}/g)!.join('_')}`;
}

/** The salted commitment: SHA-256(salt ‖ UTF-8 of the normalized number), lowercase hex. */
export function commitmentFor(salt: Buffer, normalizedNumber: string): string {
  return createHash('sha256').update(salt).update(normalizedNumber, 'utf8').digest('hex');
}

/** A platform key's public fingerprint (16 hex digits), recorded to refuse a different key later. */
export function platformKeyId(purpose: string, key: Buffer): string {
  return createHash('sha256').update(`charity-ledger/platform-key-id/v1\n${purpose}\n`, 'utf8').update(key).digest('hex').slice(0, 16);
}
