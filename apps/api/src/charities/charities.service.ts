import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { isIsoCurrency } from '@charity-ledger/ledger-core';
import { randomUUID } from 'node:crypto';
import { DataSource, MoreThan } from 'typeorm';
import { Role } from '../auth/api-key.entity.js';
import { ApiKeysService } from '../auth/api-keys.service.js';
import { DomainError } from '../common/domain-error.js';
import { CharityEntity } from './charity.entity.js';
import type { RegisterCharityInput } from './dto/register-charity.input.js';
import { creditCodeProblem } from './unified-social-credit-code.js';

@Injectable()
export class CharitiesService {
  /** Charity rows never change once registered, so lookups on the write path are cached. */
  private readonly cache = new Map<string, CharityEntity>();

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly apiKeys: ApiKeysService,
  ) {}

  async register(input: RegisterCharityInput): Promise<{ charity: CharityEntity; apiKey: string }> {
    const name = input.name.trim();
    const creditCode = input.creditCode.trim().toUpperCase();
    const problem = creditCodeProblem(creditCode);
    if (problem) throw DomainError.badInput('input.creditCode', problem);
    if (!isIsoCurrency(input.currency)) throw DomainError.badInput('input.currency', `"${input.currency}" is not an ISO 4217 currency code`);

    return this.dataSource.transaction(async (manager) => {
      const repository = manager.getRepository(CharityEntity);
      const existing = await repository.findOneBy({ creditCode });
      if (existing) {
        throw DomainError.conflict(`A charity with credit code ${creditCode} is already registered (id ${existing.id}).`);
      }
      const id = randomUUID();
      await repository.insert({ id, name, creditCode, kind: input.kind, currency: input.currency });
      const issued = await this.apiKeys.issue(manager, Role.CHARITY, id, `${name} (issued at registration)`);
      return { charity: await repository.findOneByOrFail({ id }), apiKey: issued.apiKey };
    });
  }

  /** The charity, or NOT_FOUND. */
  async get(id: string): Promise<CharityEntity> {
    const cached = this.cache.get(id);
    if (cached) return cached;
    const charity = isUuid(id) ? await this.dataSource.getRepository(CharityEntity).findOneBy({ id }) : null;
    if (!charity) throw DomainError.notFound(`No charity has id ${id}.`);
    this.cache.set(id, charity);
    return charity;
  }

  async list(afterOrdinal: number, first: number): Promise<{ charities: CharityEntity[]; hasNextPage: boolean }> {
    const rows = await this.dataSource.getRepository(CharityEntity).find({
      where: { ordinal: MoreThan(String(afterOrdinal)) },
      order: { ordinal: 'ASC' },
      take: first + 1,
    });
    return { charities: rows.slice(0, first), hasNextPage: rows.length > first };
  }
}

export function isUuid(value: string): boolean {
  return /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(value);
}
