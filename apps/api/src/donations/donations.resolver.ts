import { Args, ID, Int, Mutation, Query, Resolver } from '@nestjs/graphql';
import { Allow, CurrentActor } from '../auth/access.decorators.js';
import type { Actor } from '../auth/actor.js';
import { Role } from '../auth/api-key.entity.js';
import { ValidateEach } from '../common/validation.js';
import { LedgerEntry, toLedgerEntry } from '../ledger/dto/ledger-entry.type.js';
import { DonationsService, type RecordedGift } from './donations.service.js';
import { DonationReceipt } from './dto/donation-receipt.type.js';
import { RecordDonationInput } from './dto/record-donation.input.js';
import { RecordInKindDonationInput } from './dto/record-in-kind-donation.input.js';
import { RefundDonationInput } from './dto/refund-donation.input.js';

function withReceipt(gift: RecordedGift): LedgerEntry {
  return { ...toLedgerEntry(gift.entry), receiptCode: gift.receiptCode };
}

@Resolver()
export class DonationsResolver {
  constructor(private readonly donations: DonationsService) {}

  @Mutation(() => LedgerEntry, { description: "Records a gift of money on the charity's chain (CHARITY)." })
  @Allow(Role.CHARITY)
  async recordDonation(@CurrentActor() actor: Actor, @Args('input') input: RecordDonationInput): Promise<LedgerEntry> {
    return withReceipt(await this.donations.recordDonation(actor, input));
  }

  @Mutation(() => LedgerEntry, { description: "Records a gift of goods on the charity's chain (CHARITY)." })
  @Allow(Role.CHARITY)
  async recordInKindDonation(
    @CurrentActor() actor: Actor,
    @Args('input') input: RecordInKindDonationInput,
  ): Promise<LedgerEntry> {
    return withReceipt(await this.donations.recordInKindDonation(actor, input));
  }

  @Mutation(() => [LedgerEntry], {
    description: 'Records up to 1,000 gifts of money at once, all or nothing (bulk import of a day’s gifts) (CHARITY).',
  })
  @Allow(Role.CHARITY)
  async recordDonations(
    @CurrentActor() actor: Actor,
    @Args('inputs', { type: () => [RecordDonationInput] }, new ValidateEach(RecordDonationInput, 'inputs'))
    inputs: RecordDonationInput[],
  ): Promise<LedgerEntry[]> {
    return (await this.donations.recordDonations(actor, inputs)).map(withReceipt);
  }

  @Mutation(() => LedgerEntry, { description: 'Returns unspent restricted money to its donor (CHARITY).' })
  @Allow(Role.CHARITY)
  async refundDonation(@CurrentActor() actor: Actor, @Args('input') input: RefundDonationInput): Promise<LedgerEntry> {
    return toLedgerEntry(await this.donations.refundDonation(actor, input));
  }

  @Query(() => DonationReceipt, { description: 'Receipt fields of one gift, with the private donor name (CHARITY own, REGULATOR).' })
  @Allow(Role.CHARITY, Role.REGULATOR)
  async donationReceipt(
    @CurrentActor() actor: Actor,
    @Args('charityId', { type: () => ID }) charityId: string,
    @Args('sequence', { type: () => Int }) sequence: number,
  ): Promise<DonationReceipt> {
    return this.donations.receipt(actor, charityId, sequence);
  }
}
