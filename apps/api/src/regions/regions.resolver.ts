import { Query, Resolver } from '@nestjs/graphql';
import { AllowPublic } from '../auth/access.decorators.js';
import { RegionType } from './dto/region.type.js';
import { SHENZHEN_REGIONS } from './regions.js';

@Resolver(() => RegionType)
export class RegionsResolver {
  @Query(() => [RegionType], { description: "Shenzhen's districts and streets: the region codes entries use." })
  @AllowPublic()
  regions(): RegionType[] {
    return [...SHENZHEN_REGIONS];
  }
}
