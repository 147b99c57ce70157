import { Args, ID, Int, Mutation, Query, Resolver } from '@nestjs/graphql';
import { Allow, AllowPublic } from '../auth/access.decorators.js';
import { Role } from '../auth/api-key.entity.js';
import { decodeCursor, encodeCursor, pageSize } from '../common/pagination.js';
import { CharitiesService } from './charities.service.js';
import { CharityConnection } from './dto/charity-connection.type.js';
import { CharityRegistration } from './dto/charity-registration.type.js';
import { Charity, toCharity } from './dto/charity.type.js';
import { RegisterCharityInput } from './dto/register-charity.input.js';

const CURSOR_KIND = 'charity';

@Resolver(() => Charity)
export class CharitiesResolver {
  constructor(private readonly service: CharitiesService) {}

  @Mutation(() => CharityRegistration, { description: 'Registers a charity and returns its first CHARITY API key (ADMIN).' })
  @Allow(Role.ADMIN)
  async registerCharity(@Args('input') input: RegisterCharityInput): Promise<CharityRegistration> {
    const { charity, apiKey } = await this.service.register(input);
    return { charity: toCharity(charity), apiKey };
  }

  @Query(() => Charity)
  @AllowPublic()
  async charity(@Args('id', { type: () => ID }) id: string): Promise<Charity> {
    return toCharity(await this.service.get(id));
  }

  @Query(() => CharityConnection, { description: 'All charities, in registration order.' })
  @AllowPublic()
  async charities(
    @Args('first', { type: () => Int, nullable: true, description: 'Page size, 1–500 (default 50).' }) first?: number,
    @Args('after', { type: () => String, nullable: true }) after?: string,
  ): Promise<CharityConnection> {
    const { charities, hasNextPage } = await this.service.list(decodeCursor(CURSOR_KIND, after), pageSize(first));
    const edges = charities.map((charity) => ({ cursor: encodeCursor(CURSOR_KIND, Number(charity.ordinal)), node: toCharity(charity) }));
    return { edges, pageInfo: { hasNextPage, endCursor: edges.at(-1)?.cursor ?? null } };
  }
}
