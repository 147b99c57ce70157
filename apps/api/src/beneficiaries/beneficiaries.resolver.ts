import { Args, Mutation, Resolver } from '@nestjs/graphql';
import { Allow, CurrentActor } from '../auth/access.decorators.js';
import type { Actor } from '../auth/actor.js';
import { Role } from '../auth/api-key.entity.js';
import { LedgerEntry, toLedgerEntry } from '../ledger/dto/ledger-entry.type.js';
import { BeneficiariesService } from './beneficiaries.service.js';
import { RecordDisbursementInput } from './dto/record-disbursement.input.js';
import { SelectBeneficiariesInput } from './dto/select-beneficiaries.input.js';

@Resolver()
export class BeneficiariesResolver {
  constructor(private readonly beneficiaries: BeneficiariesService) {}

  @Mutation(() => LedgerEntry, { description: 'Records who was selected for a project, by pseudonym, with the criteria (CHARITY).' })
  @Allow(Role.CHARITY)
  async selectBeneficiaries(@CurrentActor() actor: Actor, @Args('input') input: SelectBeneficiariesInput): Promise<LedgerEntry> {
    return toLedgerEntry(await this.beneficiaries.select(actor, input));
  }

  @Mutation(() => LedgerEntry, {
    description: 'Records cash and/or goods given to a selected beneficiary (CHARITY). INSUFFICIENT_FUNDS / INSUFFICIENT_GOODS beyond what the project has.',
  })
  @Allow(Role.CHARITY)
  async recordDisbursement(@CurrentActor() actor: Actor, @Args('input') input: RecordDisbursementInput): Promise<LedgerEntry> {
    return toLedgerEntry(await this.beneficiaries.disburse(actor, input));
  }
}
