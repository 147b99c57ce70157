/** Why a checkpoint was refused. */
export enum CheckpointErrorCode {
  /** The text breaks c2sp.org/tlog-checkpoint (lines, decimal size, base64 root hash). */
  MALFORMED_CHECKPOINT = 'MALFORMED_CHECKPOINT',
  /** The checkpoint is well-formed but comes from another log than the one expected. */
  ORIGIN_MISMATCH = 'ORIGIN_MISMATCH',
}

/** Raised by the checkpoint functions; `code` says why, the message gives details. */
export class CheckpointError extends Error {
  constructor(
    readonly code: CheckpointErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'CheckpointError';
  }
}
