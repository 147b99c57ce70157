import { Field, InputType, Int, registerEnumType } from '@nestjs/graphql';
import { Type } from 'class-transformer';
import { ArrayMaxSize, ArrayMinSize, IsEnum, IsInt, Matches, Max, MaxLength, Min, ValidateNested } from 'class-validator';
import { DonationInputBase } from './donation-common.input.js';

export enum ValuationBasis {
  INVOICE = 'INVOICE',
  MARKET_PRICE = 'MARKET_PRICE',
  APPRAISAL = 'APPRAISAL',
}

export enum ItemCondition {
  NEW = 'NEW',
  USED_GOOD = 'USED_GOOD',
  USED_FAIR = 'USED_FAIR',
}

registerEnumType(ValuationBasis, {
  name: 'ValuationBasis',
  description: 'How the fair value was established (捐赠财产价值的确定依据).',
});
registerEnumType(ItemCondition, { name: 'ItemCondition' });

@InputType()
export class InKindItemInput {
  @Field({ description: 'Item code used to track the goods through disbursement, e.g. WHEELCHAIR-STD.' })
  @Matches(/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/, { message: 'must be letters, digits, . _ - (at most 64)' })
  itemCode!: string;

  @Field()
  @Matches(/\S/, { message: 'must not be empty' })
  @MaxLength(500)
  description!: string;

  @Field(() => Int, { description: 'Whole units (use a smaller unit for fractions, e.g. g instead of kg).' })
  @IsInt()
  @Min(1, { message: 'must be at least 1' })
  @Max(1_000_000_000)
  quantity!: number;

  @Field({ description: 'Unit of quantity, e.g. piece, box, kg.' })
  @Matches(/\S/, { message: 'must not be empty' })
  @MaxLength(32)
  unit!: string;
}

@InputType({ description: 'A gift of goods.' })
export class RecordInKindDonationInput extends DonationInputBase {
  @Field(() => [InKindItemInput])
  @ArrayMinSize(1, { message: 'must list at least one item' })
  @ArrayMaxSize(200)
  @ValidateNested({ each: true })
  @Type(() => InKindItemInput)
  items!: InKindItemInput[];

  @Field(() => ValuationBasis)
  @IsEnum(ValuationBasis)
  valuationBasis!: ValuationBasis;

  @Field({ description: 'Fair value of all items together, as a decimal amount.' })
  @MaxLength(32)
  fairValue!: string;

  @Field({ description: 'ISO 4217 code of fairValue; must be the charity’s currency.' })
  @Matches(/^[A-Z]{3}$/, { message: 'must be a three-letter ISO 4217 code such as CNY' })
  currency!: string;

  @Field(() => ItemCondition)
  @IsEnum(ItemCondition)
  condition!: ItemCondition;
}
