import { Args, ID, Int, Mutation, Query, Resolver } from '@nestjs/graphql';
import { Allow, AllowPublic, CurrentActor } from '../auth/access.decorators.js';
import type { Actor } from '../auth/actor.js';
import { Role } from '../auth/api-key.entity.js';
import { LedgerEntry, toLedgerEntry } from '../ledger/dto/ledger-entry.type.js';
import { DisclosureScheduleType, OverdueDisclosureType } from './dto/disclosure-schedule.type.js';
import { ProgressReportConnection } from './dto/progress-report.type.js';
import { PublishProgressReportInput } from './dto/publish-progress-report.input.js';
import { ReportsService } from './reports.service.js';

@Resolver()
export class ReportsResolver {
  constructor(private readonly reports: ReportsService) {}

  @Mutation(() => LedgerEntry, {
    description:
      "Publishes a project's progress report for a month or quarter that has ended (CHARITY). The service adds the period's figures of the project from the ledger (financialSummary) before the entry is hashed. To correct a report, reverse it (reverseEntry) and publish a new one.",
  })
  @Allow(Role.CHARITY)
  async publishProgressReport(@CurrentActor() actor: Actor, @Args('input') input: PublishProgressReportInput): Promise<LedgerEntry> {
    return toLedgerEntry(await this.reports.publish(actor, input));
  }

  @Query(() => ProgressReportConnection, { description: "A charity's progress reports (optionally one project's), in chain order, reversed ones marked." })
  @AllowPublic()
  async progressReports(
    @Args('charityId', { type: () => ID }) charityId: string,
    @Args('projectId', { type: () => String, nullable: true }) projectId?: string,
    @Args('first', { type: () => Int, nullable: true, description: 'Page size, 1–500 (default 50).' }) first?: number,
    @Args('after', { type: () => String, nullable: true, description: 'endCursor of the previous page.' }) after?: string,
  ): Promise<ProgressReportConnection> {
    return this.reports.list(charityId, projectId ?? undefined, first ?? undefined, after ?? undefined);
  }

  @Query(() => DisclosureScheduleType, {
    description: "A project's disclosure deadlines as of today: periodic reports, the final report and the leftovers, with what met each (慈善法 Art. 79, MCA Order No. 81).",
  })
  @AllowPublic()
  async disclosureSchedule(
    @Args('charityId', { type: () => ID }) charityId: string,
    @Args('projectId') projectId: string,
  ): Promise<DisclosureScheduleType> {
    return this.reports.schedule(charityId, projectId);
  }

  @Query(() => [OverdueDisclosureType], { description: 'Disclosures past due and not met as of a date, across all charities (REGULATOR).' })
  @Allow(Role.REGULATOR)
  async overdueDisclosures(@Args('asOf', { description: 'YYYY-MM-DD (China Standard Time).' }) asOf: string): Promise<OverdueDisclosureType[]> {
    return this.reports.overdue(asOf);
  }
}
