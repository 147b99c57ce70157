import { Args, Query, Resolver } from '@nestjs/graphql';
import { AllowPublic, CurrentActor } from '../auth/access.decorators.js';
import type { Actor } from '../auth/actor.js';
import { disclosureQuery } from './disclosure-query.js';
import { DisclosureDimension, DisclosureFilter } from './dto/disclosure-filter.input.js';
import { Disclosure } from './dto/disclosure.type.js';
import { DisclosuresService } from './disclosures.service.js';

@Resolver()
export class DisclosuresResolver {
  constructor(private readonly service: DisclosuresService) {}

  @Query(() => Disclosure, {
    description:
      'Totals received, spent by cost class, goods given out and people reached for a period, grouped by up to 4 dimensions, with margins and the grand total. ' +
      'Exact for regulators (and for a charity filtering on itself alone); for everyone else cells that reached 1–9 people are hidden, with complementary cells. Also as CSV: GET /disclosures.csv.',
  })
  @AllowPublic()
  async disclosures(
    @CurrentActor() actor: Actor,
    @Args('filter') filter: DisclosureFilter,
    @Args('groupBy', { type: () => [DisclosureDimension], defaultValue: [] }) groupBy: DisclosureDimension[],
  ): Promise<Disclosure> {
    return this.service.disclose(actor, disclosureQuery(filter, groupBy, 'filter.'));
  }
}
