import { Catch } from '@nestjs/common';
import type { GqlExceptionFilter } from '@nestjs/graphql';
import { GraphQLError } from 'graphql';
import { DomainError } from './domain-error.js';

/**
 * Turns a DomainError into a GraphQL error carrying its code. Expected errors
 * are the client's to fix, so they are answered, not logged as failures.
 */
@Catch(DomainError)
export class DomainErrorFilter implements GqlExceptionFilter {
  catch(error: DomainError): GraphQLError {
    return new GraphQLError(error.message, {
      originalError: error,
      extensions: { code: error.code, ...(error.field ? { field: error.field } : {}) },
    });
  }
}
