import { createParamDecorator, SetMetadata, type ExecutionContext } from '@nestjs/common';
import { GqlExecutionContext } from '@nestjs/graphql';
import type { Request } from 'express';
import { Role } from './api-key.entity.js';
import type { Actor } from './actor.js';

export const ROLES_KEY = 'charity-ledger:roles';

/** Roles allowed to run an operation. PUBLIC allows anyone, with or without a key. */
export const Allow = (...roles: Role[]) => SetMetadata(ROLES_KEY, roles);

/** Readable by anyone: donors, charities, regulators. */
export const AllowPublic = () => Allow(Role.PUBLIC, Role.CHARITY, Role.REGULATOR, Role.ADMIN);

/**
 * What the AccessGuard reads the key from and records the caller on: the HTTP
 * request, or for a GraphQL subscription the stand-in its WebSocket connection
 * gives (the key then comes from the connection_init payload, see
 * live-feed/subscription-server.ts).
 */
export interface RequestWithActor {
  headers: Pick<Request['headers'], 'authorization'>;
  actor?: Actor;
}

export function requestOf(context: ExecutionContext): RequestWithActor {
  if (context.getType<string>() === 'graphql') {
    const request = GqlExecutionContext.create(context).getContext<{ req?: RequestWithActor }>().req;
    if (!request) throw new Error('the GraphQL context carries no request: see graphqlContext in live-feed/subscription-server.ts');
    return request;
  }
  return context.switchToHttp().getRequest<RequestWithActor>();
}

/** The caller, as resolved by the AccessGuard. */
export const CurrentActor = createParamDecorator((_data: unknown, context: ExecutionContext): Actor => {
  const actor = requestOf(context).actor;
  if (!actor) throw new Error('CurrentActor used on an operation without an @Allow rule');
  return actor;
});
