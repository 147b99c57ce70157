/** Why a key or a signed note was refused. */
export enum SignedNoteErrorCode {
  /** A verifier or signer key string is not in the expected form. */
  MALFORMED_KEY = 'MALFORMED_KEY',
  /** The key's signature type byte is not Ed25519 (0x01), the only type supported here. */
  UNSUPPORTED_KEY_TYPE = 'UNSUPPORTED_KEY_TYPE',
  /** The key ID written in a key string is not the one its name and public key give. */
  KEY_ID_MISMATCH = 'KEY_ID_MISMATCH',
  /** Two different trusted keys share a name and a key ID. */
  AMBIGUOUS_KEY = 'AMBIGUOUS_KEY',
  /** The note (or a text to sign) breaks the c2sp.org/signed-note syntax or limits. */
  MALFORMED_NOTE = 'MALFORMED_NOTE',
  /** A signature line from a trusted key does not verify: the whole note is rejected. */
  INVALID_SIGNATURE = 'INVALID_SIGNATURE',
  /** No signature from a trusted key is on the note. */
  UNVERIFIED_NOTE = 'UNVERIFIED_NOTE',
}

/** Raised by the signed-note functions; `code` says why, the message gives details. */
export class SignedNoteError extends Error {
  constructor(
    readonly code: SignedNoteErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'SignedNoteError';
  }
}
