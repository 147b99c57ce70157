import { Args, ID, Int, Query, Resolver } from '@nestjs/graphql';
import { Allow } from '../auth/access.decorators.js';
import { Role } from '../auth/api-key.entity.js';
import { ComplianceService } from './compliance.service.js';
import { ComplianceReport } from './dto/compliance-report.type.js';

@Resolver()
export class ComplianceResolver {
  constructor(private readonly compliance: ComplianceService) {}

  @Query(() => ComplianceReport, {
    description:
      'Checks a charity’s charitable-activity spending and management costs for a year against the standard for its kind (Charity Law Art. 61; the 2016 rules Art. 8–11), with each rule’s source, inputs and arithmetic, and flags: overdue disclosures, restricted funds unspent for over 12 months, reversals per 100 entries (REGULATOR).',
  })
  @Allow(Role.REGULATOR)
  async complianceReport(@Args('charityId', { type: () => ID }) charityId: string, @Args('year', { type: () => Int }) year: number): Promise<ComplianceReport> {
    return this.compliance.report(charityId, year);
  }
}
