import { Args, Query, Resolver } from '@nestjs/graphql';
import { Allow } from '../auth/access.decorators.js';
import { Role } from '../auth/api-key.entity.js';
import { ProjectCategory } from '../projects/dto/open-project.input.js';
import { AidPeriodInput } from './dto/aid-period.input.js';
import { DuplicateAidReport } from './dto/duplicate-aid-report.type.js';
import { DuplicateAidService } from './duplicate-aid.service.js';

@Resolver()
export class DuplicateAidResolver {
  constructor(private readonly duplicateAid: DuplicateAidService) {}

  @Query(() => DuplicateAidReport, {
    description:
      'People (by pseudonym) who received disbursements in projects of the category from more than one charity in the period, with what each charity gave; reversed disbursements are left out (REGULATOR only).',
  })
  @Allow(Role.REGULATOR)
  async duplicateAidReport(
    @Args('period', { type: () => AidPeriodInput }) period: AidPeriodInput,
    @Args('category', { type: () => ProjectCategory, description: 'Project category, as the projects were opened with.' }) category: string,
  ): Promise<DuplicateAidReport> {
    return this.duplicateAid.report(period, category);
  }
}
