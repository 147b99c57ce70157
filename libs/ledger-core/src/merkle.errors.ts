/** Why a Merkle proof was refused or could not be built. */
export enum MerkleErrorCode {
  /** An index or tree size is not a non-negative safe integer, or is out of range. */
  INVALID_ARGUMENT = 'INVALID_ARGUMENT',
  /** A leaf hash or proof element is not 32 bytes long. */
  MALFORMED_HASH = 'MALFORMED_HASH',
  /** The proof has more or fewer elements than the sizes require. */
  WRONG_PROOF_LENGTH = 'WRONG_PROOF_LENGTH',
  /** The proof is well-formed but does not lead to the stated root(s). */
  ROOT_MISMATCH = 'ROOT_MISMATCH',
}

/** Raised by the Merkle functions; `code` says why, the message says where. */
export class MerkleProofError extends Error {
  constructor(
    readonly code: MerkleErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'MerkleProofError';
  }
}
