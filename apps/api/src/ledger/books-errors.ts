import type { BooksError } from '@charity-ledger/ledger-core';
import { DomainError, ErrorCode } from '../common/domain-error.js';

const CODES: Record<BooksError['code'], ErrorCode> = {
  BAD_USER_INPUT: ErrorCode.BAD_USER_INPUT,
  NOT_FOUND: ErrorCode.NOT_FOUND,
  CONFLICT: ErrorCode.CONFLICT,
  INSUFFICIENT_FUNDS: ErrorCode.INSUFFICIENT_FUNDS,
  INSUFFICIENT_GOODS: ErrorCode.INSUFFICIENT_GOODS,
};

/** A refusal of the books, as the client sees it; fields are named from the input. */
export function fromBooksError(error: BooksError, fieldPrefix = 'input.'): DomainError {
  const field = error.field ? `${fieldPrefix}${error.field}` : undefined;
  return new DomainError(CODES[error.code], field ? `${field}: ${error.message}` : error.message, field);
}
