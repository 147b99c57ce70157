import { Logger } from '@nestjs/common';
import type { GraphQLFormattedError } from 'graphql';
import { GraphQLError } from 'graphql';
import { DomainError, ErrorCode } from './domain-error.js';

const logger = new Logger('GraphQL');

/** Codes produced by GraphQL itself (parse, validation, variable coercion) and passed through. */
const GRAPHQL_CODES = new Set(['GRAPHQL_PARSE_FAILED', 'GRAPHQL_VALIDATION_FAILED', 'BAD_USER_INPUT', 'PERSISTED_QUERY_NOT_FOUND', 'OPERATION_RESOLUTION_FAILURE', 'BAD_REQUEST']);

/** The innermost error: GraphQL wraps resolver errors, sometimes twice. */
function rootCause(error: unknown): unknown {
  let current = error;
  while (current instanceof GraphQLError && current.originalError) current = current.originalError;
  return current instanceof GraphQLError ? undefined : current;
}

/**
 * Maps every error to a GraphQL error with a clear message and `extensions.code`.
 * Domain errors keep their code and message; anything unexpected is logged and
 * answered as INTERNAL_SERVER_ERROR without stack, SQL or other internals.
 */
export function formatGraphQLError(formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError {
  const original = rootCause(error);
  if (original instanceof DomainError) {
    return {
      message: original.message,
      locations: formatted.locations,
      path: formatted.path,
      extensions: { code: original.code, ...(original.field ? { field: original.field } : {}) },
    };
  }
  const code = formatted.extensions?.code;
  if (!original && typeof code === 'string' && GRAPHQL_CODES.has(code)) {
    return { message: formatted.message, locations: formatted.locations, path: formatted.path, extensions: { code } };
  }
  logger.error(original instanceof Error ? (original.stack ?? original.message) : formatted.message);
  return {
    message: 'Internal server error',
    locations: formatted.locations,
    path: formatted.path,
    extensions: { code: ErrorCode.INTERNAL_SERVER_ERROR },
  };
}
