import { Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { DomainError } from '../common/domain-error.js';
import { ROLES_KEY, requestOf } from './access.decorators.js';
import { Role } from './api-key.entity.js';
import { ApiKeysService } from './api-keys.service.js';

/**
 * Global guard: resolves the caller from `Authorization: Bearer <key>` and checks
 * the operation's @Allow rule. Operations without a rule are refused, so nothing
 * is open by accident. GraphQL subscriptions go through it too: their WebSocket
 * connection resolves its key once, from the connection_init payload, and hands
 * the guard a request that carries the caller (live-feed/subscription-server.ts).
 */
@Injectable()
export class AccessGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly apiKeys: ApiKeysService,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const allowed = this.reflector.getAllAndOverride<Role[] | undefined>(ROLES_KEY, [context.getHandler(), context.getClass()]);
    if (allowed === undefined) {
      // HTTP routes without a rule (explorer, health) are public and carry no key
      if (context.getType<string>() !== 'graphql') return true;
      throw DomainError.forbidden('This operation is not open to any role.');
    }
    const request = requestOf(context);
    const actor = request.actor ?? (await this.apiKeys.authenticate(request.headers.authorization));
    request.actor = actor;
    if (allowed.includes(actor.role)) return true;
    if (actor.role === Role.PUBLIC) {
      throw DomainError.unauthenticated(
        `This operation needs an API key with role ${allowed.join(' or ')}: send "Authorization: Bearer <key>".`,
      );
    }
    throw DomainError.forbidden(`A ${actor.role} key may not run this operation (allowed: ${allowed.join(', ')}).`);
  }
}
