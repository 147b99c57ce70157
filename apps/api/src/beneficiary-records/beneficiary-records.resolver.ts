import { Args, ID, Int, Mutation, Query, Resolver } from '@nestjs/graphql';
import { Allow, CurrentActor } from '../auth/access.decorators.js';
import type { Actor } from '../auth/actor.js';
import { Role } from '../auth/api-key.entity.js';
import { BeneficiaryRecordsService } from './beneficiary-records.service.js';
import { BeneficiaryAccessLogFilter } from './dto/access-log-filter.input.js';
import { BeneficiaryAccessLogConnection } from './dto/access-log.type.js';
import { BeneficiaryEnrollment } from './dto/beneficiary-enrollment.type.js';
import { BeneficiaryErasure, BeneficiaryRecord } from './dto/beneficiary-record.type.js';
import { EnrollBeneficiaryInput } from './dto/enroll-beneficiary.input.js';

const PSEUDONYM_DESCRIPTION = 'The pseudonym enrollBeneficiary returned (bnf_…).';
const REASON_DESCRIPTION = 'Why (recorded in the access log), e.g. "case review 2026-041".';
const CHARITY_DESCRIPTION = 'The enrolling charity; a CHARITY key may leave it out for its own, a REGULATOR names it.';

// ADMIN keys pass the guard for reads and erasures only to be refused by the
// service, so that the operator's own attempts are in the access log too.
@Resolver()
export class BeneficiaryRecordsResolver {
  constructor(private readonly records: BeneficiaryRecordsService) {}

  @Mutation(() => BeneficiaryEnrollment, {
    description:
      'Enrolls a person’s personal data, sealed off the ledger for this person alone, and returns the pseudonym and commitment to use in selectBeneficiaries (CHARITY). The same person gets the same pseudonym at every charity.',
  })
  @Allow(Role.CHARITY)
  async enrollBeneficiary(@CurrentActor() actor: Actor, @Args('input') input: EnrollBeneficiaryInput): Promise<BeneficiaryEnrollment> {
    return this.records.enroll(actor, input);
  }

  @Query(() => BeneficiaryRecord, {
    description:
      'A person’s personal data as a charity enrolled them: the enrolling charity (its own people) and REGULATOR only. Every attempt is written to the access log with its reason. GONE after erasure.',
  })
  @Allow(Role.CHARITY, Role.REGULATOR, Role.ADMIN)
  async beneficiaryRecord(
    @CurrentActor() actor: Actor,
    @Args('pseudonym', { description: PSEUDONYM_DESCRIPTION }) pseudonym: string,
    @Args('reason', { description: REASON_DESCRIPTION }) reason: string,
    @Args('charityId', { type: () => ID, nullable: true, description: CHARITY_DESCRIPTION }) charityId?: string,
  ): Promise<BeneficiaryRecord> {
    return this.records.read(actor, pseudonym, reason, charityId);
  }

  @Mutation(() => BeneficiaryErasure, {
    description:
      'Erases a person’s personal data for good by destroying their key and salt (PIPL Art. 47): the enrolling CHARITY only. The ledger keeps the pseudonym and commitment, and every hash and proof still verifies.',
  })
  @Allow(Role.CHARITY, Role.REGULATOR, Role.ADMIN)
  async eraseBeneficiary(
    @CurrentActor() actor: Actor,
    @Args('pseudonym', { description: PSEUDONYM_DESCRIPTION }) pseudonym: string,
    @Args('reason', { description: REASON_DESCRIPTION }) reason: string,
    @Args('charityId', { type: () => ID, nullable: true, description: CHARITY_DESCRIPTION }) charityId?: string,
  ): Promise<BeneficiaryErasure> {
    return this.records.erase(actor, pseudonym, reason, charityId);
  }

  @Query(() => BeneficiaryAccessLogConnection, {
    description: 'Who enrolled, read or erased whose personal data, when and why, newest first: REGULATOR (all), CHARITY (its own people).',
  })
  @Allow(Role.CHARITY, Role.REGULATOR)
  async beneficiaryAccessLog(
    @CurrentActor() actor: Actor,
    @Args('filter', { type: () => BeneficiaryAccessLogFilter, nullable: true }) filter?: BeneficiaryAccessLogFilter,
    @Args('first', { type: () => Int, nullable: true, description: 'Page size, 1–500 (default 50).' }) first?: number,
    @Args('after', { type: () => String, nullable: true, description: 'endCursor of the previous page.' }) after?: string,
  ): Promise<BeneficiaryAccessLogConnection> {
    return this.records.accessLog(actor, filter, first, after);
  }
}
