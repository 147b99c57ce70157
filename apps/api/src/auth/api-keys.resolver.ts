import { Args, Mutation, Resolver } from '@nestjs/graphql';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { CharityEntity } from '../charities/charity.entity.js';
import { DomainError } from '../common/domain-error.js';
import { Allow } from './access.decorators.js';
import { Role } from './api-key.entity.js';
import { ApiKeysService } from './api-keys.service.js';
import { IssueApiKeyInput, IssuableRole } from './dto/issue-api-key.input.js';
import { IssuedApiKey } from './dto/issued-api-key.type.js';

@Resolver(() => IssuedApiKey)
export class ApiKeysResolver {
  constructor(
    private readonly apiKeys: ApiKeysService,
    @InjectDataSource() private readonly dataSource: DataSource,
  ) {}

  @Mutation(() => IssuedApiKey, { description: 'Issues a CHARITY or REGULATOR key (ADMIN). The key is shown once.' })
  @Allow(Role.ADMIN)
  async issueApiKey(@Args('input') input: IssueApiKeyInput): Promise<IssuedApiKey> {
    if (input.role === IssuableRole.CHARITY && !input.charityId) {
      throw DomainError.badInput('input.charityId', 'is required for a CHARITY key');
    }
    if (input.role === IssuableRole.REGULATOR && input.charityId) {
      throw DomainError.badInput('input.charityId', 'a REGULATOR key is not bound to a charity');
    }
    return this.dataSource.transaction(async (manager) => {
      if (input.charityId && !(await manager.getRepository(CharityEntity).existsBy({ id: input.charityId }))) {
        throw DomainError.notFound(`No charity has id ${input.charityId}.`);
      }
      const role = input.role === IssuableRole.CHARITY ? Role.CHARITY : Role.REGULATOR;
      return this.apiKeys.issue(manager, role, input.charityId ?? null, input.label ?? '');
    });
  }
}
