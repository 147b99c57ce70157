import { Catch, HttpStatus, Logger, type ArgumentsHost, type ExceptionFilter } from '@nestjs/common';
import type { Response } from 'express';
import { DomainError, ErrorCode } from '../common/domain-error.js';

const STATUS: Readonly<Partial<Record<ErrorCode, HttpStatus>>> = {
  [ErrorCode.BAD_USER_INPUT]: HttpStatus.BAD_REQUEST,
  [ErrorCode.UNAUTHENTICATED]: HttpStatus.UNAUTHORIZED,
  [ErrorCode.FORBIDDEN]: HttpStatus.FORBIDDEN,
  [ErrorCode.NOT_FOUND]: HttpStatus.NOT_FOUND,
  [ErrorCode.PAYLOAD_TOO_LARGE]: HttpStatus.PAYLOAD_TOO_LARGE,
  [ErrorCode.UNSUPPORTED_MEDIA_TYPE]: HttpStatus.UNSUPPORTED_MEDIA_TYPE,
  [ErrorCode.RANGE_NOT_SATISFIABLE]: HttpStatus.REQUESTED_RANGE_NOT_SATISFIABLE,
  [ErrorCode.SERVICE_UNAVAILABLE]: HttpStatus.SERVICE_UNAVAILABLE,
};

/** Headers of a file answer that an error answer must not carry. */
const FILE_HEADERS = ['Content-Type', 'Content-Disposition', 'Content-Length', 'ETag', 'Accept-Ranges', 'Vary'];

/**
 * The media routes' answer to an error: `{"error": {"code", "message", "field"}}`
 * with the matching status, as the other HTTP routes answer (transparency-http.filter.ts).
 * Anything unexpected is logged and answered INTERNAL_SERVER_ERROR without details.
 */
@Catch()
export class MediaHttpErrorFilter implements ExceptionFilter {
  private readonly logger = new Logger('Media');

  catch(error: unknown, host: ArgumentsHost): void {
    const response = host.switchToHttp().getResponse<Response>();
    if (!(error instanceof DomainError)) {
      this.logger.error(error instanceof Error ? (error.stack ?? error.message) : String(error));
    }
    if (response.headersSent) {
      response.destroy();
      return;
    }
    for (const header of FILE_HEADERS) response.removeHeader(header);
    if (error instanceof DomainError) {
      response
        .status(STATUS[error.code] ?? HttpStatus.INTERNAL_SERVER_ERROR)
        .setHeader('Cache-Control', 'no-store')
        .json({ error: { code: error.code, message: error.message, ...(error.field ? { field: error.field } : {}) } });
      return;
    }
    response
      .status(HttpStatus.INTERNAL_SERVER_ERROR)
      .setHeader('Cache-Control', 'no-store')
      .json({ error: { code: ErrorCode.INTERNAL_SERVER_ERROR, message: 'Internal server error' } });
  }
}
