/** The codes clients see in `extensions.code`. */
export enum ErrorCode {
  BAD_USER_INPUT = 'BAD_USER_INPUT',
  UNAUTHENTICATED = 'UNAUTHENTICATED',
  FORBIDDEN = 'FORBIDDEN',
  NOT_FOUND = 'NOT_FOUND',
  CONFLICT = 'CONFLICT',
  /** It existed and was destroyed for good (an erased beneficiary's personal data). */
  GONE = 'GONE',
  INSUFFICIENT_FUNDS = 'INSUFFICIENT_FUNDS',
  INSUFFICIENT_GOODS = 'INSUFFICIENT_GOODS',
  SERVICE_UNAVAILABLE = 'SERVICE_UNAVAILABLE',
  /** HTTP only (media): an upload whose content is not an accepted type. */
  UNSUPPORTED_MEDIA_TYPE = 'UNSUPPORTED_MEDIA_TYPE',
  /** HTTP only (media): an upload over the size limit. */
  PAYLOAD_TOO_LARGE = 'PAYLOAD_TOO_LARGE',
  /** HTTP only (media): a byte range outside the file. */
  RANGE_NOT_SATISFIABLE = 'RANGE_NOT_SATISFIABLE',
  INTERNAL_SERVER_ERROR = 'INTERNAL_SERVER_ERROR',
}

/**
 * An error a client can cause and fix. Its message is shown as is, so it must
 * be clear and must not carry internal details.
 */
export class DomainError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    /** Input path of the offending field, e.g. `input.amount`. */
    readonly field?: string,
  ) {
    super(message);
    this.name = 'DomainError';
  }

  static badInput(field: string, message: string): DomainError {
    return new DomainError(ErrorCode.BAD_USER_INPUT, `${field}: ${message}`, field);
  }

  static notFound(message: string): DomainError {
    return new DomainError(ErrorCode.NOT_FOUND, message);
  }

  static forbidden(message: string): DomainError {
    return new DomainError(ErrorCode.FORBIDDEN, message);
  }

  static conflict(message: string): DomainError {
    return new DomainError(ErrorCode.CONFLICT, message);
  }

  static gone(message: string): DomainError {
    return new DomainError(ErrorCode.GONE, message);
  }

  static unauthenticated(message: string): DomainError {
    return new DomainError(ErrorCode.UNAUTHENTICATED, message);
  }
}
