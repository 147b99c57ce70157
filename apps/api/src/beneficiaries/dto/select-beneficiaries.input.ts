import { Field, InputType } from '@nestjs/graphql';
import { Type } from 'class-transformer';
import { ArrayMaxSize, ArrayMinSize, Matches, ValidateNested } from 'class-validator';
import { LedgerInputBase } from '../../ledger/dto/ledger-input.base.js';
import { RegionInput } from '../../regions/dto/region.input.js';
import { CalendarDate, ProjectId, Sha256Hex, Text } from '../../common/input-rules.js';

/** Pseudonyms are opaque tokens: never a name, never an ID number. */
export const PSEUDONYM = /^[A-Za-z0-9_-]{8,128}$/;

@InputType()
export class SelectionCriteriaInput {
  @Field({ description: 'The criteria as published.' })
  @Text(4000)
  text!: string;

  @Field({ description: 'Version of the criteria, e.g. 2026-1.' })
  @Text(64)
  version!: string;
}

@InputType({ description: 'A selected person, by pseudonym only: no name or ID number ever reaches the ledger.' })
export class SelectedBeneficiaryInput {
  @Field({ description: 'Pseudonym (8–128 letters, digits, _ or -), e.g. the keyed hash the platform derives.' })
  @Matches(PSEUDONYM, { message: 'must be 8 to 128 letters, digits, _ or -' })
  pseudonym!: string;

  @Field({ description: 'Salted commitment to the person’s identity: SHA-256, lowercase hex.' })
  @Sha256Hex()
  commitment!: string;

  @Field(() => RegionInput)
  @ValidateNested()
  @Type(() => RegionInput)
  region!: RegionInput;
}

@InputType()
export class SelectBeneficiariesInput extends LedgerInputBase {
  @Field()
  @ProjectId()
  projectId!: string;

  @Field(() => SelectionCriteriaInput)
  @ValidateNested()
  @Type(() => SelectionCriteriaInput)
  criteria!: SelectionCriteriaInput;

  @Field({ description: 'Who decided, e.g. the project committee.' })
  @Text(200)
  decisionBody!: string;

  @Field({ description: 'YYYY-MM-DD, not in the future.' })
  @CalendarDate()
  decidedOn!: string;

  @Field(() => [SelectedBeneficiaryInput])
  @ArrayMinSize(1, { message: 'must list at least one beneficiary' })
  @ArrayMaxSize(1000)
  @ValidateNested({ each: true })
  @Type(() => SelectedBeneficiaryInput)
  beneficiaries!: SelectedBeneficiaryInput[];
}
