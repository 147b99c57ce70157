import { Args, ID, Int, Mutation, Query, Resolver } from '@nestjs/graphql';
import { Allow, AllowPublic, CurrentActor } from '../auth/access.decorators.js';
import type { Actor } from '../auth/actor.js';
import { Role } from '../auth/api-key.entity.js';
import { CharityBalance, ProjectBalance } from './dto/balance.type.js';
import { DonationTrace, EntryTrace, IssuedReceiptCode } from './dto/trace.type.js';
import { TracingService } from './tracing.service.js';

@Resolver()
export class TracingResolver {
  constructor(private readonly tracing: TracingService) {}

  @Query(() => DonationTrace, { description: 'Where a gift went, by the receipt code its donor holds. No key needed.' })
  @AllowPublic()
  async traceDonation(@Args('receiptCode') receiptCode: string): Promise<DonationTrace> {
    return this.tracing.traceDonation(receiptCode);
  }

  @Query(() => EntryTrace, { description: 'An entry and its links to gifts: where a gift went, or whose gifts a spending drew on.' })
  @AllowPublic()
  async traceEntry(
    @Args('charityId', { type: () => ID }) charityId: string,
    @Args('sequence', { type: () => Int }) sequence: number,
  ): Promise<EntryTrace> {
    return this.tracing.traceEntry(charityId, sequence);
  }

  @Query(() => CharityBalance)
  @AllowPublic()
  async charityBalance(@Args('charityId', { type: () => ID }) charityId: string): Promise<CharityBalance> {
    return this.tracing.charityBalance(charityId);
  }

  @Query(() => ProjectBalance)
  @AllowPublic()
  async projectBalance(@Args('charityId', { type: () => ID }) charityId: string, @Args('projectId') projectId: string): Promise<ProjectBalance> {
    return this.tracing.projectBalance(charityId, projectId);
  }

  @Mutation(() => IssuedReceiptCode, { description: 'Issues a new receipt code for a gift, revoking earlier ones (CHARITY).' })
  @Allow(Role.CHARITY)
  async issueReceiptCode(
    @CurrentActor() actor: Actor,
    @Args('charityId', { type: () => ID }) charityId: string,
    @Args('donationSequence', { type: () => Int }) donationSequence: number,
  ): Promise<IssuedReceiptCode> {
    return this.tracing.issueReceiptCode(actor, charityId, donationSequence);
  }
}
