import { Catch, HttpStatus, type ArgumentsHost, type ExceptionFilter } from '@nestjs/common';
import type { Response } from 'express';
import { DomainError, ErrorCode } from '../common/domain-error.js';

const STATUS: Readonly<Partial<Record<ErrorCode, HttpStatus>>> = {
  [ErrorCode.BAD_USER_INPUT]: HttpStatus.BAD_REQUEST,
  [ErrorCode.UNAUTHENTICATED]: HttpStatus.UNAUTHORIZED,
  [ErrorCode.FORBIDDEN]: HttpStatus.FORBIDDEN,
  [ErrorCode.NOT_FOUND]: HttpStatus.NOT_FOUND,
  [ErrorCode.CONFLICT]: HttpStatus.CONFLICT,
  [ErrorCode.SERVICE_UNAVAILABLE]: HttpStatus.SERVICE_UNAVAILABLE,
};

/**
 * The HTTP routes' answer to a DomainError (the global filter speaks GraphQL):
 * the matching status and `{"error": {"code", "message", "field"}}`, the same
 * codes and messages as in GraphQL `extensions`.
 */
@Catch(DomainError)
export class TransparencyHttpErrorFilter implements ExceptionFilter {
  catch(error: DomainError, host: ArgumentsHost): void {
    const response = host.switchToHttp().getResponse<Response>();
    if (response.headersSent) {
      response.destroy();
      return;
    }
    response
      .status(STATUS[error.code] ?? HttpStatus.INTERNAL_SERVER_ERROR)
      .json({ error: { code: error.code, message: error.message, ...(error.field ? { field: error.field } : {}) } });
  }
}
