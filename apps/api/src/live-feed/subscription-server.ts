import { Logger } from '@nestjs/common';
import type { GraphQLWsSubscriptionsConfig } from '@nestjs/graphql';
import type { Request } from 'express';
import { getOperationAST, GraphQLError, parse, type DocumentNode, type GraphQLFormattedError } from 'graphql';
import { CloseCode, type Context as WsContext, type ServerOptions } from 'graphql-ws';
import type { Extra } from 'graphql-ws/use/ws';
import type { WebSocket } from 'ws';
import type { RequestWithActor } from '../auth/access.decorators.js';
import { ApiKeysService } from '../auth/api-keys.service.js';
import { DomainError, ErrorCode } from '../common/domain-error.js';
import { formatGraphQLError } from '../common/graphql-errors.js';
import type { LiveConnection } from './live-feed.service.js';

const logger = new Logger('GraphQL');

/** What a WebSocket connection keeps between connection_init and its subscriptions. */
interface ConnectionExtra extends Extra {
  caller?: RequestWithActor;
  /** One per socket: the live feed ends all of a socket's subscriptions together. */
  connection?: LiveConnection;
}

type ConnectionContext = WsContext<Record<string, unknown> | undefined, ConnectionExtra>;

/** The GraphQL context every resolver and the AccessGuard see. */
export interface GraphQLContext {
  /** The HTTP request, or for a subscription its connection's stand-in (key and caller). */
  req: RequestWithActor;
  /** Present for a subscription: the WebSocket it runs on. */
  connection?: LiveConnection;
}

/** The context of an HTTP request (Apollo) or of an operation on a WebSocket (graphql-ws). */
export function graphqlContext(source: { req: Request } | ConnectionContext): GraphQLContext {
  if (!('extra' in source)) return { req: source.req };
  const extra = source.extra;
  extra.connection ??= { close: (code, reason) => extra.socket.close(code, limitReason(reason)) };
  return {
    // onConnect has resolved the key; without it no operation is accepted on the socket
    req: extra.caller ?? { headers: {} },
    connection: extra.connection,
  };
}

/**
 * graphql-ws on the same path as HTTP (/graphql). The API key, if any, comes in the
 * connection_init payload, like the HTTP header: `{ "authorization": "Bearer <key>" }`.
 * It is checked once, when the connection opens; a bad one closes the socket with
 * 4401 and the reason, so a typo never silently downgrades a caller to PUBLIC.
 * Only subscriptions run here; queries and mutations go over HTTP.
 */
export function subscriptionServer(apiKeys: ApiKeysService): GraphQLWsSubscriptionsConfig {
  const options: Pick<ServerOptions<Record<string, unknown> | undefined, ConnectionExtra>, 'onConnect' | 'onSubscribe' | 'onNext' | 'onError'> = {
    onConnect: async (context) => {
      const socket = context.extra.socket;
      boundCloseHandshake(socket);
      try {
        const authorization = authorizationOf(context.connectionParams);
        const actor = await apiKeys.authenticate(authorization);
        context.extra.caller = { headers: { authorization }, actor };
        return true;
      } catch (error) {
        if (error instanceof DomainError) {
          socket.close(CloseCode.Unauthorized, limitReason(error.message));
        } else {
          logger.error(`checking a subscriber's API key failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
          socket.close(CloseCode.InternalServerError, 'Internal server error');
        }
        return false;
      }
    },
    onSubscribe: (_context, _id, payload) => {
      let document: DocumentNode;
      try {
        document = parse(payload.query);
      } catch (error) {
        if (error instanceof GraphQLError) return [withCode(error, 'GRAPHQL_PARSE_FAILED')];
        throw error;
      }
      const operation = getOperationAST(document, payload.operationName);
      if (operation && operation.operation !== 'subscription') {
        return [
          new GraphQLError(`Only subscriptions run over the WebSocket: send ${operation.operation}s with POST /graphql.`, {
            extensions: { code: 'BAD_REQUEST' },
          }),
        ];
      }
      // graphql-ws parses and validates the operation itself from here on
      return undefined;
    },
    // the same error shapes as over HTTP: a code on every error, no internals
    onNext: (_context, _id, _payload, _args, result) =>
      result.errors ? { ...result, errors: result.errors.map((error) => formatted(error, ErrorCode.BAD_USER_INPUT)) } : undefined,
    onError: (_context, _id, _payload, errors) => errors.map((error) => formatted(error, 'GRAPHQL_VALIDATION_FAILED')),
  };
  return options as GraphQLWsSubscriptionsConfig;
}

/** `authorization` in the connection_init payload, whatever its case (GraphiQL sends `Authorization`). */
function authorizationOf(params: Record<string, unknown> | undefined): string | undefined {
  const key = params ? Object.keys(params).find((name) => name.toLowerCase() === 'authorization') : undefined;
  const value = key === undefined ? undefined : params![key];
  if (value === undefined || value === null || value === '') return undefined;
  if (typeof value !== 'string' || !/^Bearer\s+\S+\s*$/i.test(value)) {
    throw DomainError.unauthenticated('The authorization connection parameter must be "Bearer <API key>".');
  }
  return value;
}

/**
 * Errors raised by resolvers keep their DomainError code (or become
 * INTERNAL_SERVER_ERROR); errors GraphQL raises before running anything (parse,
 * validation, variables) get `requestCode` unless they carry one.
 */
function formatted(error: GraphQLError, requestCode: string): GraphQLFormattedError {
  if (error.originalError) return formatGraphQLError(error.toJSON(), error);
  const code = typeof error.extensions.code === 'string' ? error.extensions.code : requestCode;
  return { message: error.message, locations: error.locations, path: error.path, extensions: { code } };
}

function withCode(error: GraphQLError, code: string): GraphQLError {
  return new GraphQLError(error.message, { nodes: error.nodes, source: error.source, positions: error.positions, extensions: { code } });
}

/** How long a socket the server closes may take to answer the close frame; then it is cut. */
const CLOSE_HANDSHAKE_MS = 10_000;
/** The same when the service shuts down (close code 1001, "going away"). */
const SHUTDOWN_CLOSE_HANDSHAKE_MS = 1_000;

/**
 * ws waits 30 s for the peer to answer a close frame. A client that stopped reading
 * (the one a 4413 close is for) never answers, and at shutdown it would hold the
 * service that long: such a socket is cut sooner.
 */
function boundCloseHandshake(socket: WebSocket): void {
  const close = socket.close.bind(socket);
  socket.close = (code?: number, reason?: string | Buffer) => {
    close(code, reason);
    const grace = code === 1001 ? SHUTDOWN_CLOSE_HANDSHAKE_MS : CLOSE_HANDSHAKE_MS;
    setTimeout(() => socket.readyState !== socket.CLOSED && socket.terminate(), grace).unref();
  };
}

/** A WebSocket close reason holds at most 123 bytes of UTF-8. */
function limitReason(reason: string): string {
  if (Buffer.byteLength(reason) <= 123) return reason;
  let cut = reason;
  while (Buffer.byteLength(`${cut}…`) > 123) cut = cut.slice(0, -1);
  return `${cut}…`;
}
