/** Why a verification failed: the data itself is wrong (exit code 1). */
export enum FailureCode {
  /** A line of the export is not in the documented layout. */
  BAD_FORMAT = 'BAD_FORMAT',
  /** The stated hash is not the SHA-256 of the entry's bytes. */
  HASH_MISMATCH = 'HASH_MISMATCH',
  /** The entry's bytes are not canonical JSON, or lack a member chains need. */
  BAD_ENTRY = 'BAD_ENTRY',
  /** The entry's bytes give another leaf than the one the log's tree committed to. */
  LEAF_MISMATCH = 'LEAF_MISMATCH',
  /** A chain's sequence skips or repeats, or an entry does not link to its predecessor. */
  CHAIN_BROKEN = 'CHAIN_BROKEN',
  /** Positions are missing, repeated or out of order. */
  MISSING_POSITIONS = 'MISSING_POSITIONS',
  /** The rebuilt Merkle root is not the signed one. */
  ROOT_MISMATCH = 'ROOT_MISMATCH',
  /** A checkpoint's signature does not verify with the trusted keys, or it is malformed. */
  BAD_CHECKPOINT = 'BAD_CHECKPOINT',
  /** The log is smaller than a checkpoint seen before: history was cut. */
  ROLLBACK = 'ROLLBACK',
  /** A newer checkpoint does not extend an older one: history was rewritten. */
  INCONSISTENT = 'INCONSISTENT',
  /** An entry is not in the tree its checkpoint signs. */
  NOT_INCLUDED = 'NOT_INCLUDED',
  /** The service has no entry where its own tree has one. */
  MISSING_ENTRY = 'MISSING_ENTRY',
  /** The export stops before its end. */
  TRUNCATED = 'TRUNCATED',
  /** The service's trace of a gift is not what its chain gives. */
  TRACE_MISMATCH = 'TRACE_MISMATCH',
}

/** A verification failure, with the first bad position when there is one. */
export interface Failure {
  code: FailureCode;
  position: number | null;
  reason: string;
}

/** The verifier could not do its job (bad arguments, unreadable input, network): exit code 2. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

export const EXIT_VERIFIED = 0;
export const EXIT_FAILED = 1;
export const EXIT_CANNOT_VERIFY = 2;
