import { Field, InputType, registerEnumType } from '@nestjs/graphql';
import { Type } from 'class-transformer';
import { ArrayMaxSize, IsDate, IsIn, IsOptional, MaxLength, ValidateNested } from 'class-validator';
import { COST_CLASSES } from '@charity-ledger/ledger-core';
import { LedgerInputBase } from '../../ledger/dto/ledger-input.base.js';
import { FundingInput } from './funding.input.js';
import { CurrencyCode, ProjectId, Sha256Hex, Text } from '../../common/input-rules.js';

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
  @ProjectId()
  projectId?: string;

  @Field(() => CostClass)
  @IsIn(COST_CLASSES)
  costClass!: (typeof COST_CLASSES)[number];

  @Field()
  @MaxLength(32)
  amount!: string;

  @Field()
  @CurrencyCode()
  currency!: string;

  @Field()
  @Text(1000)
  description!: string;

  @Field({ description: 'SHA-256 (lowercase hex) of the evidence document.' })
  @Sha256Hex()
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
