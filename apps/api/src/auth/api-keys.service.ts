import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { DataSource, IsNull, Not, type EntityManager } from 'typeorm';
import { DomainError } from '../common/domain-error.js';
import { ApiKeyEntity, Role } from './api-key.entity.js';
import { PUBLIC_ACTOR, type Actor } from './actor.js';

const KEY_PREFIX = 'clk_';
const CACHE_TTL_MS = 30_000;
const CACHE_LIMIT = 10_000;

export interface IssuedKey {
  id: string;
  /** The key itself: returned once, never stored. */
  apiKey: string;
  role: Role;
  charityId: string | null;
}

/**
 * API keys are 256-bit random secrets; only their SHA-256 is stored. A fast hash
 * is right here (unlike passwords): a random 256-bit key cannot be guessed, so a
 * slow KDF would add latency to every request and no security.
 */
@Injectable()
export class ApiKeysService {
  private readonly cache = new Map<string, { actor: Actor; expires: number }>();

  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  static hash(apiKey: string): string {
    return createHash('sha256').update(apiKey, 'utf8').digest('hex');
  }

  /** Resolves an Authorization header value; a bad or revoked key is UNAUTHENTICATED. */
  async authenticate(authorization: string | undefined): Promise<Actor> {
    if (authorization === undefined || authorization === '') return PUBLIC_ACTOR;
    const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization);
    if (!match) {
      throw DomainError.unauthenticated('The Authorization header must be "Bearer <API key>".');
    }
    const keyHash = ApiKeysService.hash(match[1]);
    const cached = this.cache.get(keyHash);
    if (cached && cached.expires > Date.now()) return cached.actor;

    const key = await this.dataSource.getRepository(ApiKeyEntity).findOneBy({ keyHash });
    if (!key || key.revokedAt) {
      this.cache.delete(keyHash);
      throw DomainError.unauthenticated('The API key is not valid (unknown or revoked).');
    }
    const actor: Actor = Object.freeze({ role: key.role, keyId: key.id, charityId: key.charityId });
    if (this.cache.size >= CACHE_LIMIT) this.cache.clear();
    this.cache.set(keyHash, { actor, expires: Date.now() + CACHE_TTL_MS });
    return actor;
  }

  /** Creates a key inside the caller's transaction; the plain key is returned once. */
  async issue(
    manager: EntityManager,
    role: Role.CHARITY | Role.REGULATOR | Role.ADMIN,
    charityId: string | null,
    label: string,
    apiKey: string = KEY_PREFIX + randomBytes(32).toString('base64url'),
  ): Promise<IssuedKey> {
    const id = randomUUID();
    await manager.getRepository(ApiKeyEntity).insert({
      id,
      keyHash: ApiKeysService.hash(apiKey),
      keyPrefix: apiKey.slice(0, 10),
      role,
      charityId,
      label,
    });
    return { id, apiKey, role, charityId };
  }

  /**
   * Makes sure an admin key exists. With ADMIN_API_KEY set, that key is the admin
   * key (other admin keys are revoked, so changing the setting rotates it).
   * Without it, a key is generated once and returned so the caller can print it.
   */
  async ensureAdminKey(configuredKey: string | undefined): Promise<{ generated?: string; keyId: string }> {
    return this.dataSource.transaction(async (manager) => {
      const repository = manager.getRepository(ApiKeyEntity);
      // serialize concurrent starts of several instances
      await manager.query('SELECT pg_advisory_xact_lock($1)', [7_302_415_002]);
      if (configuredKey !== undefined) {
        const keyHash = ApiKeysService.hash(configuredKey);
        const existing = await repository.findOneBy({ keyHash });
        if (existing && (existing.role !== Role.ADMIN || existing.revokedAt)) {
          throw new Error('ADMIN_API_KEY equals a key that is not an active admin key; choose another value.');
        }
        const keyId = existing?.id ?? (await this.issue(manager, Role.ADMIN, null, 'ADMIN_API_KEY', configuredKey)).id;
        await repository.update({ role: Role.ADMIN, revokedAt: IsNull(), id: Not(keyId) }, { revokedAt: new Date() });
        return { keyId };
      }
      const active = await repository.findOneBy({ role: Role.ADMIN, revokedAt: IsNull() });
      if (active) return { keyId: active.id };
      const issued = await this.issue(manager, Role.ADMIN, null, 'generated at first start');
      return { generated: issued.apiKey, keyId: issued.id };
    });
  }
}
