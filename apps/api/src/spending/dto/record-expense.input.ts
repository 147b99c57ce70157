import { Field, InputType, registerEnumType } from '@nestjs/graphql';
import { Type } from 'class-transformer';
import { ArrayMaxSize, IsDate, IsIn, IsOptional, Matches, MaxLength, ValidateNested } from 'class-validator';
import { COST_CLASSES } from '@charity-ledger/ledger-core';
import { LedgerInputBase } from '../../ledger/dto/ledger-input.base.js';
import { PROJECT_ID } from '../../projects/dto/open-project.input.js';
import { FundingInput } from './funding.input.js';

export const CostClass = Object.fromEntries(COST_CLASSES.map((costClass) => [costClass, costClass])) as {
  [Key in (typeof COST_CLASSES)[number]]: Key;
};

registerEnumType(CostClass, {
  name: 'CostClass',
  description: 'The split of 慈善法 Art. 61 and Form 990 Part IX.',
  valuesMap: {
    CHARITABLE_ACTIVITY: { description: '慈善活动支出 (program services)' },
    MANAGEMENT: { description: '管理费用 (management and general)' },
    FUNDRAISING: { description: '募捐成本 (fundraising)' },
  },
});

@InputType({ description: 'Money spent, for a project or for the charity as a whole.' })
export class RecordExpenseInput extends LedgerInputBase {
  @Field({ nullable: true, description: 'The project, if any; without one only unrestricted money pays.' })
  @IsOptional()
  @Matches(PROJECT_ID, { message: 'must be a project id' })
  projectId?: string;

  @Field(() => CostClass)
  @IsIn(COST_CLASSES)
  costClass!: (typeof COST_CLASSES)[number];

  @Field()
  @MaxLength(32)
  amount!: string;

  @Field()
  @Matches(/^[A-Z]{3}$/, { message: 'must be a three-letter ISO 4217 code such as CNY' })
  currency!: string;

  @Field()
  @Matches(/\S/, { message: 'must not be empty' })
  @MaxLength(1000)
  description!: string;

  @Field({ description: 'SHA-256 (lowercase hex) of the evidence document.' })
  @Matches(/^[0-9a-f]{64}$/, { message: 'must be a SHA-256 in lowercase hex (64 characters)' })
  evidenceSha256!: string;

  @Field(() => [FundingInput], { nullable: true })
  @IsOptional()
  @ArrayMaxSize(500)
  @ValidateNested({ each: true })
  @Type(() => FundingInput)
  funding?: FundingInput[];

  @Field({ description: 'When the cost was incurred (not in the future).' })
  @IsDate()
  incurredAt!: Date;
}
